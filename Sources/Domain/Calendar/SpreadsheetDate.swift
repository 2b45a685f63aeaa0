/// Dates as spreadsheets store them: a serial number of days. In the 1900 system (Excel's
/// default, and LibreOffice's when it writes .xlsx) day 1 is 1900-01-01 and day 60 is
/// 1900-02-29, a day that never was (Lotus 1-2-3's leap-year mistake, kept for
/// compatibility), so from day 61 on the serial is one more than the days since
/// 1899-12-31. In the 1904 system day 0 is 1904-01-01. A fraction is a time of day.
public enum SpreadsheetDate {
    /// The day of `serial` (its fraction dropped); nil for day 60 of the 1900 system (the
    /// day that never was), for negative serials, and beyond 9999-12-31.
    public static func civilDate(serial: Double, date1904: Bool = false) -> CivilDate? {
        guard serial.isFinite, serial >= 0, serial < 3_000_000 else { return nil }
        let day = Int(serial.rounded(.down))
        let epoch: Int
        if date1904 {
            epoch = CivilDate.daysSinceEpoch(year: 1904, month: 1, day: 1)
        } else {
            guard day != 60, day != 0 else { return nil }
            epoch = CivilDate.daysSinceEpoch(year: 1899, month: 12, day: day < 60 ? 31 : 30)
        }
        guard epoch + day <= CivilDate.latest.daysSinceEpoch else { return nil }
        return CivilDate(daysSinceEpoch: epoch + day)
    }

    /// The 1900-system serial of `date` (from 1900-03-01 on, one more than the days since
    /// 1899-12-31, for the day that never was; before, the days since 1899-12-31).
    public static func serial(of date: CivilDate) -> Int {
        let days = date.daysSinceEpoch
        let marchFirst1900 = CivilDate.daysSinceEpoch(year: 1900, month: 3, day: 1)
        return days - CivilDate.daysSinceEpoch(year: 1899, month: 12, day: days < marchFirst1900 ? 31 : 30)
    }
}
