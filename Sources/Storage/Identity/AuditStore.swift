import Foundation
import Logging
import PostgresNIO

/// The append-only audit trail.
public struct AuditStore: Sendable {
    public let logger: Logger

    public init(logger: Logger) {
        self.logger = logger
    }

    /// Appends an event: to the tenant's trail when it has a tenant, else to the platform's.
    /// A tenant event must be written in a transaction that sees the tenant.
    public func record(_ event: AuditEvent, on connection: PostgresConnection) async throws {
        if let tenantID = event.tenantID {
            try await connection.execute(
                """
                INSERT INTO audit_events (tenant_id, id, actor_id, action, target, outcome, client_address)
                VALUES (\(tenantID), \(event.id), \(event.actorID), \(event.action), \(event.target),
                        \(event.outcome.rawValue), \(event.clientAddress))
                """,
                logger: logger
            )
        } else {
            try await connection.execute(
                """
                INSERT INTO platform_audit_events (id, actor_id, action, target, outcome, client_address)
                VALUES (\(event.id), \(event.actorID), \(event.action), \(event.target),
                        \(event.outcome.rawValue), \(event.clientAddress))
                """,
                logger: logger
            )
        }
    }

    /// Events newest first, before `cursor` (time, id): those of the tenants `tenantIDs` when
    /// set, else of every tenant the transaction can see; and the platform's when asked for.
    public func list(
        tenantIDs: [UUID]?,
        includePlatform: Bool,
        before cursor: (Date, UUID)?,
        limit: Int,
        on connection: PostgresConnection
    ) async throws -> [AuditEvent] {
        let cursorTime = cursor?.0
        let cursorID = cursor?.1
        let rows = try await connection.query(
            """
            SELECT id, tenant_id, occurred_at, actor_id, action, target, outcome, client_address FROM (
                SELECT id, tenant_id, occurred_at, actor_id, action, target, outcome, client_address
                FROM audit_events WHERE \(tenantIDs)::uuid[] IS NULL OR tenant_id = ANY(\(tenantIDs)::uuid[])
                UNION ALL
                SELECT id, NULL, occurred_at, actor_id, action, target, outcome, client_address
                FROM platform_audit_events WHERE \(includePlatform)
            ) events
            WHERE \(cursorTime)::timestamptz IS NULL OR (occurred_at, id) < (\(cursorTime), \(cursorID))
            ORDER BY occurred_at DESC, id DESC
            LIMIT \(limit)
            """,
            logger: logger
        )
        var events: [AuditEvent] = []
        for try await (id, tenant, time, actor, action, target, outcome, address) in rows.decode(
            (UUID, UUID?, Date, UUID?, String, String, String, String?).self
        ) {
            events.append(
                AuditEvent(
                    id: id, tenantID: tenant, occurredAt: time, actorID: actor, action: action, target: target,
                    outcome: AuditEvent.Outcome(rawValue: outcome) ?? .failure, clientAddress: address
                )
            )
        }
        return events
    }
}
