import Billing
import Domain
import Foundation
import Logging
import PostgresNIO

/// One invoice's open balance in the aging report.
public struct OpenInvoice: Sendable, Hashable, Codable {
    public var tenantID: UUID
    public var tenantName: String
    public var invoiceID: UUID
    public var number: String
    public var dueOn: CivilDate
    public var openCents: Int64
}

/// The Center's reports across tenants: run in a Center-scope transaction.
public struct BillingReportStore: Sendable {
    public let logger: Logger

    public init(logger: Logger) {
        self.logger = logger
    }

    /// Finalized invoices with money still open on `asOf` (payments and credit notes dated
    /// on or before it count; later ones do not).
    public func openInvoices(asOf: CivilDate, on connection: PostgresConnection) async throws -> [OpenInvoice] {
        let rows = try await connection.query(
            """
            SELECT i.tenant_id, t.name, i.id, i.number, i.due_on::text,
                   (i.amount_cents - coalesce(p.cents, 0) - coalesce(c.cents, 0))::bigint AS open_cents
            FROM invoices i
            JOIN tenants t ON t.tenant_id = i.tenant_id
            LEFT JOIN (SELECT tenant_id, invoice_id, sum(amount_cents) AS cents FROM payments
                       WHERE received_on <= \(asOf.description)::date GROUP BY tenant_id, invoice_id) p
                ON p.tenant_id = i.tenant_id AND p.invoice_id = i.id
            LEFT JOIN (SELECT tenant_id, invoice_id, sum(amount_cents) AS cents FROM credit_notes
                       WHERE issued_on <= \(asOf.description)::date GROUP BY tenant_id, invoice_id) c
                ON c.tenant_id = i.tenant_id AND c.invoice_id = i.id
            WHERE i.status IN ('finalized', 'paid') AND i.issued_on <= \(asOf.description)::date
            ORDER BY t.name, i.number
            """,
            logger: logger
        )
        var invoices: [OpenInvoice] = []
        for try await (tenantID, name, invoiceID, number, due, open) in rows.decode((UUID, String, UUID, String, String, Int64).self) {
            guard open > 0, let dueOn = CivilDate(iso8601: due) else { continue }
            invoices.append(OpenInvoice(tenantID: tenantID, tenantName: name, invoiceID: invoiceID, number: number, dueOn: dueOn, openCents: open))
        }
        return invoices
    }

    /// The money of a program year, in one query. Each sum names the year by its parameters
    /// rather than by the outer row: on Citus a subquery over distributed tables may not
    /// refer to a reference table's row.
    public func funding(program: String, fiscalYear: Int, on connection: PostgresConnection) async throws -> FundingReport? {
        let year = try smallint(fiscalYear)
        let rows = try await connection.query(
            """
            SELECT y.budget_cents, y.target_state_share_bp,
                coalesce((SELECT sum(amount_cents) FROM grant_awards
                          WHERE program_code = \(program) AND fiscal_year = \(year)), 0)::bigint,
                coalesce((SELECT sum(amount_cents) FROM invoices
                          WHERE program_code = \(program) AND fiscal_year = \(year) AND status IN ('finalized', 'paid')), 0)::bigint,
                coalesce((SELECT sum(c.amount_cents) FROM credit_notes c JOIN invoices i ON i.tenant_id = c.tenant_id AND i.id = c.invoice_id
                          WHERE i.program_code = \(program) AND i.fiscal_year = \(year) AND i.status IN ('finalized', 'paid')), 0)::bigint,
                coalesce((SELECT sum(p.amount_cents) FROM payments p JOIN invoices i ON i.tenant_id = p.tenant_id AND i.id = p.invoice_id
                          WHERE i.program_code = \(program) AND i.fiscal_year = \(year)), 0)::bigint
            FROM program_years y WHERE y.program_code = \(program) AND y.fiscal_year = \(year)
            """,
            logger: logger
        )
        for try await (budget, target, grants, invoiced, credited, collected) in rows.decode((Int64, Int, Int64, Int64, Int64, Int64).self) {
            return FundingReport(
                budgetCents: budget,
                grantsAwardedCents: grants,
                feesInvoicedCents: invoiced - credited,
                feesCollectedCents: collected,
                targetStateShare: BasisPoints(target)
            )
        }
        return nil
    }

    /// Enrolled tenants of a program year, for the report's headline.
    public func enrollmentCount(program: String, fiscalYear: Int, on connection: PostgresConnection) async throws -> Int {
        let rows = try await connection.query(
            "SELECT count(*)::int FROM enrollments WHERE program_code = \(program) AND fiscal_year = \(try smallint(fiscalYear))",
            logger: logger
        )
        for try await count in rows.decode(Int.self) { return count }
        return 0
    }
}
