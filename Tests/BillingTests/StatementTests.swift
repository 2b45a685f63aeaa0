import Billing
import Foundation
import Testing

@Suite("Statements")
struct StatementTests {
    /// One tenant's money: invoices by letter, payments and credit notes against them.
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let invoices: [(String, InvoiceStatus, Int64)]
        let payments: [(String, Int64)]
        let credits: [(String, Int64)]
        let totals: (invoiced: Int64, paid: Int64, credited: Int64, balance: Int64)
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "partly paid and credited", invoices: [("A", .finalized, 10_000)], payments: [("A", 4_000)], credits: [("A", 1_000)], totals: (10_000, 4_000, 1_000, 5_000)),
        Case(name: "paid in full", invoices: [("A", .paid, 10_000)], payments: [("A", 6_000), ("A", 4_000)], credits: [], totals: (10_000, 10_000, 0, 0)),
        Case(name: "paid by payment and credit", invoices: [("A", .paid, 10_000)], payments: [("A", 7_500)], credits: [("A", 2_500)], totals: (10_000, 7_500, 2_500, 0)),
        // The case the route got wrong: credited, then voided. The void invoice and its
        // credit note count for nothing, as in the funding report.
        Case(name: "credit note on a voided invoice", invoices: [("A", .void, 10_000)], payments: [], credits: [("A", 2_000)], totals: (0, 0, 0, 0)),
        Case(name: "a draft is not billed", invoices: [("A", .draft, 10_000)], payments: [], credits: [], totals: (0, 0, 0, 0)),
        Case(
            name: "two years, one voided and reissued",
            invoices: [("A", .paid, 500_000), ("B", .void, 250_000), ("C", .finalized, 240_000)],
            payments: [("A", 500_000), ("C", 100_000)],
            credits: [("B", 10_000), ("C", 40_000)],
            totals: (740_000, 600_000, 40_000, 100_000)
        ),
        Case(name: "a credit note on an invoice not in the list", invoices: [("A", .finalized, 100)], payments: [], credits: [("Z", 50)], totals: (100, 0, 0, 100)),
        Case(name: "nothing yet", invoices: [], payments: [], credits: [], totals: (0, 0, 0, 0)),
    ]

    static let ids: [String: UUID] = Dictionary(uniqueKeysWithValues: ["A", "B", "C", "Z"].map { ($0, UUID()) })

    static func statement(_ example: Case) throws -> Statement {
        func entry(_ pair: (String, Int64)) throws -> Statement.Entry {
            Statement.Entry(invoiceID: try #require(ids[pair.0]), amountCents: pair.1)
        }
        return Statement(
            invoices: try example.invoices.map { Statement.Invoice(id: try #require(ids[$0.0]), status: $0.1, amountCents: $0.2) },
            payments: try example.payments.map(entry),
            creditNotes: try example.credits.map(entry)
        )
    }

    @Test("invoiced, paid, credited and the balance", arguments: cases)
    func totals(_ example: Case) throws {
        let statement = try Self.statement(example)
        #expect(statement.invoicedCents == example.totals.invoiced)
        #expect(statement.paidCents == example.totals.paid)
        #expect(statement.creditedCents == example.totals.credited)
        #expect(statement.balanceCents == example.totals.balance)
        #expect(statement.balanceCents == statement.invoicedCents - statement.paidCents - statement.creditedCents)
    }

    @Test(
        "billed means finalized or paid, for statements and the funding report alike",
        arguments: [(InvoiceStatus.draft, false), (.finalized, true), (.paid, true), (.void, false)]
    )
    func billed(status: InvoiceStatus, isBilled: Bool) {
        #expect(status.isBilled == isBilled)
    }

    @Test("sums beyond Int64 clamp; the balance stays exact when it fits")
    func hugeAmounts() throws {
        let invoices = (0..<3).map { _ in Statement.Invoice(id: UUID(), status: .finalized, amountCents: .max) }
        let payments = invoices.map { Statement.Entry(invoiceID: $0.id, amountCents: .max) }
        let statement = Statement(invoices: invoices, payments: payments, creditNotes: [])
        #expect(statement.invoicedCents == .max)
        #expect(statement.paidCents == .max)
        #expect(statement.balanceCents == 0)
        let negative = Statement(invoices: [], payments: payments, creditNotes: [])
        #expect(negative.balanceCents == .min)
    }
}
