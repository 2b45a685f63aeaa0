import Foundation

/// How a measure stands against its target.
public enum PerformanceStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// At or better than the target.
    case green
    /// Worse than the target, within the tolerance band.
    case yellow
    /// Worse than the target, beyond the band.
    case red
    /// No data, or no target to compare with.
    case grey
}

/// Where a measure is heading: the latest value against the mean of the previous three.
public enum Trend: String, Sendable, Hashable, Codable, CaseIterable {
    case improving, steady, worsening
    /// Fewer than two values.
    case unknown
}

/// Status and trend (DESIGN.md section 5), in exact decimal arithmetic.
public enum Evaluation {
    /// The default tolerance band: 10 % of the target.
    public static let defaultToleranceBasisPoints = 1_000

    /// Green at or better than `target`; yellow when worse by no more than the band
    /// (`|target| × tolerance`); red beyond it; grey without a value or a target.
    /// A zero target has a zero band: anything worse is red.
    public static func status(
        value: Decimal?,
        target: Decimal?,
        direction: Direction,
        toleranceBasisPoints: Int = defaultToleranceBasisPoints
    ) -> PerformanceStatus {
        guard let value, let target else { return .grey }
        let shortfall = direction == .higherIsBetter ? target - value : value - target
        if shortfall <= 0 { return .green }
        let band = abs(target) * Decimal(toleranceBasisPoints) / 10_000
        return shortfall <= band ? .yellow : .red
    }

    /// Compares the last of `values` (oldest first) with the mean of up to three values
    /// before it. Equal is steady; better by the measure's direction is improving.
    public static func trend(_ values: [Decimal], direction: Direction) -> Trend {
        guard let latest = values.last, values.count >= 2 else { return .unknown }
        let previous = values.dropLast().suffix(3)
        let mean = previous.reduce(Decimal(0), +) / Decimal(previous.count)
        if latest == mean { return .steady }
        let better = direction == .higherIsBetter ? latest > mean : latest < mean
        return better ? .improving : .worsening
    }
}

/// The same rules on `Quantity`, in integers: no division, no `Decimal`. Mantissas are
/// below 10³³ in magnitude, so every sum and product below stays under 4 × 10³⁷ < 2¹²⁷,
/// except the tolerance band, whose multiplier comes from outside and is checked.
extension Evaluation {
    /// As the `Decimal` version: compares `shortfall × 10 000` with `|target| × tolerance`.
    public static func status(
        value: Quantity?,
        target: Quantity?,
        direction: Direction,
        toleranceBasisPoints: Int = defaultToleranceBasisPoints
    ) -> PerformanceStatus {
        guard let value, let target else { return .grey }
        let shortfall = direction == .higherIsBetter ? target.mantissa - value.mantissa : value.mantissa - target.mantissa
        if shortfall <= 0 { return .green }
        // A zero or negative band: anything worse than the target is red.
        guard toleranceBasisPoints > 0 else { return .red }
        let (band, bandOverflows) = target.mantissa.magnitude.multipliedReportingOverflow(by: UInt128(toleranceBasisPoints))
        // A band beyond 2¹²⁸ holds any shortfall (which is below 2 × 10³⁷).
        if bandOverflows { return .yellow }
        return shortfall.magnitude * 10_000 <= band ? .yellow : .red
    }

    /// As the `Decimal` version: compares `latest × k` with the sum of the `k ≤ 3` values
    /// before it.
    public static func trend(_ values: [Quantity], direction: Direction) -> Trend {
        guard let latest = values.last, values.count >= 2 else { return .unknown }
        let previous = values.dropLast().suffix(3)
        let sum = previous.reduce(Int128(0)) { $0 + $1.mantissa }
        let scaledLatest = latest.mantissa * Int128(previous.count)
        if scaledLatest == sum { return .steady }
        let better = direction == .higherIsBetter ? scaledLatest > sum : scaledLatest < sum
        return better ? .improving : .worsening
    }
}
