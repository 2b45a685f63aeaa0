/// An invoice's life: draft → finalized → (paid | void).
public enum InvoiceStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case draft, finalized, paid, void

    /// Whether the invoice bills the tenant: finalized or paid. A draft has not been
    /// issued and a void invoice counts for nothing, nor do its credit notes: statements
    /// and the funding report both count by this.
    public var isBilled: Bool { self == .finalized || self == .paid }
}

/// What can be done to an invoice, and with how much money, given its amounts so far.
public struct InvoiceBalance: Sendable, Hashable {
    public var status: InvoiceStatus
    public var amountCents: Int64
    public var paidCents: Int64
    public var creditedCents: Int64

    public init(status: InvoiceStatus, amountCents: Int64, paidCents: Int64 = 0, creditedCents: Int64 = 0) {
        self.status = status
        self.amountCents = amountCents
        self.paidCents = paidCents
        self.creditedCents = creditedCents
    }

    /// What the tenant still owes.
    public var openCents: Int64 { amountCents - paidCents - creditedCents }

    public enum Refusal: Error, Equatable, Sendable {
        case notFinalized(InvoiceStatus)
        case notDraft(InvoiceStatus)
        case amountMustBePositive
        case exceedsOpenBalance(openCents: Int64)
        case exceedsCreditable(creditableCents: Int64)
        case hasPayments
    }

    public func checkFinalize() throws(Refusal) {
        guard status == .draft else { throw .notDraft(status) }
    }

    /// A payment: positive, on a finalized invoice, never above the open balance.
    public func checkPayment(_ cents: Int64) throws(Refusal) {
        guard cents > 0 else { throw .amountMustBePositive }
        guard status == .finalized else { throw .notFinalized(status) }
        guard cents <= openCents else { throw .exceedsOpenBalance(openCents: openCents) }
    }

    /// A credit note: positive, on a finalized (or paid) invoice, never above what is
    /// left to credit (the invoice less earlier credit notes and less what was paid).
    public func checkCredit(_ cents: Int64) throws(Refusal) {
        guard cents > 0 else { throw .amountMustBePositive }
        guard status == .finalized else { throw .notFinalized(status) }
        guard cents <= openCents else { throw .exceedsCreditable(creditableCents: openCents) }
    }

    /// Voiding: a finalized invoice with no payment keeps its number and owes nothing.
    public func checkVoid() throws(Refusal) {
        guard status == .finalized || status == .draft else { throw .notFinalized(status) }
        guard paidCents == 0 else { throw .hasPayments }
    }

    /// The status after money arrives: paid when nothing is left open.
    public func statusAfter(paying cents: Int64) -> InvoiceStatus {
        openCents - cents == 0 ? .paid : status
    }
}
