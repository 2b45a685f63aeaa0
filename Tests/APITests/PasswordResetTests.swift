import Foundation
import HTTPTypes
import HummingbirdTesting
import PostgresNIO
import SMTP
import Services
import Storage
import TestSupport
import Testing

/// A forgotten password, reset by mail (DESIGN §4, §12).
@Suite("Password reset by mail")
struct PasswordResetTests {
    func outboxCount(to recipient: String, _ database: TestDatabase) async throws -> Int {
        try await database.ownerURL.withConnection(logger: TestDatabases.logger) { connection in
            let rows = try await connection.query(
                "SELECT count(*)::int FROM outbox WHERE recipient = \(recipient)", logger: TestDatabases.logger
            )
            for try await count in rows.decode(Int.self) { return count }
            return -1
        }
    }

    @Test("an address with an account and one without get the same answer; only the account gets a mail")
    func sameAnswer() async throws {
        try await withWorld { client, world, database in
            let known = try await client.call(.post, "/v1/auth/password-reset", json: ["email": world.ceoA.email])
            let unknown = try await client.call(.post, "/v1/auth/password-reset", json: ["email": "nobody@nowhere.example"])
            #expect(known.status == .accepted)
            #expect(unknown.status == known.status)
            #expect(unknown.text == known.text)
            #expect(try await outboxCount(to: world.ceoA.email, database) == 1)
            #expect(try await outboxCount(to: "nobody@nowhere.example", database) == 0)
        }
    }

    @Test("the mailed link sets a new password once, ends the old sessions, and the new password signs in")
    func resetByMail() async throws {
        try await withWorld { client, world, database in
            #expect(try await client.call(.get, "/v1/me", as: world.ceoA).status == .ok)
            #expect(try await client.call(.post, "/v1/auth/password-reset", json: ["email": world.ceoA.email]).status == .accepted)
            try await MailSink.with { sink in
                try await withDatabase(database.serviceURL) { db in
                    let delivery = MailDelivery(
                        services: Services(database: db),
                        client: SMTPClient(
                            settings: try SMTPSettings(url: "smtp://127.0.0.1:\(sink.port)?tls=none"), logger: TestDatabases.logger
                        ),
                        settings: .init(from: try #require(MailAddress("program@mpmp.example")), messageDomain: "mpmp.example")
                    )
                    _ = try await delivery.deliverDue()
                }
                let mail = try #require(try sink.messages().first { $0.contains("To: <\(world.ceoA.email)>") })
                let text = MailDeliveryTests.readable(mail)
                let link = try #require(text.split(whereSeparator: \.isWhitespace).first { $0.contains("/password-reset/") })
                let token = String(link.split(separator: "/").last ?? "")

                let reset = try await client.call(.post, "/v1/auth/password-reset/\(token)", json: ["password": "a-new-start-2015"])
                #expect(reset.status == .noContent, "\(reset.text)")
                #expect(try await client.call(.get, "/v1/me", as: world.ceoA).status == .unauthorized)
                let signIn = try await client.call(.post, "/v1/auth/login", json: ["email": world.ceoA.email, "password": "a-new-start-2015"])
                #expect(signIn.status == .ok)
                let old = try await client.call(.post, "/v1/auth/login", json: ["email": world.ceoA.email, "password": worldPassword])
                #expect(old.status == .unauthorized)
                // Once only.
                let again = try await client.call(.post, "/v1/auth/password-reset/\(token)", json: ["password": "someone-else-2015"])
                #expect(again.status == .notFound)
            }
        }
    }

    @Test("an expired link, an unknown one and a short password change nothing")
    func refusedLinks() async throws {
        try await withWorld { client, world, database in
            #expect(try await client.call(.post, "/v1/auth/password-reset", json: ["email": world.ceoA.email]).status == .accepted)
            let body = try await database.ownerURL.withConnection(logger: TestDatabases.logger) { connection in
                let rows = try await connection.query(
                    "SELECT body FROM outbox WHERE recipient = \(world.ceoA.email)", logger: TestDatabases.logger
                )
                var found = ""
                for try await text in rows.decode(String.self) { found = text }
                return found
            }
            let link = try #require(body.split(whereSeparator: \.isWhitespace).first { $0.contains("/password-reset/") })
            let token = String(link.split(separator: "/").last ?? "")
            let short = try await client.call(.post, "/v1/auth/password-reset/\(token)", json: ["password": "short"])
            #expect(short.status == .unprocessableContent)
            try await database.ownerURL.withConnection(logger: TestDatabases.logger) { connection in
                try await connection.execute("UPDATE password_resets SET expires_at = now() - interval '1 second'", logger: TestDatabases.logger)
            }
            let expired = try await client.call(.post, "/v1/auth/password-reset/\(token)", json: ["password": "too-late-2015"])
            #expect(expired.status == .notFound)
            let unknown = try await client.call(.post, "/v1/auth/password-reset/not-a-link", json: ["password": "guessing-2015"])
            #expect(unknown.status == .notFound)
            #expect(try await client.call(.get, "/v1/me", as: world.ceoA).status == .ok)
        }
    }

    @Test("requests are throttled like sign-ins: past the limit, 429 for known and unknown addresses alike")
    func throttled() async throws {
        try await withWorld { client, world, _ in
            let address: HTTPFields = [HTTPField.Name("X-Forwarded-For")!: "203.0.113.9"]
            for _ in 0..<5 {
                _ = try await client.call(.post, "/v1/auth/password-reset", json: ["email": world.ceoA.email], headers: address)
                _ = try await client.call(.post, "/v1/auth/password-reset", json: ["email": "nobody@nowhere.example"], headers: address)
            }
            let known = try await client.call(.post, "/v1/auth/password-reset", json: ["email": world.ceoA.email], headers: address)
            let unknown = try await client.call(.post, "/v1/auth/password-reset", json: ["email": "nobody@nowhere.example"], headers: address)
            #expect(known.status == .tooManyRequests)
            #expect(unknown.status == .tooManyRequests)
            // Another address is not held back.
            let elsewhere = try await client.call(
                .post, "/v1/auth/password-reset", json: ["email": world.ceoA.email], headers: [HTTPField.Name("X-Forwarded-For")!: "198.51.100.7"]
            )
            #expect(elsewhere.status == .accepted)
        }
    }
}
