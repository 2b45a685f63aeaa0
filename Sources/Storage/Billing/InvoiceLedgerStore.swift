import Billing
import Domain
import Foundation
import PostgresNIO

/// The Center's invoice list across tenants (a Center admin's transaction sees them all):
/// newest program year first, then by tenant, filtered by standing and program year.
extension InvoiceStore {
    /// An invoice with the name of the tenant it bills.
    public struct LedgerLine: Sendable, Hashable {
        public var tenantName: String
        public var invoice: InvoiceRecord
    }

    /// Which invoices: `standing` on `asOf` (all when nil), one program and year when set.
    public struct LedgerFilter: Sendable, Hashable {
        public var standing: InvoiceStanding?
        public var program: String?
        public var fiscalYear: Int?
        public var asOf: CivilDate

        public init(standing: InvoiceStanding?, program: String?, fiscalYear: Int?, asOf: CivilDate) {
            self.standing = standing
            self.program = program
            self.fiscalYear = fiscalYear
            self.asOf = asOf
        }

        /// Past due (true), not past due (false), either (nil): the due-day half of a standing.
        var late: Bool? {
            switch standing {
            case .open: false
            case .pastDue: true
            default: nil
            }
        }
    }

    /// A page of the list after the invoice `after` (its id: the list's order is by fiscal
    /// year, newest first, then tenant name, then id).
    public func ledger(_ filter: LedgerFilter, after: UUID?, limit: Int, on connection: PostgresConnection) async throws -> [LedgerLine] {
        let year = try filter.fiscalYear.map { try smallint($0) }
        let rows = try await connection.query(
            """
            SELECT t.name, i.tenant_id, i.id, i.enrollment_id, i.program_code, i.fiscal_year::int, i.status, i.number,
                   i.annual_fee_cents, i.billed_days, i.year_days, i.amount_cents,
                   coalesce((SELECT sum(p.amount_cents) FROM payments p WHERE p.tenant_id = i.tenant_id AND p.invoice_id = i.id), 0)::bigint,
                   coalesce((SELECT sum(c.amount_cents) FROM credit_notes c WHERE c.tenant_id = i.tenant_id AND c.invoice_id = i.id), 0)::bigint,
                   i.issued_on::text, i.due_on::text
            FROM invoices i JOIN tenants t ON t.tenant_id = i.tenant_id
            WHERE (\(filter.standing?.status.rawValue)::text IS NULL OR i.status = \(filter.standing?.status.rawValue))
              AND (\(filter.late)::boolean IS NULL OR coalesce(i.due_on < \(filter.asOf.description)::date, false) = \(filter.late))
              AND (\(filter.program)::text IS NULL OR i.program_code = \(filter.program))
              AND (\(year)::smallint IS NULL OR i.fiscal_year = \(year))
              AND (\(after)::uuid IS NULL OR (-i.fiscal_year, t.name, i.id) > (
                    SELECT -c.fiscal_year, ct.name, c.id FROM invoices c JOIN tenants ct ON ct.tenant_id = c.tenant_id WHERE c.id = \(after)))
            ORDER BY -i.fiscal_year, t.name, i.id
            LIMIT \(limit)
            """,
            logger: logger
        )
        typealias Row = (String, UUID, UUID, UUID, String, Int, String, String?, Int64, Int, Int, Int64, Int64, Int64, String?, String?)
        var lines: [LedgerLine] = []
        for try await row in rows.decode(Row.self) {
            let invoice = InvoiceRecord(
                tenantID: row.1, id: row.2, enrollmentID: row.3, programCode: row.4, fiscalYear: row.5,
                status: InvoiceStatus(rawValue: row.6) ?? .draft, number: row.7, annualFeeCents: row.8, billedDays: row.9,
                yearDays: row.10, amountCents: row.11, paidCents: row.12, creditedCents: row.13,
                issuedOn: row.14.flatMap { CivilDate(iso8601: $0) }, dueOn: row.15.flatMap { CivilDate(iso8601: $0) }
            )
            lines.append(LedgerLine(tenantName: row.0, invoice: invoice))
        }
        return lines
    }

    /// How many invoices, and how much money, stand in each standing on `asOf` within the
    /// filter's program year (its standing is ignored: these are the filter's tabs).
    public struct StandingTotal: Sendable, Hashable {
        public var count = 0
        public var amountCents: Int64 = 0
        public var openCents: Int64 = 0

        public init() {}
    }

    public func ledgerTotals(_ filter: LedgerFilter, on connection: PostgresConnection) async throws -> [InvoiceStanding: StandingTotal] {
        let year = try filter.fiscalYear.map { try smallint($0) }
        let rows = try await connection.query(
            """
            SELECT i.status, i.due_on::text, count(*)::bigint, sum(i.amount_cents)::bigint,
                   coalesce(sum((SELECT sum(p.amount_cents) FROM payments p WHERE p.tenant_id = i.tenant_id AND p.invoice_id = i.id)), 0)::bigint,
                   coalesce(sum((SELECT sum(c.amount_cents) FROM credit_notes c WHERE c.tenant_id = i.tenant_id AND c.invoice_id = i.id)), 0)::bigint
            FROM invoices i
            WHERE (\(filter.program)::text IS NULL OR i.program_code = \(filter.program))
              AND (\(year)::smallint IS NULL OR i.fiscal_year = \(year))
            GROUP BY i.status, i.due_on
            """,
            logger: logger
        )
        var totals: [InvoiceStanding: StandingTotal] = [:]
        for try await (statusText, due, count, amount, paid, credited) in rows.decode((String, String?, Int64, Int64, Int64, Int64).self) {
            guard let status = InvoiceStatus(rawValue: statusText) else { continue }
            let standing = InvoiceStanding.of(status: status, dueOn: due.flatMap { CivilDate(iso8601: $0) }, asOf: filter.asOf)
            let balance = InvoiceBalance(status: status, amountCents: amount, paidCents: paid, creditedCents: credited)
            totals[standing, default: StandingTotal()].count += Int(count)
            totals[standing, default: StandingTotal()].amountCents += amount
            totals[standing, default: StandingTotal()].openCents += status.isBilled ? balance.openCents : 0
        }
        return totals
    }
}
