import Domain
import Foundation
import Logging
import PostgresNIO

/// An analyst who gets a weekly digest: signs in, has not opted out, has a portfolio.
public struct DigestRecipient: Sendable, Hashable {
    public var userID: UUID
    public var email: String
    public var displayName: String
    public var tenantIDs: [UUID]
}

/// Weekly digests (migration 0015): one row per analyst and week, written with the mail.
public struct DigestStore: Sendable {
    let logger: Logger

    public init(logger: Logger) {
        self.logger = logger
    }

    /// The analysts still without a digest for the week of `weekOf`, with their portfolios;
    /// in a transaction that sees every tenant.
    public func recipients(weekOf: CivilDate, on connection: PostgresConnection) async throws -> [DigestRecipient] {
        let rows = try await connection.query(
            """
            SELECT u.id, u.email, u.display_name, array_agg(p.tenant_id ORDER BY p.tenant_id)
            FROM users u JOIN analyst_portfolios p ON p.user_id = u.id
            WHERE u.weekly_digest AND u.disabled_at IS NULL AND u.password_hash IS NOT NULL
              AND NOT EXISTS (SELECT FROM analyst_digests d WHERE d.user_id = u.id AND d.week_of = \(weekOf.description)::date)
            GROUP BY u.id, u.email, u.display_name
            ORDER BY u.id
            """,
            logger: logger
        )
        var recipients: [DigestRecipient] = []
        for try await (id, email, name, tenantIDs) in rows.decode((UUID, String, String, [UUID]).self) {
            recipients.append(DigestRecipient(userID: id, email: email, displayName: name, tenantIDs: tenantIDs))
        }
        return recipients
    }

    /// Records the digest of `userID` for `weekOf`; false when it was recorded already (by
    /// another worker, or an earlier run): then nothing is to be sent. A worker claiming the
    /// same row at the same moment waits for the other's transaction and then gets false.
    public func claim(userID: UUID, weekOf: CivilDate, on connection: PostgresConnection) async throws -> Bool {
        try await connection.query(
            """
            INSERT INTO analyst_digests (user_id, week_of) VALUES (\(userID), \(weekOf.description)::date)
            ON CONFLICT DO NOTHING RETURNING user_id
            """,
            logger: logger
        ).hasRow()
    }

    /// Whether `userID` gets the weekly digest.
    public func wantsDigest(_ userID: UUID, on connection: PostgresConnection) async throws -> Bool {
        let rows = try await connection.query("SELECT weekly_digest FROM users WHERE id = \(userID)", logger: logger)
        for try await wants in rows.decode(Bool.self) { return wants }
        return false
    }

    /// Turns the weekly digest of `userID` on or off (their own row: migration 0010).
    public func setWantsDigest(_ wants: Bool, of userID: UUID, on connection: PostgresConnection) async throws {
        try await connection.execute("UPDATE users SET weekly_digest = \(wants) WHERE id = \(userID)", logger: logger)
    }
}
