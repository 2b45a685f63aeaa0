import Billing
import Domain
import Foundation
import PostgresNIO

/// What the Center's tenants list shows beside each tenant, in one query: its latest
/// program year, its analysts, its latest invoice, and when it last entered data.
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
            SELECT t.tenant_id,
                   (SELECT e.program_code || ' FY' || e.fiscal_year FROM enrollments e
                    WHERE e.tenant_id = t.tenant_id ORDER BY e.fiscal_year DESC, e.program_code LIMIT 1),
                   (SELECT string_agg(coalesce(nullif(u.display_name, ''), u.email), ', ' ORDER BY coalesce(nullif(u.display_name, ''), u.email))
                    FROM analyst_portfolios p JOIN users u ON u.id = p.user_id WHERE p.tenant_id = t.tenant_id),
                   i.amount_cents, i.status, i.due_on::text,
                   (SELECT max(d.entered_at) FROM data_points d WHERE d.tenant_id = t.tenant_id)
            FROM tenants t
            LEFT JOIN LATERAL (
                SELECT amount_cents, status, due_on FROM invoices v WHERE v.tenant_id = t.tenant_id
                ORDER BY v.fiscal_year DESC, v.number DESC NULLS LAST LIMIT 1
            ) i ON true
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
