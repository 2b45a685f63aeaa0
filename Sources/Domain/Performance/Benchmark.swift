import Foundation

/// A value of a tenant's measure adopted from a library template, with its sharing.
public struct SharedValue: Sendable, Hashable {
    public var tenantID: UUID
    /// The tenant's name, when it shares by name.
    public var tenantName: String?
    public var sharing: Sharing
    public var period: CivilDate
    public var value: Quantity

    public init(tenantID: UUID, tenantName: String?, sharing: Sharing, period: CivilDate, value: Quantity) {
        self.tenantID = tenantID
        self.tenantName = tenantName
        self.sharing = sharing
        self.period = period
        self.value = value
    }
}

/// The tenants whose data a caller can see.
public enum TenantVisibility: Sendable, Hashable {
    /// A Center admin: every tenant.
    case all
    /// The tenants the caller holds any grant in (a department head "sees" their tenant).
    case only(Set<UUID>)

    public init(_ principal: Principal) {
        self = principal.isCenterAdmin ? .all : .only(principal.grantedTenantIDs)
    }

    public func includes(_ tenantID: UUID) -> Bool {
        switch self {
        case .all: true
        case .only(let tenants): tenants.contains(tenantID)
        }
    }
}

/// A template's peer benchmark for one caller (DESIGN.md section 5).
///
/// Named values are shown with the tenant's name. Anonymized values are shown only as
/// per-period figures over the *hidden* sharers: tenants that share anonymously, that the
/// caller cannot see, and that share no value by name here (a named value would let the
/// caller subtract it). A period's figures appear only when at least three hidden tenants
/// have a value in it, so that nobody can work out another tenant's value from them or
/// take their own values back out. A Center admin sees every tenant, so there is never a
/// hidden sharer for them.
public struct Benchmark: Sendable, Hashable {
    public static let minimumAnonymizedSharers = 3

    public struct NamedSeries: Sendable, Hashable {
        public var tenantID: UUID
        public var tenantName: String
        /// By period.
        public var values: [PeriodValue]
    }

    /// Aggregates of one period's hidden values.
    public struct PeriodFigures: Sendable, Hashable {
        public var period: CivilDate
        /// Hidden tenants with a value in the period (three or more).
        public var sharers: Int
        /// Values (a tenant that adopted the template twice gives two).
        public var count: Int
        public var minimum: Quantity
        public var maximum: Quantity
        /// Rounded half-even to 18 fraction digits.
        public var mean: Quantity
        /// The middle value, or the mean of the two middle ones (half-even as above).
        public var median: Quantity
    }

    /// By tenant name, then tenant id.
    public var named: [NamedSeries]
    /// Tenants that share anonymously and are hidden from the caller.
    public var hiddenSharers: Int
    /// By period; empty unless at least three hidden tenants have a value in a period.
    public var anonymized: [PeriodFigures]

    /// Builds the benchmark `visibility` may see from `values`; private values are ignored.
    public static func compile(_ values: some Sequence<SharedValue>, visibility: TenantVisibility) -> Benchmark {
        var named: [UUID: NamedSeries] = [:]
        var anonymized: [SharedValue] = []
        for value in values {
            switch value.sharing {
            case .named:
                named[value.tenantID, default: NamedSeries(tenantID: value.tenantID, tenantName: value.tenantName ?? "", values: [])]
                    .values.append(PeriodValue(period: value.period, value: value.value))
            case .anonymized:
                anonymized.append(value)
            case .private:
                continue
            }
        }
        let hidden = anonymized.filter { !visibility.includes($0.tenantID) && named[$0.tenantID] == nil }
        var byPeriod: [CivilDate: [SharedValue]] = [:]
        for value in hidden {
            byPeriod[value.period, default: []].append(value)
        }
        let hiddenSharers = Set(hidden.map(\.tenantID)).count
        return Benchmark(
            named: named.values
                .map { series in
                    var sorted = series
                    sorted.values.sort { $0.period < $1.period }
                    return sorted
                }
                .sorted { ($0.tenantName, $0.tenantID.uuidString) < ($1.tenantName, $1.tenantID.uuidString) },
            hiddenSharers: hiddenSharers,
            anonymized: hiddenSharers < minimumAnonymizedSharers
                ? [] : byPeriod.keys.sorted().compactMap { figures(period: $0, values: byPeriod[$0, default: []]) }
        )
    }

    /// Nil when fewer than three tenants have a value in the period.
    static func figures(period: CivilDate, values: [SharedValue]) -> PeriodFigures? {
        let sharers = Set(values.map(\.tenantID)).count
        guard sharers >= minimumAnonymizedSharers else { return nil }
        let sorted = values.map(\.value.mantissa).sorted()
        guard let minimum = sorted.first, let maximum = sorted.last else { return nil }
        let middle = sorted.count / 2
        let median =
            sorted.count % 2 == 1
            ? sorted[middle]
            : halve(sorted[middle - 1] + sorted[middle])
        return PeriodFigures(
            period: period,
            sharers: sharers,
            count: sorted.count,
            minimum: Quantity(bounded: minimum),
            maximum: Quantity(bounded: maximum),
            mean: Quantity(bounded: mean(sorted)),
            median: Quantity(bounded: median)
        )
    }

    /// Half of a sum of two mantissas (below 2 × 10³³), half-even.
    private static func halve(_ sum: Int128) -> Int128 {
        let (quotient, remainder) = sum.quotientAndRemainder(dividingBy: 2)
        return Quantity.roundHalfEven(quotient, remainder: remainder, divisor: 2)
    }

    /// The mean of mantissas, half-even, without forming their sum: with `v = n·q + r`,
    /// `Σv ÷ n = Σq + Σr ÷ n`, where `|Σq| ≤ max |v|` and `|Σr| < n²`, both far inside
    /// `Int128` for any array. The result lies between the minimum and the maximum.
    static func mean(_ mantissas: [Int128]) -> Int128 {
        guard !mantissas.isEmpty else { return 0 }
        let count = Int128(mantissas.count)
        var quotients: Int128 = 0
        var remainders: Int128 = 0
        for mantissa in mantissas {
            let (quotient, remainder) = mantissa.quotientAndRemainder(dividingBy: count)
            quotients += quotient
            remainders += remainder
        }
        let (carry, rest) = remainders.quotientAndRemainder(dividingBy: count)
        return Quantity.roundHalfEven(quotients + carry, remainder: rest, divisor: count)
    }
}
