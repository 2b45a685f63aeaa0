import Domain
import Foundation
import Logging
import PostgresNIO

/// Stat meetings, their hand-added agenda items, and action items.
public struct MeetingStore: Sendable {
    public let logger: Logger

    public init(logger: Logger) {
        self.logger = logger
    }

    public func create(_ meeting: MeetingRecord, tenantID: UUID, by userID: UUID, on connection: PostgresConnection) async throws {
        try await connection.execute(
            """
            INSERT INTO meetings (tenant_id, id, held_on, title, attendees, created_by)
            VALUES (\(tenantID), \(meeting.id), \(meeting.heldOn.description)::date, \(meeting.title), \(meeting.attendees)::text[], \(userID))
            """,
            logger: logger
        )
    }

    public func meetings(tenantID: UUID, on connection: PostgresConnection) async throws -> [MeetingRecord] {
        let rows = try await connection.query(
            "SELECT id, held_on::text, title, attendees FROM meetings WHERE tenant_id = \(tenantID) ORDER BY held_on DESC, id",
            logger: logger
        )
        return try await decodeMeetings(rows)
    }

    public func meeting(_ id: UUID, tenantID: UUID, on connection: PostgresConnection) async throws -> MeetingRecord? {
        let rows = try await connection.query(
            "SELECT id, held_on::text, title, attendees FROM meetings WHERE tenant_id = \(tenantID) AND id = \(id)",
            logger: logger
        )
        return try await decodeMeetings(rows).first
    }

    private func decodeMeetings(_ rows: PostgresRowSequence) async throws -> [MeetingRecord] {
        var meetings: [MeetingRecord] = []
        for try await (id, heldOn, title, attendees) in rows.decode((UUID, String, String, [String]).self) {
            guard let date = CivilDate(iso8601: heldOn) else { continue }
            meetings.append(MeetingRecord(id: id, heldOn: date, title: title, attendees: attendees))
        }
        return meetings
    }

    public func addItem(_ item: AgendaItem, meetingID: UUID, tenantID: UUID, on connection: PostgresConnection) async throws {
        try await connection.execute(
            """
            INSERT INTO meeting_items (tenant_id, id, meeting_id, title, measure_id)
            VALUES (\(tenantID), \(item.id), \(meetingID), \(item.title), \(item.measureID))
            """,
            logger: logger
        )
    }

    /// The items added to a meeting's agenda by hand, in the order they were added.
    public func items(meetingID: UUID, tenantID: UUID, on connection: PostgresConnection) async throws -> [AgendaItem] {
        let rows = try await connection.query(
            "SELECT id, title, measure_id FROM meeting_items WHERE tenant_id = \(tenantID) AND meeting_id = \(meetingID) ORDER BY created_at, id",
            logger: logger
        )
        var items: [AgendaItem] = []
        for try await (id, title, measureID) in rows.decode((UUID, String, UUID?).self) {
            items.append(AgendaItem(id: id, title: title, measureID: measureID))
        }
        return items
    }

    // MARK: Action items

    /// Each item with the day of the meeting it was raised at, which decides whether it is
    /// a follow-up of a later meeting.
    static let actionItemColumns = """
        SELECT a.id, a.title, a.owner_id, a.due_on::text, a.status, a.measure_id, a.meeting_id, raised.held_on::text
        FROM action_items a
        LEFT JOIN meetings raised ON raised.tenant_id = a.tenant_id AND raised.id = a.meeting_id
        """

    private func decodeItems(_ rows: PostgresRowSequence) async throws -> [ActionItem] {
        var items: [ActionItem] = []
        for try await (id, title, owner, due, status, measure, meeting, raised) in rows.decode(
            (UUID, String, UUID?, String?, String, UUID?, UUID?, String?).self
        ) {
            guard let status = ActionItemStatus(rawValue: status) else { continue }
            items.append(
                ActionItem(
                    id: id, title: title, ownerID: owner, dueOn: due.flatMap { CivilDate(iso8601: $0) }, status: status,
                    measureID: measure, meetingID: meeting, raisedOn: raised.flatMap { CivilDate(iso8601: $0) }
                )
            )
        }
        return items
    }

    public func create(_ item: ActionItem, tenantID: UUID, on connection: PostgresConnection) async throws {
        try await connection.execute(
            """
            INSERT INTO action_items (tenant_id, id, title, owner_id, due_on, status, measure_id, meeting_id)
            VALUES (\(tenantID), \(item.id), \(item.title), \(item.ownerID), \(item.dueOn?.description)::date,
                    \(item.status.rawValue), \(item.measureID), \(item.meetingID))
            """,
            logger: logger
        )
    }

    /// The record form the demo loader writes.
    public func create(_ item: ActionItemRecord, tenantID: UUID, on connection: PostgresConnection) async throws {
        let status = ActionItemStatus(rawValue: item.status.rawValue) ?? .open
        try await create(
            ActionItem(
                id: item.id, title: item.title, ownerID: item.ownerID, dueOn: item.dueOn, status: status,
                measureID: item.measureID, meetingID: item.meetingID
            ),
            tenantID: tenantID, on: connection
        )
    }

    /// One action item; with `lock`, its row stays locked until the transaction ends, so
    /// that a read-then-write is not overtaken by a concurrent one.
    public func actionItem(_ id: UUID, tenantID: UUID, lock: Bool = false, on connection: PostgresConnection) async throws -> ActionItem? {
        let rows =
            lock
            ? try await connection.query(
                "\(unescaped: Self.actionItemColumns) WHERE a.tenant_id = \(tenantID) AND a.id = \(id) FOR UPDATE OF a", logger: logger
            )
            : try await connection.query(
                "\(unescaped: Self.actionItemColumns) WHERE a.tenant_id = \(tenantID) AND a.id = \(id)", logger: logger
            )
        return try await decodeItems(rows).first
    }

    /// Action items, open first then by due date; only those owned by `ownerID` when set.
    public func actionItems(tenantID: UUID, ownerID: UUID?, on connection: PostgresConnection) async throws -> [ActionItem] {
        let rows = try await connection.query(
            """
            \(unescaped: Self.actionItemColumns)
            WHERE a.tenant_id = \(tenantID) AND (\(ownerID)::uuid IS NULL OR a.owner_id = \(ownerID))
            ORDER BY a.status <> 'open', a.due_on NULLS LAST, a.created_at, a.id
            """,
            logger: logger
        )
        return try await decodeItems(rows)
    }

    /// The open action items of a tenant in the order they were raised: what an agenda's
    /// follow-ups are drafted from.
    public func openActionItems(tenantID: UUID, on connection: PostgresConnection) async throws -> [ActionItem] {
        let rows = try await connection.query(
            """
            \(unescaped: Self.actionItemColumns)
            WHERE a.tenant_id = \(tenantID) AND a.status = 'open'
            ORDER BY a.created_at, a.id
            """,
            logger: logger
        )
        return try await decodeItems(rows)
    }

    public func update(_ item: ActionItem, tenantID: UUID, on connection: PostgresConnection) async throws {
        // An open item has no closing time; a closed one keeps the first (least ignores a
        // NULL). Chosen here, not by a CASE in SQL: Citus refuses now() inside CASE or
        // COALESCE in a statement it sends to a worker.
        let closedAt = item.status == .open ? "NULL" : "least(closed_at, now())"
        try await connection.execute(
            """
            UPDATE action_items SET title = \(item.title), owner_id = \(item.ownerID), due_on = \(item.dueOn?.description)::date,
                status = \(item.status.rawValue), measure_id = \(item.measureID), closed_at = \(unescaped: closedAt)
            WHERE tenant_id = \(tenantID) AND id = \(item.id)
            """,
            logger: logger
        )
    }
}
