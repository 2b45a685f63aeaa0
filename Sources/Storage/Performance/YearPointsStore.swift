import Domain
import Foundation
import PostgresNIO

/// The values of one fiscal year, by measure: what the completeness grid, a measure's page
/// and the public page show for a year (the dashboard shows each measure's latest values).
extension MeasureStore {
    public func yearPoints(
        tenantID: UUID, departmentID: UUID?, from first: CivilDate, before next: CivilDate, on connection: PostgresConnection
    ) async throws -> [UUID: [PeriodValue]] {
        let rows = try await connection.query(
            """
            SELECT d.measure_id, d.period::text, d.value::text FROM data_points d
            JOIN measures m ON m.tenant_id = d.tenant_id AND m.id = d.measure_id
            WHERE d.tenant_id = \(tenantID) AND (\(departmentID)::uuid IS NULL OR m.department_id = \(departmentID))
              AND d.period >= \(first.description)::date AND d.period < \(next.description)::date
            ORDER BY d.measure_id, d.period
            """,
            logger: logger
        )
        var points: [UUID: [PeriodValue]] = [:]
        for try await (measure, period, value) in rows.decode((UUID, String, String).self) {
            guard let day = CivilDate(iso8601: period), let quantity = Quantity(value) else { continue }
            points[measure, default: []].append(PeriodValue(period: day, value: quantity))
        }
        return points
    }

    /// The dashboard's rows of `fiscalYear` (measures, targets), each with that year's
    /// values instead of its latest, and its status and trend from them.
    public func yearRows(
        tenantIDs: [UUID], departmentID: UUID?, fiscalYear: FiscalYear, on connection: PostgresConnection
    ) async throws -> [DashboardRow] {
        let rows = try await dashboard(tenantIDs: tenantIDs, departmentID: departmentID, fiscalYear: fiscalYear.endingYear, periods: 1, on: connection)
        var points: [UUID: [PeriodValue]] = [:]
        for tenantID in tenantIDs {
            let next = fiscalYear.next.firstDay
            points.merge(
                try await yearPoints(tenantID: tenantID, departmentID: departmentID, from: fiscalYear.firstDay, before: next, on: connection)
            ) { first, _ in first }
        }
        return rows.map { DashboardRow(measure: $0.measure, target: $0.target, toleranceBasisPoints: $0.toleranceBasisPoints, points: points[$0.measure.id] ?? []) }
    }
}

/// A value's history: every change, with why and by whom.
public struct DataRevision: Sendable, Hashable {
    public var period: CivilDate
    public var previous: String?
    public var new: String
    public var reason: String
    public var changedBy: String?
    public var changedAt: Date
}

extension MeasureStore {
    public func revisions(measure: MeasureRecord, on connection: PostgresConnection) async throws -> [DataRevision] {
        let rows = try await connection.query(
            """
            SELECT r.period::text, r.previous_value::text, r.new_value::text, r.reason, coalesce(nullif(u.display_name, ''), u.email), r.changed_at
            FROM data_point_revisions r LEFT JOIN users u ON u.id = r.changed_by
            WHERE r.tenant_id = \(measure.tenantID) AND r.measure_id = \(measure.id)
            ORDER BY r.period, r.changed_at, r.id
            """,
            logger: logger
        )
        var revisions: [DataRevision] = []
        for try await (period, previous, new, reason, who, when) in rows.decode((String, String?, String, String, String?, Date).self) {
            guard let day = CivilDate(iso8601: period) else { continue }
            revisions.append(DataRevision(period: day, previous: previous, new: new, reason: reason, changedBy: who, changedAt: when))
        }
        return revisions
    }
}
