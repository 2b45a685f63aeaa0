import Domain

/// A program year's fees: tiers by population (or by enrollment for school districts),
/// or one flat fee, which is a single tier from zero.
public struct FeeSchedule: Sendable, Hashable, Codable {
    /// A tier applies from `minimumSize` (inclusive) up to the next tier's minimum.
    public struct Tier: Sendable, Hashable, Codable {
        public var minimumSize: Int
        public var feeCents: Int64

        public init(minimumSize: Int, feeCents: Int64) {
            self.minimumSize = minimumSize
            self.feeCents = feeCents
        }
    }

    public enum ValidationError: Error, Equatable, Sendable {
        case noTiers
        case firstTierMustStartAtZero
        case tiersMustAscend
        case negativeFee
    }

    /// Sorted by `minimumSize`, the first at zero.
    public let tiers: [Tier]

    public init(tiers: [Tier]) throws(ValidationError) {
        guard !tiers.isEmpty else { throw .noTiers }
        let sorted = tiers.sorted { $0.minimumSize < $1.minimumSize }
        guard sorted[0].minimumSize == 0 else { throw .firstTierMustStartAtZero }
        for (previous, next) in zip(sorted, sorted.dropFirst()) where previous.minimumSize == next.minimumSize {
            throw .tiersMustAscend
        }
        guard sorted.allSatisfy({ $0.feeCents >= 0 }) else { throw .negativeFee }
        self.tiers = sorted
    }

    public static func flat(_ feeCents: Int64) throws(ValidationError) -> FeeSchedule {
        try FeeSchedule(tiers: [Tier(minimumSize: 0, feeCents: feeCents)])
    }

    public var isFlat: Bool { tiers.count == 1 }

    /// The yearly fee for a tenant of `size` residents (or pupils): the tier with the
    /// greatest minimum at or below the size. A tenant of unknown size pays the first tier.
    public func annualFee(forSize size: Int?) -> Int64 {
        guard let size else { return tiers[0].feeCents }
        return tiers.last { $0.minimumSize <= size }?.feeCents ?? tiers[0].feeCents
    }
}
