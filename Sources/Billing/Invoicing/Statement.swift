import Foundation

/// A tenant's statement totals (DESIGN.md section 6): what was invoiced, paid and
/// credited, and the balance, by the same rule as the funding report.
///
/// - invoiced: the amounts of billed invoices (finalized or paid, `InvoiceStatus.isBilled`);
/// - paid: every payment (a payment is money received, whatever became of its invoice;
///   an invoice with payments cannot be voided anyway);
/// - credited: credit notes on billed invoices only: a credit note on an invoice that was
///   later voided does not count, as the void invoice does not;
/// - balance: invoiced − paid − credited.
///
/// Sums are taken in 128 bits and given back clamped to `Int64`, so no list of amounts
/// can trap; the balance is exact whenever it fits, even if a sum alone would not.
public struct Statement: Sendable, Hashable {
    /// An invoice as the statement needs it.
    public struct Invoice: Sendable, Hashable {
        public var id: UUID
        public var status: InvoiceStatus
        public var amountCents: Int64

        public init(id: UUID, status: InvoiceStatus, amountCents: Int64) {
            self.id = id
            self.status = status
            self.amountCents = amountCents
        }
    }

    /// A payment or a credit note against an invoice.
    public struct Entry: Sendable, Hashable {
        public var invoiceID: UUID
        public var amountCents: Int64

        public init(invoiceID: UUID, amountCents: Int64) {
            self.invoiceID = invoiceID
            self.amountCents = amountCents
        }
    }

    public let invoicedCents: Int64
    public let paidCents: Int64
    public let creditedCents: Int64
    public let balanceCents: Int64

    /// The totals of a tenant's invoices (any status), payments and credit notes. A
    /// credit note whose invoice is not among `invoices` does not count either.
    public init(invoices: [Invoice], payments: [Entry], creditNotes: [Entry]) {
        var billed: Set<UUID> = []
        var invoiced: Int128 = 0
        for invoice in invoices where invoice.status.isBilled {
            billed.insert(invoice.id)
            invoiced += Int128(invoice.amountCents)
        }
        let paid = payments.reduce(Int128(0)) { $0 + Int128($1.amountCents) }
        let credited = creditNotes.reduce(Int128(0)) { billed.contains($1.invoiceID) ? $0 + Int128($1.amountCents) : $0 }
        invoicedCents = Self.clamped(invoiced)
        paidCents = Self.clamped(paid)
        creditedCents = Self.clamped(credited)
        balanceCents = Self.clamped(invoiced - paid - credited)
    }

    /// Below 2⁶³ entries of at most 2⁶³ each, the sums stay under 2¹²⁶.
    private static func clamped(_ cents: Int128) -> Int64 {
        Int64(min(max(cents, Int128(Int64.min)), Int128(Int64.max)))
    }
}
