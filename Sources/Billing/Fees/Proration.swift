import Domain

/// What a tenant that joins during the fiscal year pays.
public enum Proration {
    public enum Failure: Error, Equatable, Sendable {
        /// The join date is after the fiscal year's last day.
        case joinsAfterYearEnds
    }

    /// The days from `joinDate` to the end of `year`, both included; the whole year when
    /// the tenant joined before the year began.
    public static func remainingDays(joining joinDate: CivilDate, in year: FiscalYear) throws(Failure) -> Int {
        guard joinDate <= year.lastDay else { throw .joinsAfterYearEnds }
        let start = max(joinDate, year.firstDay)
        return start.days(until: year.next.firstDay)
    }

    /// `fee × remaining days ÷ days in the year`, rounded half-up to the cent
    /// (DESIGN.md section 6). Joining on the first day pays the whole fee.
    public static func proratedFee(_ annualFeeCents: Int64, joining joinDate: CivilDate, in year: FiscalYear) throws(Failure) -> Int64 {
        let days = try remainingDays(joining: joinDate, in: year)
        return Rounding.halfUp(annualFeeCents, times: Int64(days), dividedBy: Int64(year.numberOfDays))
    }
}
