import Billing
import Domain
import Foundation
import PostgresNIO

/// What the Center's tenants list shows beside each tenant, in one query: its latest
/// program year, its analysts, its latest invoice, and when it last entered data. Each
/// figure is gathered per tenant first and then joined to the registry: on Citus, a
/// reference table's row may not be looked into a distributed table row by row.
extension TenantStore {
    public struct Summary: Sendable, Hashable {
        public var programYear: String?
        public var analysts: String?
        public var invoiceAmountCents: Int64?
        public var invoiceStatus: InvoiceStatus?
        public var invoiceDueOn: CivilDate?
        public var lastData: Date?
    }

    public func summaries(of ids: [UUID], on connection: PostgresConnection) async throws -> [UUID: Summary] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await connection.query(
            """
            WITH years AS (
                SELECT DISTINCT ON (e.tenant_id) e.tenant_id, e.program_code || ' FY' || e.fiscal_year AS year
                FROM enrollments e WHERE e.tenant_id = ANY (\(ids))
                ORDER BY e.tenant_id, e.fiscal_year DESC, e.program_code
            ), analysts AS (
                SELECT p.tenant_id,
                       string_agg(coalesce(nullif(u.display_name, ''), u.email), ', ' ORDER BY coalesce(nullif(u.display_name, ''), u.email)) AS names
                FROM analyst_portfolios p JOIN users u ON u.id = p.user_id
                WHERE p.tenant_id = ANY (\(ids))
                GROUP BY p.tenant_id
            ), latest_invoices AS (
                SELECT DISTINCT ON (v.tenant_id) v.tenant_id, v.amount_cents, v.status, v.due_on
                FROM invoices v WHERE v.tenant_id = ANY (\(ids))
                ORDER BY v.tenant_id, v.fiscal_year DESC, v.number DESC NULLS LAST
            ), entries AS (
                SELECT d.tenant_id, max(d.entered_at) AS last_at
                FROM data_points d WHERE d.tenant_id = ANY (\(ids))
                GROUP BY d.tenant_id
            )
            SELECT t.tenant_id, y.year, a.names, i.amount_cents, i.status, i.due_on::text, e.last_at
            FROM tenants t
            LEFT JOIN years y ON y.tenant_id = t.tenant_id
            LEFT JOIN analysts a ON a.tenant_id = t.tenant_id
            LEFT JOIN latest_invoices i ON i.tenant_id = t.tenant_id
            LEFT JOIN entries e ON e.tenant_id = t.tenant_id
            WHERE t.tenant_id = ANY (\(ids))
            """,
            logger: logger
        )
        var summaries: [UUID: Summary] = [:]
        for try await (id, year, analysts, amount, status, due, lastData) in rows.decode((UUID, String?, String?, Int64?, String?, String?, Date?).self) {
            summaries[id] = Summary(
                programYear: year, analysts: analysts, invoiceAmountCents: amount, invoiceStatus: status.flatMap(InvoiceStatus.init(rawValue:)),
                invoiceDueOn: due.flatMap { CivilDate(iso8601: $0) }, lastData: lastData
            )
        }
        return summaries
    }
}
