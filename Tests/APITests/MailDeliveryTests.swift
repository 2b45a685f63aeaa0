import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import PostgresNIO
import SMTP
import Services
import Storage
import Synchronization
import TestSupport
import Testing

/// The outbox delivered to a real SMTP server (aiosmtpd) on the loopback (DESIGN §12).
@Suite("Mail delivery")
struct MailDeliveryTests {
    /// A clock the test moves.
    final class MovableClock: Sendable {
        let instant = Mutex(Date())
        var clock: ServiceClock { ServiceClock(now: { [self] in instant.withLock { $0 } }) }
        func advance(seconds: Double) { instant.withLock { $0 = $0.addingTimeInterval(seconds) } }
    }

    func delivery(
        _ database: Database, sink: MailSink, clock: ServiceClock = .system, maximumAttempts: Int = 8, batch: Int = 20
    ) throws -> MailDelivery {
        let settings = try SMTPSettings(url: "smtp://127.0.0.1:\(sink.port)?tls=none")
        return MailDelivery(
            services: Services(database: database, clock: clock),
            client: SMTPClient(settings: settings, timeout: .seconds(10), logger: TestDatabases.logger),
            settings: .init(
                from: try #require(MailAddress("program@mpmp.example", name: "MPMP")), messageDomain: "mpmp.example",
                maximumAttempts: maximumAttempts, batch: batch
            )
        )
    }

    /// Mails put straight into the outbox, as a request would.
    func enqueue(_ count: Int, in database: TestDatabase) async throws {
        try await database.ownerURL.withConnection(logger: TestDatabases.logger) { connection in
            for index in 0..<count {
                try await connection.execute(
                    "INSERT INTO outbox (recipient, subject, body) VALUES (\("person\(index)@example.org"), 'Hello', 'Body')",
                    logger: TestDatabases.logger
                )
            }
        }
    }

    func outboxRow(_ database: TestDatabase) async throws -> (attempts: Int, sent: Bool, failed: Bool, error: String?) {
        try await database.ownerURL.withConnection(logger: TestDatabases.logger) { connection in
            let rows = try await connection.query(
                "SELECT attempts, sent_at IS NOT NULL, failed_at IS NOT NULL, last_error FROM outbox ORDER BY created_at LIMIT 1",
                logger: TestDatabases.logger
            )
            for try await row in rows.decode((Int, Bool, Bool, String?).self) { return row }
            return (-1, false, false, nil)
        }
    }

    /// Quoted-printable soft breaks and escapes undone, enough to read a link.
    static func readable(_ mail: String) -> String {
        mail.replacingOccurrences(of: "=\n", with: "").replacingOccurrences(of: "=3D", with: "=")
    }

    @Test("an invitation arrives over SMTP with its link, the link works, and it is sent once")
    func invitationArrives() async throws {
        try await withWorld { client, world, database in
            let invited = try await client.call(
                .post, "/v1/tenants/\(world.tenantA)/invitations", as: world.admin, json: ["email": "newhire@springfield.example", "role": "ceo"]
            )
            #expect(invited.status == .created, "\(invited.text)")
            try await MailSink.with { sink in
                try await withDatabase(database.serviceURL) { db in
                    let delivery = try delivery(db, sink: sink)
                    let round = try await delivery.deliverDue()
                    #expect(round.sent >= 1)
                    #expect(round.retried == 0 && round.failed == 0)
                    let mails = try sink.messages().filter { $0.contains("To: <newhire@springfield.example>") }
                    try #require(mails.count == 1)
                    #expect(mails[0].contains("From: \"MPMP\" <program@mpmp.example>"))
                    #expect(mails[0].contains("@mpmp.example>"))
                    let link = try #require(
                        Self.readable(mails[0]).split(whereSeparator: \.isWhitespace).first { $0.contains("/invitations/") }
                    )
                    let token = String(link.split(separator: "/").last ?? "")
                    let accepted = try await client.call(
                        .post, "/v1/invitations/\(token)/accept", json: ["displayName": "New Hire", "password": "first-day-2015"]
                    )
                    #expect(accepted.status == .ok, "\(accepted.text)")
                    // A second round finds nothing to send.
                    let again = try await delivery.deliverDue()
                    #expect(again.claimed == 0)
                    #expect(try sink.messages().filter { $0.contains("To: <newhire@springfield.example>") }.count == 1)
                }
            }
        }
    }

    @Test("two workers at once send each mail exactly once")
    func twoWorkers() async throws {
        try await withTestDatabase { database in
            try await enqueue(9, in: database)
            try await MailSink.with { sink in
                try await withDatabase(database.serviceURL) { db in
                    let first = try delivery(db, sink: sink, batch: 2)
                    let second = try delivery(db, sink: sink, batch: 2)
                    var sent = 0
                    while true {
                        async let a = first.deliverDue()
                        async let b = second.deliverDue()
                        let (roundA, roundB) = try await (a, b)
                        sent += roundA.sent + roundB.sent
                        if roundA.claimed + roundB.claimed == 0 { break }
                    }
                    #expect(sent == 9)
                    let mails = try sink.messages()
                    #expect(mails.count == 9)
                    let ids = Set(mails.compactMap { mail in mail.split(separator: "\n").first { $0.hasPrefix("Message-ID: ") } })
                    #expect(ids.count == 9)
                }
            }
        }
    }

    @Test("a server that answers 451: tried again after a minute, then two, then given up, visible and audited")
    func retriedThenGivenUp() async throws {
        try await withTestDatabase { database in
            try await enqueue(1, in: database)
            let time = MovableClock()
            try await MailSink.with(["--refuse", "451"]) { sink in
                try await withDatabase(database.serviceURL) { db in
                    let delivery = try delivery(db, sink: sink, clock: time.clock, maximumAttempts: 3)
                    #expect(try await delivery.deliverDue().retried == 1)
                    #expect(try await delivery.deliverDue().claimed == 0)  // not due yet
                    time.advance(seconds: 59)
                    #expect(try await delivery.deliverDue().claimed == 0)
                    time.advance(seconds: 2)
                    #expect(try await delivery.deliverDue().retried == 1)
                    time.advance(seconds: 121)
                    #expect(try await delivery.deliverDue().failed == 1)
                    time.advance(seconds: 86_400)
                    #expect(try await delivery.deliverDue().claimed == 0)  // never again
                    #expect(try sink.messages().isEmpty)
                }
            }
            let row = try await outboxRow(database)
            #expect(row.attempts == 3)
            #expect(row.failed && !row.sent)
            #expect(row.error?.contains("451") == true)
            let audited = try await database.ownerURL.withConnection(logger: TestDatabases.logger) { connection in
                let rows = try await connection.query(
                    "SELECT count(*)::int FROM platform_audit_events WHERE action = 'mail.failed' AND outcome = 'failure'", logger: TestDatabases.logger
                )
                for try await count in rows.decode(Int.self) { return count }
                return 0
            }
            #expect(audited == 1)
        }
    }

    @Test("a server that vanishes mid-send: the outcome is unknown, so the mail is tried again later, and arrives once")
    func serverVanishes() async throws {
        try await withTestDatabase { database in
            try await enqueue(1, in: database)
            let time = MovableClock()
            try await withDatabase(database.serviceURL) { db in
                try await MailSink.with(["--vanish"]) { sink in
                    let round = try await delivery(db, sink: sink, clock: time.clock).deliverDue()
                    #expect(round.retried == 1)
                    #expect(try sink.messages().isEmpty)
                }
                let row = try await outboxRow(database)
                #expect(row.attempts == 1 && !row.sent && !row.failed)
                #expect(row.error != nil)
                time.advance(seconds: 61)
                try await MailSink.with { sink in
                    let round = try await delivery(db, sink: sink, clock: time.clock).deliverDue()
                    #expect(round.sent == 1)
                    let again = try await delivery(db, sink: sink, clock: time.clock).deliverDue()
                    #expect(again.claimed == 0)
                    #expect(try sink.messages().count == 1)
                }
            }
            let row = try await outboxRow(database)
            #expect(row.attempts == 2 && row.sent)
        }
    }

    @Test("a permanent refusal (554) gives up at once")
    func permanentRefusal() async throws {
        try await withTestDatabase { database in
            try await enqueue(1, in: database)
            try await MailSink.with(["--refuse", "554"]) { sink in
                try await withDatabase(database.serviceURL) { db in
                    let round = try await delivery(db, sink: sink).deliverDue()
                    #expect(round.failed == 1)
                }
            }
            let row = try await outboxRow(database)
            #expect(row.attempts == 1 && row.failed)
        }
    }

    @Test("a worker that claimed a mail and died: once its lease ends, another sends it")
    func deadWorkersLeaseEnds() async throws {
        try await withTestDatabase { database in
            try await enqueue(1, in: database)
            let time = MovableClock()
            try await MailSink.with { sink in
                try await withDatabase(database.serviceURL) { db in
                    // The dead worker: it claimed, and never marked.
                    let claimed = try await db.withTransaction { connection in
                        try await connection.assumeMailerRole(logger: TestDatabases.logger)
                        return try await OutboxStore(logger: TestDatabases.logger).claim(
                            limit: 10, now: time.clock.now, lease: .seconds(300), on: connection
                        )
                    }
                    #expect(claimed.count == 1)
                    let delivery = try delivery(db, sink: sink, clock: time.clock)
                    #expect(try await delivery.deliverDue().claimed == 0)
                    time.advance(seconds: 301)
                    #expect(try await delivery.deliverDue().sent == 1)
                    #expect(try sink.messages().count == 1)
                }
            }
            let row = try await outboxRow(database)
            #expect(row.attempts == 2 && row.sent)
        }
    }

    @Test("the service role cannot read the outbox: only the mailer's role can")
    func outboxIsTheMailers() async throws {
        try await withTestDatabase { database in
            try await enqueue(1, in: database)
            try await withDatabase(database.serviceURL) { db in
                do {
                    try await db.withTransaction { connection in
                        let rows = try await connection.query("SELECT body FROM outbox", logger: TestDatabases.logger)
                        for try await _ in rows {}
                    }
                    Issue.record("the service role read the outbox")
                } catch {
                    #expect(DatabaseFailure.sqlState(of: error) == "42501")
                }
            }
        }
    }
}
