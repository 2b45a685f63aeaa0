import Domain

/// Open balances by how late they are, as of a date.
public enum AgingBucket: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case current
    case days1To30 = "1-30"
    case days31To60 = "31-60"
    case days61To90 = "61-90"
    case over90 = "over-90"

    /// The bucket of an invoice due on `dueDate`, seen on `asOf`: current until the due
    /// date has passed, then by whole days past due.
    public static func of(dueDate: CivilDate, asOf: CivilDate) -> AgingBucket {
        let daysPastDue = dueDate.days(until: asOf)
        switch daysPastDue {
        case ...0: return .current
        case 1...30: return .days1To30
        case 31...60: return .days31To60
        case 61...90: return .days61To90
        default: return .over90
        }
    }

    public static func < (lhs: AgingBucket, rhs: AgingBucket) -> Bool {
        (allCases.firstIndex(of: lhs) ?? 0) < (allCases.firstIndex(of: rhs) ?? 0)
    }
}

/// Totals of open balances per bucket.
public struct AgingTotals: Sendable, Hashable {
    public private(set) var cents: [AgingBucket: Int64] = [:]

    public init() {}

    public mutating func add(openCents: Int64, dueDate: CivilDate, asOf: CivilDate) {
        cents[AgingBucket.of(dueDate: dueDate, asOf: asOf), default: 0] += openCents
    }

    public var totalCents: Int64 { cents.values.reduce(0, +) }
}
