import Domain
import Foundation
import Logging
import PostgresNIO

/// Across tenants: peer benchmarks and the analyst's portfolio overview.
public struct InsightStore: Sendable {
    public let logger: Logger

    public init(logger: Logger) {
        self.logger = logger
    }

    /// The values of every measure adopted from `templateID` and shared (named or
    /// anonymized) in the periods from `first` to `last`.
    ///
    /// Runs in a read-only transaction with `app.benchmark` on, so that the policies
    /// `shared_measures`, `shared_data_points` and `named_sharers` admit other tenants'
    /// shared rows; private measures match no policy and never leave their tenant.
    public func benchmark(
        templateID: UUID,
        from first: CivilDate,
        through last: CivilDate,
        on connection: PostgresConnection
    ) async throws -> [BenchmarkValue] {
        try await connection.execute("SET TRANSACTION READ ONLY", logger: logger)
        try await connection.execute("SELECT set_config('app.benchmark', 'on', true)", logger: logger)
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
        var values: [BenchmarkValue] = []
        for try await (tenantID, name, sharing, period, value) in rows.decode((UUID, String?, String, String, String).self) {
            guard let sharing = Sharing(rawValue: sharing), let date = CivilDate(iso8601: period), let number = Decimal(string: value) else { continue }
            values.append(BenchmarkValue(tenantID: tenantID, tenantName: sharing == .named ? name : nil, sharing: sharing, period: date, value: number))
        }
        try await connection.execute("SELECT set_config('app.benchmark', '', true)", logger: logger)
        return values
    }

    public struct TenantActivity: Sendable {
        public var openActionItems: Int
        public var overdueActionItems: Int
        public var nextMeeting: CivilDate?
        public var openInvoices: Int
    }

    /// Open and overdue action items, the next meeting and open invoices of each tenant:
    /// one query for all of them.
    public func activity(tenantIDs: [UUID], today: CivilDate, on connection: PostgresConnection) async throws -> [UUID: TenantActivity] {
        let rows = try await connection.query(
            """
            SELECT t.tenant_id,
                (SELECT count(*) FROM action_items a WHERE a.tenant_id = t.tenant_id AND a.status = 'open')::int,
                (SELECT count(*) FROM action_items a WHERE a.tenant_id = t.tenant_id AND a.status = 'open'
                    AND a.due_on < \(today.description)::date)::int,
                (SELECT min(m.held_on) FROM meetings m WHERE m.tenant_id = t.tenant_id AND m.held_on >= \(today.description)::date)::text,
                (SELECT count(*) FROM invoices i WHERE i.tenant_id = t.tenant_id AND i.status = 'finalized')::int
            FROM unnest(\(tenantIDs)::uuid[]) AS t(tenant_id)
            """,
            logger: logger
        )
        var activity: [UUID: TenantActivity] = [:]
        for try await (tenantID, open, overdue, next, invoices) in rows.decode((UUID, Int, Int, String?, Int).self) {
            activity[tenantID] = TenantActivity(
                openActionItems: open, overdueActionItems: overdue, nextMeeting: next.flatMap { CivilDate(iso8601: $0) }, openInvoices: invoices
            )
        }
        return activity
    }
}
