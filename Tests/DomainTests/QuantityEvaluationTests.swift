import Domain
import Foundation
import Testing

/// The largest value a measure can hold.
private let largest = "999999999999999.999999999999999999"

/// The integer evaluation on `Quantity` against the `Decimal` one: same answers.
@Suite("Status and trend on quantities")
struct QuantityEvaluationTests {
    struct StatusCase: Sendable, CustomTestStringConvertible {
        let value: String?
        let target: String?
        let direction: Direction
        let tolerance: Int
        let expected: PerformanceStatus
        var testDescription: String { "\(value ?? "nil") vs \(target ?? "nil") \(direction.rawValue) ±\(tolerance)bp" }

        init(_ value: String?, _ target: String?, _ direction: Direction, _ expected: PerformanceStatus, tolerance: Int = 1_000) {
            self.value = value
            self.target = target
            self.direction = direction
            self.tolerance = tolerance
            self.expected = expected
        }
    }

    static let statusCases: [StatusCase] = [
        // Higher is better, target 100, band 10: both edges of the band.
        .init("100", "100", .higherIsBetter, .green), .init("120", "100", .higherIsBetter, .green),
        .init("99.999999999999999999", "100", .higherIsBetter, .yellow), .init("90", "100", .higherIsBetter, .yellow),
        .init("89.999999999999999999", "100", .higherIsBetter, .red), .init("0", "100", .higherIsBetter, .red),
        // Lower is better, target 8, band 0.8.
        .init("8", "8", .lowerIsBetter, .green), .init("5.5", "8", .lowerIsBetter, .green),
        .init("8.000000000000000001", "8", .lowerIsBetter, .yellow), .init("8.8", "8", .lowerIsBetter, .yellow),
        .init("8.800000000000000001", "8", .lowerIsBetter, .red),
        // A zero target has no band.
        .init("0", "0", .lowerIsBetter, .green), .init("0.000000000000000001", "0", .lowerIsBetter, .red),
        .init("0", "0", .higherIsBetter, .green), .init("-1", "0", .higherIsBetter, .red),
        .init("-0.000000000000000001", "0", .higherIsBetter, .red, tolerance: 10_000),
        // Negative targets (a budget variance): the band is of the magnitude.
        .init("-11", "-10", .higherIsBetter, .yellow), .init("-11.01", "-10", .higherIsBetter, .red),
        .init("-9", "-10", .higherIsBetter, .green), .init("-9", "-10", .lowerIsBetter, .yellow),
        .init("-8.99", "-10", .lowerIsBetter, .red), .init("-10.5", "-10", .lowerIsBetter, .green),
        // Tolerances of their own: 1 bp, 100 %, none, negative, absurdly large.
        .init("99.99", "100", .higherIsBetter, .yellow, tolerance: 1), .init("99.989", "100", .higherIsBetter, .red, tolerance: 1),
        .init("0", "100", .higherIsBetter, .yellow, tolerance: 10_000), .init("-0.01", "100", .higherIsBetter, .red, tolerance: 10_000),
        .init("95", "100", .higherIsBetter, .red, tolerance: 0), .init("100", "100", .higherIsBetter, .green, tolerance: 0),
        .init("95", "100", .higherIsBetter, .red, tolerance: -500), .init("95", "100", .higherIsBetter, .red, tolerance: Int.min),
        .init("-999999999999999", "999999999999999", .higherIsBetter, .yellow, tolerance: Int.max),
        .init("1", "0", .lowerIsBetter, .red, tolerance: Int.max),
        // The ends of the range: no overflow.
        .init("-999999999999999.999999999999999999", "999999999999999.999999999999999999", .higherIsBetter, .red),
        .init("999999999999999.999999999999999999", "-999999999999999.999999999999999999", .lowerIsBetter, .red),
        .init("999999999999999.999999999999999999", "-999999999999999.999999999999999999", .higherIsBetter, .green),
        // Missing data or a missing target.
        .init(nil, "5", .higherIsBetter, .grey), .init("5", nil, .lowerIsBetter, .grey), .init(nil, nil, .higherIsBetter, .grey),
    ]

    @Test("status: Quantity and Decimal agree", arguments: statusCases)
    func status(_ example: StatusCase) throws {
        let quantityStatus = Evaluation.status(
            value: try example.value.map { try #require(Quantity($0)) },
            target: try example.target.map { try #require(Quantity($0)) },
            direction: example.direction,
            toleranceBasisPoints: example.tolerance
        )
        let decimalStatus = Evaluation.status(
            value: try example.value.map { try #require(Decimal(string: $0)) },
            target: try example.target.map { try #require(Decimal(string: $0)) },
            direction: example.direction,
            toleranceBasisPoints: example.tolerance
        )
        #expect(quantityStatus == example.expected)
        #expect(decimalStatus == example.expected)
    }

    @Test(
        "trend: Quantity and Decimal agree",
        arguments: [
            ([String](), Direction.higherIsBetter, Trend.unknown),
            (["5"], .higherIsBetter, .unknown),
            (["1", "2", "3", "4"], .higherIsBetter, .improving),
            (["1", "2", "3", "4"], .lowerIsBetter, .worsening),
            (["9", "2", "3", "4", "3"], .lowerIsBetter, .steady),
            (["10", "10", "10", "9"], .higherIsBetter, .worsening),
            (["10", "10", "10", "9"], .lowerIsBetter, .improving),
            (["4", "6"], .higherIsBetter, .improving),
            (["0.1", "0.2", "0.3", "0.2"], .higherIsBetter, .steady),
            // Thirds: the mean 4/3 has no finite decimal; the integers compare exactly.
            (["1", "1", "2", "1.333333333333333333"], .higherIsBetter, .worsening),
            (["1", "1", "2", "1.333333333333333334"], .higherIsBetter, .improving),
            (["-1", "-2", "-3", "-2"], .lowerIsBetter, .steady),
            (["-1", "-2", "-3", "-2.000000000000000001"], .lowerIsBetter, .improving),
            (["0", "0.000000000000000001"], .higherIsBetter, .improving),
            // The ends of the range: no overflow.
            ([largest, largest, largest, largest], .higherIsBetter, .steady),
            (["-" + largest, "-" + largest, "-" + largest, largest], .higherIsBetter, .improving),
            ([largest, "-" + largest], .lowerIsBetter, .improving),
        ]
    )
    func trend(values: [String], direction: Direction, expected: Trend) throws {
        let quantities = try values.map { try #require(Quantity($0)) }
        let decimals = try values.map { try #require(Decimal(string: $0)) }
        #expect(Evaluation.trend(quantities, direction: direction) == expected)
        #expect(Evaluation.trend(decimals, direction: direction) == expected)
    }

    @Test("a measure evaluated from its points, in any order")
    func measureEvaluation() throws {
        let points = try [("2015-03-01", "70"), ("2015-01-01", "95"), ("2015-02-01", "80")].map {
            PeriodValue(period: try #require(CivilDate(iso8601: $0.0)), value: try #require(Quantity($0.1)))
        }
        let measure = MeasureEvaluation(
            tenantID: UUID(), measureID: UUID(), name: "Permits", direction: .higherIsBetter, frequency: .monthly,
            target: Quantity(100), points: points
        )
        #expect(measure.status == .red)
        #expect(measure.trend == .worsening)
        #expect(measure.latestPeriod == CivilDate(year: 2015, month: 3, day: 1))
        #expect(measure.latest == Quantity(70))
        #expect(measure.isStanding)
    }
}
