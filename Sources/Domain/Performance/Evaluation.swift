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
