import Foundation

/// A value for a period (named by its first day).
public struct PeriodValue: Sendable, Hashable {
    public var period: CivilDate
    public var value: Quantity

    public init(period: CivilDate, value: Quantity) {
        self.period = period
        self.value = value
    }
}

/// A measure as the dashboard shows it: its status against this year's target and its
/// trend. The input of agendas (standing items) and of the portfolio figures.
public struct MeasureEvaluation: Sendable, Hashable {
    public var tenantID: UUID
    public var measureID: UUID
    public var name: String
    public var direction: Direction
    public var frequency: Frequency
    public var status: PerformanceStatus
    public var trend: Trend
    /// The period of the latest value; nil without data.
    public var latestPeriod: CivilDate?
    public var latest: Quantity?
    public var target: Quantity?

    /// A measure evaluated elsewhere.
    public init(
        tenantID: UUID,
        measureID: UUID,
        name: String,
        direction: Direction,
        frequency: Frequency,
        status: PerformanceStatus,
        trend: Trend,
        latestPeriod: CivilDate?,
        latest: Quantity?,
        target: Quantity?
    ) {
        self.tenantID = tenantID
        self.measureID = measureID
        self.name = name
        self.direction = direction
        self.frequency = frequency
        self.status = status
        self.trend = trend
        self.latestPeriod = latestPeriod
        self.latest = latest
        self.target = target
    }

    /// Evaluates a measure from its last values (any order: they are sorted by period)
    /// and its target: `Evaluation.status` of the latest value, `Evaluation.trend` of all.
    public init(
        tenantID: UUID,
        measureID: UUID,
        name: String,
        direction: Direction,
        frequency: Frequency,
        target: Quantity?,
        toleranceBasisPoints: Int = Evaluation.defaultToleranceBasisPoints,
        points: [PeriodValue]
    ) {
        let sorted = zip(points, points.dropFirst()).allSatisfy { $0.period <= $1.period } ? points : points.sorted { $0.period < $1.period }
        let latest = sorted.last
        self.init(
            tenantID: tenantID,
            measureID: measureID,
            name: name,
            direction: direction,
            frequency: frequency,
            status: Evaluation.status(value: latest?.value, target: target, direction: direction, toleranceBasisPoints: toleranceBasisPoints),
            trend: Evaluation.trend(sorted.map(\.value), direction: direction),
            latestPeriod: latest?.period,
            latest: latest?.value,
            target: target
        )
    }

    /// In red or trending worse: a standing item of the next stat meeting.
    public var isStanding: Bool { status == .red || trend == .worsening }

    /// Whether data is due on `today` (see `Frequency.isDue(latestPeriod:today:)`).
    public func isDue(on today: CivilDate) -> Bool {
        frequency.isDue(latestPeriod: latestPeriod, today: today)
    }

    /// Whether its data is stale on `today` (see `Frequency.isStale(latestPeriod:today:)`).
    public func isStale(on today: CivilDate) -> Bool {
        frequency.isStale(latestPeriod: latestPeriod, today: today)
    }
}
