import Billing
import Domain
import Testing

@Suite("Proration by days")
struct ProrationTests {
    static let fy2015 = FiscalYear(endingYear: 2015, startMonth: 7)
    static let fy2016 = FiscalYear(endingYear: 2016, startMonth: 7)

    static func date(_ text: String) -> CivilDate { CivilDate(iso8601: text)! }

    @Test(
        "fee × remaining days ÷ days in the year, half-up to the cent",
        arguments: [
            // Joins on July 1: the whole fee.
            ("2014-07-01", 2015, Int64(1_000_000), 365, Int64(1_000_000)),
            // Joined before the year: the whole fee.
            ("2013-11-15", 2015, 1_000_000, 365, 1_000_000),
            // Joins on June 30: one day. 1 000 000 / 365 = 2 739.726… → 2 740.
            ("2015-06-30", 2015, 1_000_000, 1, 2_740),
            // Mid-year, January 1: 181 days. 1 000 000 × 181 / 365 = 495 890.41… → 495 890.
            ("2015-01-01", 2015, 1_000_000, 181, 495_890),
            // Leap fiscal year: FY2016 has 366 days; January 1, 2016 leaves 182.
            ("2016-01-01", 2016, 1_000_000, 182, 497_268),
            // Leap year, June 30: 1 000 000 / 366 = 2 732.24… → 2 732.
            ("2016-06-30", 2016, 1_000_000, 1, 2_732),
            // A fee of 365 cents for 181 of 365 days: exactly 181, nothing to round.
            ("2015-01-01", 2015, 365, 181, 181),
        ]
    )
    func prorates(join: String, year: Int, fee: Int64, days: Int, expected: Int64) throws {
        let fiscalYear = year == 2016 ? Self.fy2016 : Self.fy2015
        #expect(try Proration.remainingDays(joining: Self.date(join), in: fiscalYear) == days)
        #expect(try Proration.proratedFee(fee, joining: Self.date(join), in: fiscalYear) == expected)
    }

    @Test("half a cent rounds up, just under half rounds down")
    func halfUpAtTheCent() throws {
        // 365 / 730 is exactly one half: up. 183 cents for 1 of 365 days is 0.501…: up;
        // 182 cents is 0.498…: down.
        #expect(Rounding.halfUp(365, dividedBy: 730) == 1)
        #expect(Rounding.halfUp(364, dividedBy: 730) == 0)
        #expect(try Proration.proratedFee(183, joining: Self.date("2015-06-30"), in: Self.fy2015) == 1)
        #expect(try Proration.proratedFee(182, joining: Self.date("2015-06-30"), in: Self.fy2015) == 0)
    }

    @Test("joining after the year ends is refused")
    func joinAfterYear() {
        #expect(throws: Proration.Failure.joinsAfterYearEnds) {
            try Proration.proratedFee(100, joining: Self.date("2015-07-01"), in: Self.fy2015)
        }
    }
}

@Suite("Fee schedules")
struct FeeScheduleTests {
    static let tiered = try! FeeSchedule(tiers: [
        .init(minimumSize: 0, feeCents: 500_000),
        .init(minimumSize: 10_000, feeCents: 1_000_000),
        .init(minimumSize: 50_000, feeCents: 1_500_000),
    ])

    @Test(
        "tiers at their boundaries",
        arguments: [(0, Int64(500_000)), (9_999, 500_000), (10_000, 1_000_000), (49_999, 1_000_000), (50_000, 1_500_000), (600_000, 1_500_000)]
    )
    func tierBoundaries(size: Int, fee: Int64) {
        #expect(Self.tiered.annualFee(forSize: size) == fee)
    }

    @Test("a flat fee ignores the size; an unknown size pays the first tier")
    func flatAndUnknown() throws {
        let flat = try FeeSchedule.flat(750_000)
        #expect(flat.isFlat)
        #expect(flat.annualFee(forSize: 3) == 750_000)
        #expect(flat.annualFee(forSize: 3_000_000) == 750_000)
        #expect(Self.tiered.annualFee(forSize: nil) == 500_000)
    }

    @Test(
        "malformed schedules are refused",
        arguments: [
            ([FeeSchedule.Tier](), FeeSchedule.ValidationError.noTiers),
            ([.init(minimumSize: 100, feeCents: 1)], .firstTierMustStartAtZero),
            ([.init(minimumSize: 0, feeCents: 1), .init(minimumSize: 0, feeCents: 2)], .tiersMustAscend),
            ([.init(minimumSize: 0, feeCents: -1)], .negativeFee),
        ]
    )
    func refused(tiers: [FeeSchedule.Tier], error: FeeSchedule.ValidationError) {
        #expect(throws: error) { try FeeSchedule(tiers: tiers) }
    }

    @Test("tiers given out of order are sorted")
    func sorted() throws {
        let schedule = try FeeSchedule(tiers: [.init(minimumSize: 5_000, feeCents: 2), .init(minimumSize: 0, feeCents: 1)])
        #expect(schedule.tiers.map(\.minimumSize) == [0, 5_000])
    }
}
