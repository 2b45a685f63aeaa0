/// A jurisdiction's fiscal year, named by the calendar year it ends in.
///
/// Massachusetts and Rhode Island start on July 1, so FY2014 runs from 2013-07-01 to
/// 2014-06-30. A fiscal year starting on January 1 is the calendar year.
public struct FiscalYear: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The calendar year the fiscal year ends in.
    public let endingYear: Int
    /// The first day's month and day, from the jurisdiction.
    public let startMonth: Int
    public let startDay: Int

    public init(endingYear: Int, startMonth: Int = 7, startDay: Int = 1) {
        precondition((1...12).contains(startMonth) && (1...28).contains(startDay), "invalid fiscal year start")
        self.endingYear = endingYear
        self.startMonth = startMonth
        self.startDay = startDay
    }

    /// The first day of the fiscal year.
    public var firstDay: CivilDate {
        let startsInPreviousYear = startMonth != 1 || startDay != 1
        let year = startsInPreviousYear ? endingYear - 1 : endingYear
        return CivilDate(year: year, month: startMonth, day: startDay)!
    }

    /// The last day of the fiscal year.
    public var lastDay: CivilDate { next.firstDay.adding(days: -1) }

    /// 365, or 366 when the fiscal year contains a February 29.
    public var numberOfDays: Int { firstDay.days(until: next.firstDay) }

    public var next: FiscalYear {
        FiscalYear(endingYear: endingYear + 1, startMonth: startMonth, startDay: startDay)
    }

    public func contains(_ date: CivilDate) -> Bool {
        firstDay <= date && date <= lastDay
    }

    /// The fiscal year that `date` falls in.
    public static func containing(_ date: CivilDate, startMonth: Int = 7, startDay: Int = 1) -> FiscalYear {
        let candidate = FiscalYear(endingYear: date.year, startMonth: startMonth, startDay: startDay)
        return candidate.contains(date) ? candidate : candidate.next
    }

    public static func < (lhs: FiscalYear, rhs: FiscalYear) -> Bool { lhs.endingYear < rhs.endingYear }

    public var description: String { "FY\(endingYear)" }
}
