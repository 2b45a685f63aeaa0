/// A program year's money: what it costs, who pays, and how that compares with the plan.
public struct FundingReport: Sendable, Hashable, Codable {
    public var budgetCents: Int64
    public var grantsAwardedCents: Int64
    /// Finalized and paid invoices, less credit notes; void invoices count for nothing.
    public var feesInvoicedCents: Int64
    public var feesCollectedCents: Int64
    public var targetStateShare: BasisPoints

    public init(
        budgetCents: Int64,
        grantsAwardedCents: Int64,
        feesInvoicedCents: Int64,
        feesCollectedCents: Int64,
        targetStateShare: BasisPoints
    ) {
        self.budgetCents = budgetCents
        self.grantsAwardedCents = grantsAwardedCents
        self.feesInvoicedCents = feesInvoicedCents
        self.feesCollectedCents = feesCollectedCents
        self.targetStateShare = targetStateShare
    }

    /// Grants and fees together.
    public var fundedCents: Int64 { grantsAwardedCents + feesInvoicedCents }

    /// The state's part of the funding, half-up to the basis point.
    public var actualStateShare: BasisPoints { BasisPoints.share(of: grantsAwardedCents, in: fundedCents) }

    /// The fees' part: the rest, so that the two shares always make 100 %.
    public var actualFeeShare: BasisPoints {
        fundedCents == 0 ? BasisPoints(0) : BasisPoints(10_000 - actualStateShare.value)
    }

    public var targetFeeShare: BasisPoints { BasisPoints(10_000 - targetStateShare.value) }

    /// Actual minus target state share, in basis points (negative: the state pays less than planned).
    public var stateShareGap: Int { actualStateShare.value - targetStateShare.value }

    /// Budget not yet covered by grants and fees (negative: more than the budget).
    public var fundingGapCents: Int64 { budgetCents - fundedCents }

    /// Fees invoiced and not yet collected.
    public var feesOutstandingCents: Int64 { feesInvoicedCents - feesCollectedCents }
}
