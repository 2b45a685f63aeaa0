import Foundation

/// A tenant's measures in the portfolio overview (DESIGN.md section 5): how many, how many
/// in red, how many due for data.
public struct PortfolioFigures: Sendable, Hashable {
    public var measures: Int
    public var measuresInRed: Int
    public var measuresDue: Int

    public init(measures: Int = 0, measuresInRed: Int = 0, measuresDue: Int = 0) {
        self.measures = measures
        self.measuresInRed = measuresInRed
        self.measuresDue = measuresDue
    }

    /// Counts one measure as of `today`.
    public mutating func add(_ measure: MeasureEvaluation, today: CivilDate) {
        measures += 1
        if measure.status == .red { measuresInRed += 1 }
        if measure.isDue(on: today) { measuresDue += 1 }
    }

    /// The figures of every tenant that has a measure among `measures`; a tenant without
    /// measures has none in the result and counts as `PortfolioFigures()`.
    public static func perTenant(_ measures: some Sequence<MeasureEvaluation>, today: CivilDate) -> [UUID: PortfolioFigures] {
        var figures: [UUID: PortfolioFigures] = [:]
        for measure in measures {
            figures[measure.tenantID, default: PortfolioFigures()].add(measure, today: today)
        }
        return figures
    }
}
