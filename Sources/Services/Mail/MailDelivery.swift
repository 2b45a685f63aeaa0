import Foundation
import Logging
import SMTP
import Storage

/// Delivers the outbox over SMTP (DESIGN §12): claims due mails in one short transaction,
/// sends each outside any transaction, then marks it in another. Any number of workers may
/// run it at once; a mail is claimed by one of them at a time.
///
/// What it can promise: a mail is sent at least once unless it is given up (then it is
/// kept, marked failed, with the reason, and recorded in the audit trail). It can go twice
/// in one case only: the server accepted it and the worker died (or lost the database)
/// before marking it sent; another worker sends it again when the lease ends, with the
/// same `Message-ID`, so that a mail program can tell.
public struct MailDelivery: Sendable {
    public struct Settings: Sendable {
        /// The sender of every mail.
        public var from: MailAddress
        /// The right-hand side of every `Message-ID` (`<outbox id>@domain`).
        public var messageDomain: String
        /// How long a claimed mail is held before another worker may take it.
        public var lease: Duration
        /// Attempts before a mail is given up.
        public var maximumAttempts: Int
        /// Mails claimed at a time.
        public var batch: Int

        public init(from: MailAddress, messageDomain: String, lease: Duration = .seconds(300), maximumAttempts: Int = 8, batch: Int = 20) {
            self.from = from
            self.messageDomain = messageDomain
            self.lease = lease
            self.maximumAttempts = maximumAttempts
            self.batch = batch
        }
    }

    /// What one round did.
    public struct Round: Sendable, Hashable {
        public var sent = 0
        public var retried = 0
        public var failed = 0
        public var claimed: Int { sent + retried + failed }

        public init() {}
    }

    let services: Services
    let client: SMTPClient
    public let settings: Settings
    let outbox: OutboxStore

    public var logger: Logger { services.database.logger }

    public init(services: Services, client: SMTPClient, settings: Settings) {
        self.services = services
        self.client = client
        self.settings = settings
        self.outbox = services.stores.outbox
    }

    /// The wait before attempt `attempt + 1`: a minute, doubling, at most six hours.
    public static func backoff(afterAttempt attempt: Int) -> Duration {
        let doublings = min(max(attempt - 1, 0), 9)
        return .seconds(min(60 << doublings, 21_600))
    }

    /// Claims the mails due now and tries each once.
    public func deliverDue() async throws -> Round {
        let now = services.clock.now
        let mails = try await services.anonymous { connection in
            try await connection.assumeMailerRole(logger: services.database.logger)
            return try await outbox.claim(limit: settings.batch, now: now, lease: settings.lease, on: connection)
        }
        var round = Round()
        for mail in mails {
            let (outcome, marked) = await attempt(mail)
            switch outcome {
            case .sent: round.sent += 1
            case .retried: round.retried += 1
            case .failed: round.failed += 1
            }
            // The database is gone: stop rather than send mails that cannot be marked (each
            // would go again when its lease ends); the rest are claimed again then.
            if !marked { break }
        }
        return round
    }

    /// Mails waiting and mails given up, for the metrics.
    public func counts() async throws -> OutboxCounts {
        try await services.anonymous { connection in
            try await connection.assumeMailerRole(logger: services.database.logger)
            return try await outbox.counts(on: connection)
        }
    }

    enum Outcome { case sent, retried, failed }

    /// Sends one mail and marks what came of it; `marked` is false when the database could
    /// not be told (the lease then ends and the mail is claimed again).
    func attempt(_ mail: OutboxMail) async -> (outcome: Outcome, marked: Bool) {
        let logger = services.database.logger
        let outcome: Outcome
        var reason = ""
        do {
            guard let recipient = MailAddress(mail.recipient) else {
                throw SMTPError(stage: "recipient", kind: .configuration("not an address this client can send to"))
            }
            let message = MailMessage(
                id: "\(mail.id.uuidString.lowercased())@\(settings.messageDomain)", from: settings.from, to: [recipient],
                subject: mail.subject, text: mail.body, html: mail.html, date: mail.createdAt
            )
            try await client.send(message)
            outcome = .sent
        } catch let error as SMTPError {
            reason = error.description
            outcome = error.isTransient && mail.attempt < settings.maximumAttempts ? .retried : .failed
        } catch {
            reason = "\(error)"
            outcome = mail.attempt < settings.maximumAttempts ? .retried : .failed
        }
        let now = services.clock.now
        var marked = true
        do {
            try await services.anonymous { connection in
                try await connection.assumeMailerRole(logger: logger)
                switch outcome {
                case .sent:
                    try await outbox.markSent(mail.id, at: now, on: connection)
                case .retried:
                    let next = now.addingTimeInterval(Double(Self.backoff(afterAttempt: mail.attempt).components.seconds))
                    try await outbox.markRetry(mail.id, error: reason, next: next, on: connection)
                case .failed:
                    try await outbox.markFailed(mail.id, error: reason, at: now, on: connection)
                    try await services.stores.audit.record(
                        AuditEvent(
                            tenantID: nil, actorID: nil, action: "mail.failed", target: "outbox/\(mail.id.uuidString.lowercased())",
                            outcome: .failure, clientAddress: nil
                        ),
                        on: connection
                    )
                }
            }
        } catch {
            // The lease ends and the mail is claimed again: at worst it goes twice.
            marked = false
            logger.error("could not mark an outbox mail", metadata: ["mail": "\(mail.id)", "error": "\(error)"])
        }
        if outcome != .sent {
            logger.warning("mail not delivered", metadata: ["mail": "\(mail.id)", "attempt": "\(mail.attempt)", "reason": "\(reason)"])
        }
        return (outcome, marked)
    }
}
