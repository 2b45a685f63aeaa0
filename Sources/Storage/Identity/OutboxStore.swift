import Foundation
import Logging
import PostgresNIO

/// A mail of the outbox, as a worker claimed it.
public struct OutboxMail: Sendable, Hashable {
    public var id: UUID
    public var recipient: String
    public var subject: String
    public var body: String
    public var createdAt: Date
    /// This claim's attempt, from 1.
    public var attempt: Int
}

/// The outbox as a queue (migration 0011): claim due mails under a lease, then mark each
/// sent, due again later, or failed. Every method but `enqueue` needs the mailer's role
/// (`PostgresConnection.assumeMailerRole`) in its transaction.
public struct OutboxStore: Sendable {
    let logger: Logger

    public init(logger: Logger) {
        self.logger = logger
    }

    /// Adds mails to the outbox in one statement (the service role may: it only inserts).
    public func enqueue(_ mails: [(recipient: String, subject: String, body: String)], on connection: PostgresConnection) async throws {
        guard !mails.isEmpty else { return }
        try await connection.execute(
            """
            INSERT INTO outbox (recipient, subject, body)
            SELECT * FROM unnest(\(mails.map(\.recipient))::text[], \(mails.map(\.subject))::text[], \(mails.map(\.body))::text[])
            """,
            logger: logger
        )
    }

    /// Up to `limit` mails due at `now`, oldest first, that nobody holds: each gets one more
    /// attempt and is held until `now + lease`. Workers that claim at once get different
    /// mails (SKIP LOCKED); a mail whose lease ended is due again.
    public func claim(limit: Int, now: Date, lease: Duration, on connection: PostgresConnection) async throws -> [OutboxMail] {
        let leaseSeconds = Double(lease.components.seconds)
        let rows = try await connection.query(
            """
            UPDATE outbox o SET attempts = o.attempts + 1,
                locked_until = \(now)::timestamptz + make_interval(secs => \(leaseSeconds))
            FROM (
                SELECT id FROM outbox
                WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= \(now)
                  AND (locked_until IS NULL OR locked_until <= \(now))
                ORDER BY next_attempt_at, created_at
                LIMIT \(limit)
                FOR UPDATE SKIP LOCKED
            ) due
            WHERE o.id = due.id
            RETURNING o.id, o.recipient, o.subject, o.body, o.created_at, o.attempts
            """,
            logger: logger
        )
        var mails: [OutboxMail] = []
        for try await (id, recipient, subject, body, createdAt, attempt) in rows.decode((UUID, String, String, String, Date, Int).self) {
            mails.append(OutboxMail(id: id, recipient: recipient, subject: subject, body: body, createdAt: createdAt, attempt: attempt))
        }
        return mails.sorted { $0.createdAt < $1.createdAt }
    }

    public func markSent(_ id: UUID, at now: Date, on connection: PostgresConnection) async throws {
        try await connection.execute(
            "UPDATE outbox SET sent_at = \(now), locked_until = NULL, last_error = NULL WHERE id = \(id) AND sent_at IS NULL",
            logger: logger
        )
    }

    /// Due again at `next`, with the reason it failed this time.
    public func markRetry(_ id: UUID, error: String, next: Date, on connection: PostgresConnection) async throws {
        try await connection.execute(
            """
            UPDATE outbox SET next_attempt_at = \(next), locked_until = NULL, last_error = left(\(error), 2000)
            WHERE id = \(id) AND sent_at IS NULL
            """,
            logger: logger
        )
    }

    /// Given up: kept, with the reason, never tried again.
    public func markFailed(_ id: UUID, error: String, at now: Date, on connection: PostgresConnection) async throws {
        try await connection.execute(
            """
            UPDATE outbox SET failed_at = \(now), locked_until = NULL, last_error = left(\(error), 2000)
            WHERE id = \(id) AND sent_at IS NULL
            """,
            logger: logger
        )
    }
}

extension PostgresConnection {
    /// The mailer's role for the rest of the open transaction: it alone reads and marks the
    /// outbox (migration 0011).
    public func assumeMailerRole(logger: Logger) async throws {
        try await execute("SET LOCAL ROLE mpmp_mailer", logger: logger)
    }
}
