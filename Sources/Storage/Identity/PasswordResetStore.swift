import Foundation
import Logging
import PostgresNIO

/// Password-reset links (migration 0012): created for an account, used once.
public struct PasswordResetStore: Sendable {
    let logger: Logger

    public init(logger: Logger) {
        self.logger = logger
    }

    public func create(tokenHash: String, userID: UUID, expiresAt: Date, on connection: PostgresConnection) async throws {
        try await connection.execute(
            "INSERT INTO password_resets (token_hash, user_id, expires_at) VALUES (\(tokenHash), \(userID), \(expiresAt))",
            logger: logger
        )
    }

    /// Takes the link whose secret hashes to `tokenHash` when it is unused and unexpired:
    /// marks it used, lets the transaction act for its user (`app.user_id`) and returns the
    /// user; nil for any other link. Two uses at once: one gets it, the other waits and gets nil.
    public func take(tokenHash: String, now: Date, on connection: PostgresConnection) async throws -> UUID? {
        let rows = try await connection.query(
            """
            UPDATE password_resets SET used_at = \(now)
            WHERE token_hash = \(tokenHash) AND used_at IS NULL AND expires_at > \(now)
            RETURNING user_id
            """,
            logger: logger
        )
        var taken: UUID?
        for try await userID in rows.decode(UUID.self) { taken = userID }
        guard let taken else { return nil }
        // A statement of its own: Citus takes no function with effects in RETURNING.
        try await connection.execute("SELECT app_set('app.user_id', \(taken.uuidString))", logger: logger)
        return taken
    }
}
