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
        case .quarterly: return (date.month - fiscalYearStartMonth + 12) % 3 == 0
        case .yearly: return date.month == fiscalYearStartMonth
        }
    }

    /// The first day of the period after the one starting on `start`.
    public func nextPeriod(after start: CivilDate) -> CivilDate {
        let months: Int =
            switch self {
            case .monthly: 1
            case .quarterly: 3
            case .yearly: 12
            }
        let index = start.year * 12 + (start.month - 1) + months
        return CivilDate(year: index / 12, month: index % 12 + 1, day: 1)!
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
