import Foundation
import Logging
import PostgresNIO

/// A mail of the outbox, as a worker claimed it.
public struct OutboxMail: Sendable, Hashable {
    public var id: UUID
    public var recipient: String
    public var subject: String
    public var body: String
    /// The HTML alternative, when the mail has one.
    public var html: String?
    public var createdAt: Date
    /// This claim's attempt, from 1.
    public var attempt: Int
}

/// A mail to add to the outbox: its plain text and, for a mail program that shows it, an
/// HTML alternative of the same content.
public struct OutboxEntry: Sendable, Hashable {
    public var recipient: String
    public var subject: String
    public var text: String
    public var html: String?
    /// What the mail is for (`invitation`, `password_reset`, `data_reminder`, `invoice`,
    /// `digest`): lowercase letters and `_`.
    public var kind: String

    public init(recipient: String, subject: String, text: String, html: String?, kind: String) {
        self.recipient = recipient
        self.subject = subject
        self.text = text
        self.html = html
        self.kind = kind
    }
}

/// A mail that was given up, as a Center admin reads it: never its body, which may hold a
/// link that signs someone in.
public struct FailedMail: Sendable, Hashable {
    public var id: UUID
    public var recipient: String
    public var subject: String
    public var kind: String
    public var createdAt: Date
    public var failedAt: Date
    public var attempts: Int
    public var lastError: String
}

/// How many mails wait to be sent and how many were given up.
public struct OutboxCounts: Sendable, Hashable {
    public var waiting: Int
    public var failed: Int
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
    public func enqueue(_ mails: [OutboxEntry], on connection: PostgresConnection) async throws {
        guard !mails.isEmpty else { return }
        try await connection.execute(
            """
            INSERT INTO outbox (recipient, subject, body, html, kind)
            SELECT recipient, subject, body, nullif(html, ''), kind FROM unnest(
                \(mails.map(\.recipient))::text[], \(mails.map(\.subject))::text[], \(mails.map(\.text))::text[],
                \(mails.map { $0.html ?? "" })::text[], \(mails.map(\.kind))::text[]
            ) AS mail (recipient, subject, body, html, kind)
            """,
            logger: logger
        )
    }

    public func enqueue(_ mail: OutboxEntry, on connection: PostgresConnection) async throws {
        try await enqueue([mail], on: connection)
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
            RETURNING o.id, o.recipient, o.subject, o.body, o.html, o.created_at, o.attempts
            """,
            logger: logger
        )
        var mails: [OutboxMail] = []
        for try await (id, recipient, subject, body, html, createdAt, attempt) in rows.decode(
            (UUID, String, String, String, String?, Date, Int).self
        ) {
            mails.append(
                OutboxMail(id: id, recipient: recipient, subject: subject, body: body, html: html, createdAt: createdAt, attempt: attempt)
            )
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

    /// The mails given up, latest first, before the cursor `(failedAt, id)` when given: for
    /// the Center-admin role (migration 0015 grants it the delivery columns).
    public func failed(before cursor: (Date, UUID)?, limit: Int, on connection: PostgresConnection) async throws -> [FailedMail] {
        let before = cursor?.0
        let beforeID = cursor?.1
        let rows = try await connection.query(
            """
            SELECT id, recipient, subject, kind, created_at, failed_at, attempts, coalesce(last_error, '')
            FROM outbox
            WHERE failed_at IS NOT NULL
              AND (\(before)::timestamptz IS NULL OR (failed_at, id) < (\(before)::timestamptz, \(beforeID)::uuid))
            ORDER BY failed_at DESC, id DESC
            LIMIT \(limit)
            """,
            logger: logger
        )
        var mails: [FailedMail] = []
        for try await (id, recipient, subject, kind, createdAt, failedAt, attempts, lastError) in rows.decode(
            (UUID, String, String, String, Date, Date, Int, String).self
        ) {
            mails.append(
                FailedMail(
                    id: id, recipient: recipient, subject: subject, kind: kind, createdAt: createdAt, failedAt: failedAt,
                    attempts: attempts, lastError: lastError
                )
            )
        }
        return mails
    }

    /// Mails waiting to be sent (due or not) and mails given up (the mailer's role).
    public func counts(on connection: PostgresConnection) async throws -> OutboxCounts {
        let rows = try await connection.query(
            """
            SELECT (SELECT count(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL)::int,
                (SELECT count(*) FROM outbox WHERE failed_at IS NOT NULL)::int
            """,
            logger: logger
        )
        for try await (waiting, failed) in rows.decode((Int, Int).self) {
            return OutboxCounts(waiting: waiting, failed: failed)
        }
        return OutboxCounts(waiting: 0, failed: 0)
    }
}

extension PostgresConnection {
    /// The mailer's role for the rest of the open transaction: it alone reads and marks the
    /// outbox (migration 0011).
    public func assumeMailerRole(logger: Logger) async throws {
        try await execute("SET LOCAL ROLE mpmp_mailer", logger: logger)
    }
}
