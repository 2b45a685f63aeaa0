import Foundation
import Logging
import PostgresNIO

/// The first answer to each money-moving POST, by the caller's `Idempotency-Key`.
///
/// The key is claimed in the same transaction as the work it guards: a concurrent repeat
/// waits on the key's unique index until the first commits (then replays its answer) or
/// rolls back (then does the work itself). Nothing is stored for a request that failed.
public struct IdempotencyStore: Sendable {
    public enum Claim: Sendable, Equatable {
        /// First time: do the work, then `complete`.
        case proceed
        /// Seen before with the same request: answer this.
        case replay(status: Int, body: String)
        /// Seen before with another request.
        case mismatch
    }

    public let logger: Logger

    public init(logger: Logger) {
        self.logger = logger
    }

    public func claim(userID: UUID, key: String, requestHash: String, on connection: PostgresConnection) async throws -> Claim {
        let inserted = try await connection.query(
            """
            INSERT INTO idempotency_keys (user_id, key, request_hash) VALUES (\(userID), \(key), \(requestHash))
            ON CONFLICT (user_id, key) DO NOTHING RETURNING 1
            """,
            logger: logger
        )
        if try await inserted.hasRow() { return .proceed }
        let rows = try await connection.query(
            "SELECT request_hash, response_status, response_body FROM idempotency_keys WHERE user_id = \(userID) AND key = \(key)",
            logger: logger
        )
        for try await (hash, status, body) in rows.decode((String, Int?, String?).self) {
            guard hash == requestHash else { return .mismatch }
            if let status, let body { return .replay(status: status, body: body) }
        }
        return .mismatch
    }

    public func complete(userID: UUID, key: String, status: Int, body: String, on connection: PostgresConnection) async throws {
        try await connection.execute(
            """
            UPDATE idempotency_keys SET response_status = \(status), response_body = \(body)
            WHERE user_id = \(userID) AND key = \(key)
            """,
            logger: logger
        )
    }
}
