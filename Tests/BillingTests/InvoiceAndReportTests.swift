import Billing
import Domain
import Testing

@Suite("Invoice balances")
struct InvoiceBalanceTests {
    static let open = InvoiceBalance(status: .finalized, amountCents: 10_000, paidCents: 2_500, creditedCents: 1_000)

    @Test("the open balance is the amount less payments and credit notes")
    func openBalance() {
        #expect(Self.open.openCents == 6_500)
    }

    @Test(
        "payments: positive, never above the open balance; the last one makes it paid",
        arguments: [
            (Int64(6_500), nil as InvoiceBalance.Refusal?),
            (1, nil),
            (6_501, .exceedsOpenBalance(openCents: 6_500)),
            (0, .amountMustBePositive),
            (-100, .amountMustBePositive),
        ]
    )
    func payments(cents: Int64, refusal: InvoiceBalance.Refusal?) {
        if let refusal {
            #expect(throws: refusal) { try Self.open.checkPayment(cents) }
        } else {
            #expect(throws: Never.self) { try Self.open.checkPayment(cents) }
        }
    }

    @Test("a payment of the whole open balance marks the invoice paid")
    func paidInFull() {
        #expect(Self.open.statusAfter(paying: 6_500) == .paid)
        #expect(Self.open.statusAfter(paying: 6_499) == .finalized)
    }

    @Test("credit notes never exceed what is left")
    func credits() {
        #expect(throws: InvoiceBalance.Refusal.exceedsCreditable(creditableCents: 6_500)) { try Self.open.checkCredit(6_501) }
        #expect(throws: Never.self) { try Self.open.checkCredit(6_500) }
        #expect(throws: InvoiceBalance.Refusal.notFinalized(.draft)) {
            try InvoiceBalance(status: .draft, amountCents: 100).checkCredit(1)
        }
    }

    @Test("a paid or partly paid invoice cannot be voided; a finalized one can")
    func voiding() {
        #expect(throws: InvoiceBalance.Refusal.hasPayments) { try Self.open.checkVoid() }
        #expect(throws: InvoiceBalance.Refusal.notFinalized(.paid)) {
            try InvoiceBalance(status: .paid, amountCents: 100, paidCents: 100).checkVoid()
        }
        #expect(throws: Never.self) { try InvoiceBalance(status: .finalized, amountCents: 100).checkVoid() }
    }

    @Test("only drafts are finalized")
    func finalizing() {
        #expect(throws: InvoiceBalance.Refusal.notDraft(.finalized)) { try Self.open.checkFinalize() }
        #expect(throws: Never.self) { try InvoiceBalance(status: .draft, amountCents: 1).checkFinalize() }
    }
}

@Suite("Aging")
struct AgingTests {
    @Test(
        "days past due choose the bucket",
        arguments: [
            ("2015-03-01", AgingBucket.current), ("2015-03-02", .days1To30), ("2015-03-31", .days1To30),
            ("2015-04-01", .days31To60), ("2015-04-30", .days31To60), ("2015-05-01", .days61To90),
            ("2015-05-30", .days61To90), ("2015-05-31", .over90), ("2014-12-01", .current),
        ]
    )
    func buckets(asOf: String, bucket: AgingBucket) throws {
        let due = try #require(CivilDate(iso8601: "2015-03-01"))
        #expect(AgingBucket.of(dueDate: due, asOf: try #require(CivilDate(iso8601: asOf))) == bucket)
    }

    @Test("totals add up per bucket")
    func totals() throws {
        var totals = AgingTotals()
        let asOf = try #require(CivilDate(iso8601: "2015-06-30"))
        totals.add(openCents: 100, dueDate: try #require(CivilDate(iso8601: "2015-07-15")), asOf: asOf)
        totals.add(openCents: 250, dueDate: try #require(CivilDate(iso8601: "2015-06-01")), asOf: asOf)
        totals.add(openCents: 50, dueDate: try #require(CivilDate(iso8601: "2015-06-10")), asOf: asOf)
        totals.add(openCents: 7, dueDate: try #require(CivilDate(iso8601: "2014-12-31")), asOf: asOf)
        #expect(totals.cents == [.current: 100, .days1To30: 300, .over90: 7])
        #expect(totals.totalCents == 407)
    }
}

@Suite("Funding report arithmetic")
struct FundingReportTests {
    @Test(
        "shares, gaps and what is outstanding",
        arguments: [
            // FY2014 of the poster: $550,000, 60 % state.
            (Int64(55_000_000), Int64(33_000_000), Int64(22_000_000), Int64(20_000_000), 6_000, 6_000, 0, Int64(0)),
            // FY2015: $750,000, 33 % state; fees short of plan.
            (75_000_000, 24_750_000, 49_000_000, 30_000_000, 3_300, 3_356, 56, 1_250_000),
            // Thirds do not divide evenly: 1 / 3 = 3 333.33… bp → 3 333.
            (300, 100, 200, 0, 3_333, 3_333, 0, 0),
            // Nothing funded yet.
            (100, 0, 0, 0, 5_000, 0, -5_000, 100),
        ]
    )
    func arithmetic(budget: Int64, grants: Int64, invoiced: Int64, collected: Int64, target: Int, actual: Int, gap: Int, fundingGap: Int64) {
        let report = FundingReport(
            budgetCents: budget, grantsAwardedCents: grants, feesInvoicedCents: invoiced,
            feesCollectedCents: collected, targetStateShare: BasisPoints(target)
        )
        #expect(report.actualStateShare == BasisPoints(actual))
        #expect(report.stateShareGap == gap)
        #expect(report.fundingGapCents == fundingGap)
        #expect(report.feesOutstandingCents == invoiced - collected)
        if report.fundedCents > 0 {
            #expect(report.actualStateShare.value + report.actualFeeShare.value == 10_000)
        }
    }
}
