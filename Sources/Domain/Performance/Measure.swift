import Foundation

/// Which way is better for a measure.
public enum Direction: String, Sendable, Hashable, Codable, CaseIterable {
    /// More is better: permits issued, potholes filled.
    case higherIsBetter = "higher"
    /// Less is better: response minutes, days to repair.
    case lowerIsBetter = "lower"
}

/// How often a measure gets a value; a period is named by its first day.
public enum Frequency: String, Sendable, Hashable, Codable, CaseIterable {
    case monthly, quarterly, yearly

    /// Whether `date` is the first day of a period of this frequency (years by the
    /// jurisdiction's fiscal year start month).
    public func isPeriodStart(_ date: CivilDate, fiscalYearStartMonth: Int = 7) -> Bool {
        guard date.day == 1 else { return false }
        switch self {
        case .monthly: return true
        case .quarterly: return (date.month - fiscalYearStartMonth % 12) % 3 == 0
        case .yearly: return date.month == fiscalYearStartMonth
        }
    }

    /// Months in one period.
    public var months: Int {
        switch self {
        case .monthly: 1
        case .quarterly: 3
        case .yearly: 12
        }
    }

    /// The first day of the period after the one starting on `start` (the first of
    /// `start`'s month, `months` later), or nil when it would fall after 9999-12-31.
    public func checkedNextPeriod(after start: CivilDate) -> CivilDate? {
        let index = start.year * 12 + (start.month - 1) + months
        return CivilDate(year: index / 12, month: index % 12 + 1, day: 1)
    }

    /// As `checkedNextPeriod(after:)`, but 9999-12-31 when there is no such period.
    public func nextPeriod(after start: CivilDate) -> CivilDate {
        checkedNextPeriod(after: start) ?? .latest
    }

    /// The last period that has ended by `today`, named by its first day: the period whose
    /// value a reminder on `today` asks for. Quarters and years follow the fiscal year
    /// (`fiscalYearStartMonth`), as `isPeriodStart` does. On 15 March 2015: February for a
    /// monthly measure; with a July fiscal year, January to March 2015 is still running, so
    /// October to December 2014 for a quarterly one and FY2014 (July 2013) for a yearly one.
    public func lastEndedPeriod(on today: CivilDate, fiscalYearStartMonth: Int = 7) -> CivilDate? {
        let month = today.year * 12 + (today.month - 1)
        let offset = (fiscalYearStartMonth - 1) % months
        let currentStart = month - (((month - offset) % months) + months) % months
        let previousStart = currentStart - months
        guard previousStart >= 0 else { return nil }
        return CivilDate(year: previousStart / 12, month: previousStart % 12 + 1, day: 1)
    }

    /// Whether a measure of this frequency is due for data on `today`: it has no value
    /// yet, or the period after the one of its latest value (`latestPeriod`) has ended.
    /// A monthly measure last reported for January is due from March 1, when February
    /// has ended; a measure at the calendar's end (9999) is never due.
    public func isDue(latestPeriod: CivilDate?, today: CivilDate) -> Bool {
        guard let latestPeriod else { return true }
        guard let following = checkedNextPeriod(after: latestPeriod), let end = checkedNextPeriod(after: following) else {
            return false
        }
        return end <= today
    }

    /// Whether a measure's data is stale on `today`: it had values once, but none for the
    /// last three ended periods (the three periods after `latestPeriod` have all ended). A
    /// monthly measure last reported for November is stale from March 1. A measure that never
    /// had a value is due, not stale.
    public func isStale(latestPeriod: CivilDate?, today: CivilDate) -> Bool {
        guard let latestPeriod else { return false }
        var end = latestPeriod
        for _ in 0..<4 {
            guard let next = checkedNextPeriod(after: end) else { return false }
            end = next
        }
        return end <= today
    }
}

/// Who may see a measure beyond its tenant.
public enum Sharing: String, Sendable, Hashable, Codable, CaseIterable {
    /// Never leaves the tenant.
    case `private`
    /// In peer benchmarks with the tenant's name.
    case named
    /// In peer benchmarks without name or id, and only when three or more tenants share.
    case anonymized
}

/// A data point's state: entered, then signed off.
public enum DataPointStatus: String, Sendable, Hashable, Codable {
    case provisional, validated
}
