import Domain
import Foundation
import Logging
import PostgresNIO

/// Invitations and the outbox that would mail them.
public struct InvitationStore: Sendable {
    public let logger: Logger

    public init(logger: Logger) {
        self.logger = logger
    }

    /// Creates an invitation; `expiresAt` comes from the use case's clock, which also
    /// decides at acceptance whether it has passed.
    public func create(
        tenantID: UUID,
        email: String,
        role: TenantRole,
        tokenHash: String,
        invitedBy: UUID,
        expiresAt: Date,
        on connection: PostgresConnection
    ) async throws -> UUID {
        let departmentID: UUID? = if case .departmentHead(let id) = role { id } else { nil }
        let rows = try await connection.query(
            """
            INSERT INTO invitations (tenant_id, email, role, department_id, token_hash, invited_by, expires_at)
            VALUES (\(tenantID), \(email), \(role.name), \(departmentID), \(tokenHash), \(invitedBy), \(expiresAt))
            RETURNING id
            """,
            logger: logger
        )
        for try await id in rows.decode(UUID.self) { return id }
        throw PostgresDecodingError.Code.missingData
    }

    /// The invitation with this token hash, locked for the accepting transaction.
    public func pending(tenantID: UUID, tokenHash: String, on connection: PostgresConnection) async throws -> PendingInvitation? {
        let rows = try await connection.query(
            """
            SELECT id, email, role, department_id, expires_at, accepted_at FROM invitations
            WHERE tenant_id = \(tenantID) AND token_hash = \(tokenHash)
            FOR UPDATE
            """,
            logger: logger
        )
        for try await (id, email, role, departmentID, expiresAt, acceptedAt) in rows.decode((UUID, String, String, UUID?, Date, Date?).self) {
            let tenantRole: TenantRole =
                if role == "department_head", let departmentID { .departmentHead(departmentID: departmentID) } else { .chiefExecutive }
            return PendingInvitation(tenantID: tenantID, id: id, email: email, role: tenantRole, expiresAt: expiresAt, acceptedAt: acceptedAt)
        }
        return nil
    }

    public func markAccepted(_ invitation: PendingInvitation, by userID: UUID, on connection: PostgresConnection) async throws {
        try await connection.execute(
            """
            UPDATE invitations SET accepted_at = now(), accepted_by = \(userID)
            WHERE tenant_id = \(invitation.tenantID) AND id = \(invitation.id) AND accepted_at IS NULL
            """,
            logger: logger
        )
    }
}
