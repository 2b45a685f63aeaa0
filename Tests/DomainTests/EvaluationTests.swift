import Domain
import Foundation
import Testing

@Suite("Status against target")
struct StatusTests {
    static func d(_ text: String) -> Decimal { Decimal(string: text)! }

    @Test(
        "both directions, at the band's edges",
        arguments: [
            // Higher is better, target 100, band 10.
            ("100", "100", Direction.higherIsBetter, PerformanceStatus.green),
            ("120", "100", .higherIsBetter, .green),
            ("99.99", "100", .higherIsBetter, .yellow),
            ("90", "100", .higherIsBetter, .yellow),
            ("89.99", "100", .higherIsBetter, .red),
            ("0", "100", .higherIsBetter, .red),
            // Lower is better, target 8 (minutes), band 0.8.
            ("8", "8", .lowerIsBetter, .green),
            ("5.5", "8", .lowerIsBetter, .green),
            ("8.01", "8", .lowerIsBetter, .yellow),
            ("8.8", "8", .lowerIsBetter, .yellow),
            ("8.81", "8", .lowerIsBetter, .red),
            // A zero target: no band.
            ("0", "0", .lowerIsBetter, .green),
            ("0.001", "0", .lowerIsBetter, .red),
            ("0", "0", .higherIsBetter, .green),
            ("-1", "0", .higherIsBetter, .red),
            // A negative target (a budget variance): the band is of its magnitude.
            ("-11", "-10", .higherIsBetter, .yellow),
            ("-11.01", "-10", .higherIsBetter, .red),
        ]
    )
    func status(value: String, target: String, direction: Direction, expected: PerformanceStatus) {
        #expect(Evaluation.status(value: Self.d(value), target: Self.d(target), direction: direction) == expected)
    }

    @Test("missing data or a missing target is grey")
    func grey() {
        #expect(Evaluation.status(value: nil, target: 5, direction: .higherIsBetter) == .grey)
        #expect(Evaluation.status(value: 5, target: nil, direction: .lowerIsBetter) == .grey)
    }

    @Test("a tolerance of its own", arguments: [(500, PerformanceStatus.yellow), (499, .red), (0, .red)])
    func customTolerance(basisPoints: Int, expected: PerformanceStatus) {
        // 95 against 100 is 5 % short.
        #expect(Evaluation.status(value: 95, target: 100, direction: .higherIsBetter, toleranceBasisPoints: basisPoints) == expected)
    }
}

@Suite("Trend")
struct TrendTests {
    @Test(
        "the latest value against the mean of the previous three",
        arguments: [
            ([Decimal](), Direction.higherIsBetter, Trend.unknown),
            ([5], .higherIsBetter, .unknown),
            ([1, 2, 3, 4], .higherIsBetter, .improving),
            ([1, 2, 3, 4], .lowerIsBetter, .worsening),
            ([9, 2, 3, 4, 3], .lowerIsBetter, .steady),  // mean of 2, 3, 4 is 3; the 9 is too old
            ([10, 10, 10, 9], .higherIsBetter, .worsening),
            ([10, 10, 10, 9], .lowerIsBetter, .improving),
            ([4, 6], .higherIsBetter, .improving),
        ]
    )
    func trend(values: [Decimal], direction: Direction, expected: Trend) {
        #expect(Evaluation.trend(values, direction: direction) == expected)
    }
}

@Suite("Periods")
struct PeriodTests {
    @Test(
        "period starts by frequency (fiscal year from July)",
        arguments: [
            ("2015-03-01", Frequency.monthly, true), ("2015-03-02", .monthly, false),
            ("2015-01-01", .quarterly, true), ("2015-04-01", .quarterly, true), ("2015-07-01", .quarterly, true),
            ("2015-02-01", .quarterly, false), ("2015-07-01", .yearly, true), ("2015-01-01", .yearly, false),
        ]
    )
    func starts(text: String, frequency: Frequency, isStart: Bool) throws {
        #expect(frequency.isPeriodStart(try #require(CivilDate(iso8601: text))) == isStart)
    }

    @Test("the next period", arguments: [("2014-12-01", Frequency.monthly, "2015-01-01"), ("2014-10-01", .quarterly, "2015-01-01"), ("2014-07-01", .yearly, "2015-07-01")])
    func next(start: String, frequency: Frequency, next: String) throws {
        #expect(frequency.nextPeriod(after: try #require(CivilDate(iso8601: start))).description == next)
    }
}
