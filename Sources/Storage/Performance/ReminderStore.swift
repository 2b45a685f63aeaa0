import Domain
import Foundation
import Logging
import PostgresNIO

/// A measure that may need a reminder: it has an owner, and its tenant's due day is today.
public struct ReminderCandidate: Sendable, Hashable {
    public var tenantID: UUID
    public var tenantName: String
    public var measureID: UUID
    public var measureName: String
    public var frequency: Frequency
    public var fiscalYearStartMonth: Int
    public var ownerID: UUID
    public var ownerEmail: String
    public var ownerName: String
}

/// One reminder to write: a measure, the period it asks for, and who gets it.
public struct DueReminder: Sendable, Hashable {
    public var candidate: ReminderCandidate
    public var period: CivilDate

    public init(candidate: ReminderCandidate, period: CivilDate) {
        self.candidate = candidate
        self.period = period
    }
}

/// Data-due reminders (migration 0013), across every tenant: for the worker, in a
/// transaction that sees all tenants.
public struct ReminderStore: Sendable {
    let logger: Logger

    public init(logger: Logger) {
        self.logger = logger
    }

    /// The measures with an owner who can sign in, of the tenants whose due day is `day`.
    public func candidates(dueDay day: Int, on connection: PostgresConnection) async throws -> [ReminderCandidate] {
        let rows = try await connection.query(
            """
            SELECT t.tenant_id, t.name, m.id, m.name, m.frequency, j.fiscal_year_start_month::int, u.id, u.email, u.display_name
            FROM tenants t
            JOIN jurisdictions j ON j.code = t.jurisdiction_code
            JOIN measures m ON m.tenant_id = t.tenant_id
            JOIN users u ON u.id = m.owner_id AND u.disabled_at IS NULL
            WHERE t.data_due_day = \(day)
            ORDER BY t.tenant_id, m.id
            """,
            logger: logger
        )
        var found: [ReminderCandidate] = []
        for try await (tenantID, tenantName, measureID, measureName, frequency, startMonth, ownerID, email, name) in rows.decode(
            (UUID, String, UUID, String, String, Int, UUID, String, String).self
        ) {
            guard let frequency = Frequency(rawValue: frequency) else { continue }
            found.append(
                ReminderCandidate(
                    tenantID: tenantID, tenantName: tenantName, measureID: measureID, measureName: measureName, frequency: frequency,
                    fiscalYearStartMonth: startMonth, ownerID: ownerID, ownerEmail: email, ownerName: name
                )
            )
        }
        return found
    }

    /// Records the reminders whose period still has no value and that nobody recorded
    /// before, in one statement; returns those it recorded (each is to be mailed in this
    /// transaction). A concurrent run that recorded one first wins it. The values already
    /// entered are read apart and joined, not looked up row by row: Citus plans no
    /// subquery that refers to a row of a list given with the statement.
    public func record(_ reminders: [DueReminder], on today: CivilDate, on connection: PostgresConnection) async throws -> Set<DueReminderKey> {
        guard !reminders.isEmpty else { return [] }
        let rows = try await connection.query(
            """
            WITH wanted AS MATERIALIZED (
                SELECT * FROM unnest(\(reminders.map(\.candidate.tenantID))::uuid[], \(reminders.map(\.candidate.measureID))::uuid[],
                                     \(reminders.map { Int32(clamping: $0.period.daysSinceEpoch) })::int4[],
                                     \(reminders.map(\.candidate.ownerID))::uuid[])
                    AS r(tenant_id, measure_id, day, owner_id)
            ), entered AS MATERIALIZED (
                SELECT d.tenant_id, d.measure_id, d.period FROM data_points d
                WHERE d.tenant_id = ANY(\(reminders.map(\.candidate.tenantID))::uuid[])
                  AND d.measure_id = ANY(\(reminders.map(\.candidate.measureID))::uuid[])
            )
            INSERT INTO data_reminders (tenant_id, measure_id, period, owner_id, sent_on)
            SELECT w.tenant_id, w.measure_id, date '1970-01-01' + w.day, w.owner_id, date '1970-01-01' + \(Int32(clamping: today.daysSinceEpoch))
            FROM wanted w
            LEFT JOIN entered e ON e.tenant_id = w.tenant_id AND e.measure_id = w.measure_id AND e.period = date '1970-01-01' + w.day
            WHERE e.tenant_id IS NULL
            ON CONFLICT (tenant_id, measure_id, period) DO NOTHING
            RETURNING measure_id, (period - date '1970-01-01')::int
            """,
            logger: logger
        )
        var recorded: Set<DueReminderKey> = []
        for try await (measureID, day) in rows.decode((UUID, Int).self) {
            recorded.insert(DueReminderKey(measureID: measureID, daysSinceEpoch: day))
        }
        return recorded
    }
}

/// A recorded reminder: its measure and period.
public struct DueReminderKey: Sendable, Hashable {
    public var measureID: UUID
    public var daysSinceEpoch: Int

    public init(measureID: UUID, daysSinceEpoch: Int) {
        self.measureID = measureID
        self.daysSinceEpoch = daysSinceEpoch
    }
}
