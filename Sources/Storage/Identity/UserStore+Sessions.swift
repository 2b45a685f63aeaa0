import Domain
import Foundation
import Logging
import PostgresNIO

/// Sessions: created at sign-in, revoked at sign-out and when a password changes or a user
/// is disabled. Each request opens its own with `openSession` (RequestSession.swift).
extension UserStore {
    public func createSession(
        tokenHash: String,
        userID: UUID,
        lifetime: Duration,
        clientAddress: String?,
        on connection: PostgresConnection
    ) async throws {
        try await connection.execute(
            """
            INSERT INTO sessions (token_hash, user_id, expires_at, client_address)
            VALUES (\(tokenHash), \(userID), now() + make_interval(secs => \(Double(lifetime.components.seconds))), \(clientAddress))
            """,
            logger: logger
        )
    }

    public func revokeSession(tokenHash: String, on connection: PostgresConnection) async throws {
        try await connection.execute(
            "UPDATE sessions SET revoked_at = now() WHERE token_hash = \(tokenHash) AND revoked_at IS NULL",
            logger: logger
        )
    }

    public func revokeSessions(of userID: UUID, on connection: PostgresConnection) async throws {
        try await connection.execute(
            "UPDATE sessions SET revoked_at = now() WHERE user_id = \(userID) AND revoked_at IS NULL",
            logger: logger
        )
    }
}
