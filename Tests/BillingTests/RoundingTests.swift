import Billing
import Testing

@Suite("Rounding half-up")
struct RoundingTests {
    @Test(
        "division rounds halves away from zero",
        arguments: [
            (Int64(5), Int64(2), Int64(3)), (4, 2, 2), (7, 3, 2), (8, 3, 3), (-5, 2, -3), (-7, 3, -2),
            (5, -2, -3), (1, 3, 0), (2, 3, 1), (0, 7, 0), (149, 100, 1), (150, 100, 2),
        ]
    )
    func halfUpDivision(numerator: Int64, denominator: Int64, expected: Int64) {
        #expect(Rounding.halfUp(numerator, dividedBy: denominator) == expected)
    }

    @Test("a product beyond Int64 still divides exactly")
    func wideProduct() {
        // $90 billion in cents × 366 days ÷ 366 days: the product overflows Int64.
        let cents: Int64 = 9_000_000_000_000
        #expect(Rounding.halfUp(cents, times: 366_000_000, dividedBy: 366_000_000) == cents)
        #expect(Rounding.halfUp(Int64.max / 2, times: 4, dividedBy: 4) == Int64.max / 2)
    }

    @Test(
        "a fee prorated by days",
        arguments: [
            // $5,000.00 for 183 of 365 days = 250 684.93… cents, rounds down.
            (Int64(500_000), Int64(183), Int64(365), Int64(250_685)),
            // 1 cent for half a year of 2 days: exactly half, rounds up.
            (1, 1, 2, 1),
            (1_000_000, 1, 366, 2_732),
        ]
    )
    func proration(fee: Int64, days: Int64, yearDays: Int64, expected: Int64) {
        #expect(Rounding.halfUp(fee, times: days, dividedBy: yearDays) == expected)
    }
}

@Suite("Basis points")
struct BasisPointsTests {
    @Test(
        "shares that do not divide evenly",
        arguments: [
            (Int64(1), Int64(3), 3_333), (2, 3, 6_667), (330_000, 1_000_000, 3_300), (0, 5, 0), (5, 0, 0),
            (550_000_00, 550_000_00, 10_000),
        ]
    )
    func share(part: Int64, whole: Int64, basisPoints: Int) {
        #expect(BasisPoints.share(of: part, in: whole) == BasisPoints(basisPoints))
    }

    @Test("applying a share to an amount", arguments: [(6_000, Int64(55_000_000), Int64(33_000_000)), (3_333, 100, 33), (5_000, 1, 1)])
    func apply(basisPoints: Int, amount: Int64, expected: Int64) {
        #expect(BasisPoints(basisPoints).apply(to: amount) == expected)
    }
}

@Suite("Formatting for people")
struct FormattingTests {
    @Test("dollars", arguments: [(Int64(0), "$0.00"), (5, "$0.05"), (123_456_789, "$1,234,567.89"), (-1_230, "-$12.30"), (100_000, "$1,000.00")])
    func dollars(cents: Int64, text: String) {
        #expect(Formatting.dollars(cents) == text)
    }

    @Test(
        "dollars for a spreadsheet cell",
        arguments: [(Int64(0), "0.00"), (5, "0.05"), (123_456_789, "1234567.89"), (-1_230, "-12.30"), (Int64.min, "-92233720368547758.08")]
    )
    func decimalDollars(cents: Int64, text: String) {
        #expect(Formatting.decimalDollars(cents) == text)
    }

    @Test("percent", arguments: [(3_356, "33.56 %"), (10_000, "100.00 %"), (5, "0.05 %"), (-56, "-0.56 %")])
    func percent(basisPoints: Int, text: String) {
        #expect(Formatting.percent(BasisPoints(basisPoints)) == text)
    }
}
