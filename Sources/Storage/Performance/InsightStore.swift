import Domain
import Foundation
import Logging
import PostgresNIO

/// Across tenants: peer benchmarks and the portfolio overview.
public struct InsightStore: Sendable {
    public let logger: Logger

    public init(logger: Logger) {
        self.logger = logger
    }

    /// The values of every measure adopted from `templateID` and shared (named or
    /// anonymized) in the periods from `first` to `last`; the tenant's name only for
    /// values shared by name.
    ///
    /// Turns the transaction read-only and opens the benchmark (`app_open_benchmark`,
    /// migration 0018) for this one query, so that the policies `shared_measures`,
    /// `shared_data_points` and `named_sharers` admit other tenants' shared rows of this
    /// template; private measures match no policy and never leave their tenant.
    /// Call it last in a transaction: nothing may be written after it.
    public func benchmark(
        templateID: UUID,
        from first: CivilDate,
        through last: CivilDate,
        on connection: PostgresConnection
    ) async throws -> [SharedValue] {
        try await connection.execute("SET TRANSACTION READ ONLY", logger: logger)
        try await connection.execute("SELECT app_open_benchmark(\(templateID))", logger: logger)
        let rows = try await connection.query(
            """
            SELECT m.tenant_id, CASE WHEN m.sharing = 'named' THEN t.name END, m.sharing, d.period::text, d.value::text
            FROM measures m
            JOIN data_points d ON d.tenant_id = m.tenant_id AND d.measure_id = m.id
            LEFT JOIN tenants t ON t.tenant_id = m.tenant_id
            WHERE m.template_id = \(templateID) AND m.sharing IN ('named', 'anonymized')
              AND d.period BETWEEN \(first.description)::date AND \(last.description)::date
            ORDER BY d.period, m.tenant_id
            """,
            logger: logger
        )
        var values: [SharedValue] = []
        for try await (tenantID, name, sharing, period, value) in rows.decode((UUID, String?, String, String, String).self) {
            guard let sharing = Sharing(rawValue: sharing), let date = CivilDate(iso8601: period), let number = Quantity(value) else {
                continue
            }
            values.append(SharedValue(tenantID: tenantID, tenantName: sharing == .named ? name : nil, sharing: sharing, period: date, value: number))
        }
        try await connection.execute("SELECT app_set('app.benchmark', '')", logger: logger)
        return values
    }

    /// A tenant of the portfolio overview and what is going on there.
    public struct TenantActivity: Sendable {
        public var tenantID: UUID
        public var name: String
        /// The month its jurisdiction's fiscal year starts in.
        public var fiscalYearStartMonth: Int
        public var openActionItems: Int
        /// The due dates of the open action items that have one.
        public var openDueDates: [CivilDate]
        /// The first meeting on or after the day asked about.
        public var nextMeeting: CivilDate?
        /// Finalized invoices not yet paid or voided.
        public var openInvoices: Int
    }

    /// Every tenant the transaction sees, by name, with its fiscal year start, its open
    /// action items (in `assignedOnly` tenants, only those owned by `userID`), its next
    /// meeting from `today` and its open invoices: one query for all of them, each figure
    /// grouped by tenant before the join (on Citus, one pass over the shards apiece).
    public func activity(
        today: CivilDate,
        assignedOnly: [UUID],
        userID: UUID,
        on connection: PostgresConnection
    ) async throws -> [TenantActivity] {
        let rows = try await connection.query(
            """
            WITH open_items AS (
                SELECT a.tenant_id, count(*) AS open,
                       array_agg(a.due_on::text ORDER BY a.due_on) FILTER (WHERE a.due_on IS NOT NULL) AS due_dates
                FROM action_items a
                WHERE a.status = 'open' AND (NOT a.tenant_id = ANY(\(assignedOnly)::uuid[]) OR a.owner_id = \(userID))
                GROUP BY a.tenant_id
            ), next_meetings AS (
                SELECT m.tenant_id, min(m.held_on) AS held_on FROM meetings m
                WHERE m.held_on >= \(today.description)::date
                GROUP BY m.tenant_id
            ), open_invoices AS (
                SELECT i.tenant_id, count(*) AS open FROM invoices i
                WHERE i.status = 'finalized'
                GROUP BY i.tenant_id
            )
            SELECT t.tenant_id, t.name, j.fiscal_year_start_month::int,
                coalesce(o.open, 0)::int, coalesce(o.due_dates, '{}'), n.held_on::text, coalesce(i.open, 0)::int
            FROM tenants t
            JOIN jurisdictions j ON j.code = t.jurisdiction_code
            LEFT JOIN open_items o ON o.tenant_id = t.tenant_id
            LEFT JOIN next_meetings n ON n.tenant_id = t.tenant_id
            LEFT JOIN open_invoices i ON i.tenant_id = t.tenant_id
            ORDER BY t.name, t.tenant_id
            """,
            logger: logger
        )
        var tenants: [TenantActivity] = []
        for try await (tenantID, name, startMonth, open, dueDates, next, invoices) in rows.decode(
            (UUID, String, Int, Int, [String], String?, Int).self
        ) {
            tenants.append(
                TenantActivity(
                    tenantID: tenantID, name: name, fiscalYearStartMonth: startMonth, openActionItems: open,
                    openDueDates: dueDates.compactMap { CivilDate(iso8601: $0) }, nextMeeting: next.flatMap { CivilDate(iso8601: $0) },
                    openInvoices: invoices
                )
            )
        }
        return tenants
    }
}
