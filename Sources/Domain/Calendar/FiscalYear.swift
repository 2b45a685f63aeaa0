/// A jurisdiction's fiscal year, named by the calendar year it ends in.
///
/// Massachusetts and Rhode Island start on July 1, so FY2014 runs from 2013-07-01 to
/// 2014-06-30. A fiscal year starting on January 1 is the calendar year.
///
/// The two questions a caller asks, both total:
/// - `FiscalYear.ending(2014, startMonth: 7)`: the year named FY2014, or nil outside
///   1901...2199 (DESIGN.md section 5) or for a start no jurisdiction can have; then
///   `firstDay`, `lastDay`, `numberOfDays`.
/// - `FiscalYear.containing(date, startMonth: 7)`: the year a date falls in. For the
///   supported dates 1900-01-01...2199-12-31 that is FY1900...FY2200: the edges of the
///   date range belong to fiscal years just outside the supported names.
public struct FiscalYear: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The fiscal years the product accepts (DESIGN.md section 5).
    public static let supportedEndingYears = 1901...2199
    /// Ending years whose arithmetic stays exact; beyond, days saturate at the calendar's ends.
    static let representableEndingYears = 1...10_000

    /// The calendar year the fiscal year ends in.
    public let endingYear: Int
    /// The first day's month and day, from the jurisdiction.
    public let startMonth: Int
    public let startDay: Int

    /// Never traps: the ending year is clamped to 1...10 000, the start month to 1...12
    /// and the start day to 1...28 (what `jurisdictions` allows). For input, prefer
    /// `ending(_:startMonth:startDay:)`, which refuses instead of clamping.
    public init(endingYear: Int, startMonth: Int = 7, startDay: Int = 1) {
        self.endingYear = Self.clamp(endingYear, to: Self.representableEndingYears)
        self.startMonth = Self.clamp(startMonth, to: 1...12)
        self.startDay = Self.clamp(startDay, to: 1...28)
    }

    /// The fiscal year ending in `endingYear` for a jurisdiction starting on
    /// `startMonth`/`startDay`; nil outside 1901...2199, for a month outside 1...12 or a
    /// day outside 1...28.
    public static func ending(_ endingYear: Int, startMonth: Int = 7, startDay: Int = 1) -> FiscalYear? {
        guard supportedEndingYears.contains(endingYear), (1...12).contains(startMonth), (1...28).contains(startDay) else {
            return nil
        }
        return FiscalYear(endingYear: endingYear, startMonth: startMonth, startDay: startDay)
    }

    /// The fiscal year that `date` falls in, for any date; an invalid start is clamped as
    /// in `init(endingYear:startMonth:startDay:)`.
    public static func containing(_ date: CivilDate, startMonth: Int = 7, startDay: Int = 1) -> FiscalYear {
        let month = clamp(startMonth, to: 1...12)
        let day = clamp(startDay, to: 1...28)
        let startsOnNewYear = month == 1 && day == 1
        let onOrAfterStart = (date.month, date.day) >= (month, day)
        let endingYear = !startsOnNewYear && onOrAfterStart ? date.year + 1 : date.year
        return FiscalYear(endingYear: endingYear, startMonth: month, startDay: day)
    }

    /// The calendar year of the first day.
    private var startYear: Int {
        startMonth == 1 && startDay == 1 ? endingYear : endingYear - 1
    }

    /// Days since 1970-01-01 of the first day, and of the first day of the next year.
    private var firstDayNumber: Int { CivilDate.daysSinceEpoch(year: startYear, month: startMonth, day: startDay) }
    private var nextFirstDayNumber: Int { CivilDate.daysSinceEpoch(year: startYear + 1, month: startMonth, day: startDay) }

    /// The first day of the fiscal year.
    public var firstDay: CivilDate { CivilDate(daysSinceEpoch: firstDayNumber) }

    /// The last day of the fiscal year.
    public var lastDay: CivilDate { CivilDate(daysSinceEpoch: nextFirstDayNumber - 1) }

    /// 365, or 366 when the fiscal year contains a February 29.
    public var numberOfDays: Int { nextFirstDayNumber - firstDayNumber }

    /// The following fiscal year (FY10000 is its own successor).
    public var next: FiscalYear {
        FiscalYear(endingYear: endingYear + 1, startMonth: startMonth, startDay: startDay)
    }

    public func contains(_ date: CivilDate) -> Bool {
        (firstDayNumber..<nextFirstDayNumber).contains(date.daysSinceEpoch)
    }

    public static func < (lhs: FiscalYear, rhs: FiscalYear) -> Bool { lhs.endingYear < rhs.endingYear }

    public var description: String { "FY\(endingYear)" }

    private static func clamp(_ value: Int, to range: ClosedRange<Int>) -> Int {
        min(max(value, range.lowerBound), range.upperBound)
    }
}
