import API
import Foundation
import HTTPTypes
import HummingbirdTesting
import PostgresNIO
import Storage
import TestSupport
import Testing

@Suite("Sign-in, sessions and throttling")
struct AuthenticationTests {
    @Test("signing in gives a token that works; stored passwords are bcrypt of cost 12 or more")
    func signIn() async throws {
        try await withWorld { client, world, database in
            let response = try await client.call(.post, "/v1/auth/login", json: ["email": world.ceoA.email, "password": worldPassword])
            #expect(response.status == .ok)
            let token = try #require(try response.object()["token"] as? String)
            #expect(SecretToken.isWellFormed(token))
            let me = try await client.call(.get, "/v1/me", headers: [.authorization: "Bearer \(token)"])
            #expect(me.status == .ok)
            let grants = try #require(try me.object()["grants"] as? [[String: Any]])
            #expect(grants.first?["role"] as? String == "ceo")

            try await database.ownerURL.withConnection(logger: TestDatabases.logger) { connection in
                let rows = try await connection.query(
                    "SELECT password_hash FROM users WHERE password_hash IS NOT NULL",
                    logger: TestDatabases.logger
                )
                var count = 0
                for try await hash in rows.decode(String.self) {
                    count += 1
                    let parts = hash.split(separator: "$")
                    #expect(["2a", "2b", "2y"].contains(String(parts[0])))
                    #expect((Int(parts[1]) ?? 0) >= 12)
                }
                #expect(count > 0)
                // Sessions are stored as hashes only.
                let sessions = try await connection.query("SELECT count(*)::int FROM sessions WHERE token_hash = \(token)", logger: TestDatabases.logger)
                for try await raw in sessions.decode(Int.self) { #expect(raw == 0) }
            }
        }
    }

    @Test("an unknown e-mail and a wrong password get the same answer")
    func sameAnswerForUnknownAndWrong() async throws {
        try await withWorld { client, world, _ in
            let wrong = try await client.call(.post, "/v1/auth/login", json: ["email": world.ceoA.email, "password": "not the password"])
            let unknown = try await client.call(.post, "/v1/auth/login", json: ["email": "nobody@example.org", "password": "not the password"])
            #expect(wrong.status == .unauthorized)
            #expect(unknown.status == .unauthorized)
            var first = try Problem.decode(from: wrong)
            var second = try Problem.decode(from: unknown)
            first.requestID = nil
            second.requestID = nil
            #expect(first == second)
        }
    }

    @Test("after the allowed failures an account is refused from that address, even with the right password; other addresses and accounts are not")
    func throttling() async throws {
        try await withWorld { client, world, _ in
            let address: HTTPFields = [.init("X-Forwarded-For")!: "203.0.113.7"]
            for _ in 0..<5 {
                let response = try await client.call(.post, "/v1/auth/login", json: ["email": world.ceoA.email, "password": "guess"], headers: address)
                #expect(response.status == .unauthorized)
            }
            let locked = try await client.call(.post, "/v1/auth/login", json: ["email": world.ceoA.email, "password": worldPassword], headers: address)
            #expect(locked.status == .tooManyRequests)
            #expect(locked.headers[.contentType] == Problem.mediaType)
            // Guesses from one address do not lock the account for its owner elsewhere
            // (issue 11, review finding i; ASVS 5.0 V6.3).
            let elsewhere = try await client.call(.post, "/v1/auth/login", json: ["email": world.ceoA.email, "password": worldPassword], headers: [.init("X-Forwarded-For")!: "198.51.100.1"])
            #expect(elsewhere.status == .ok)
            let other = try await client.call(.post, "/v1/auth/login", json: ["email": world.ceoB.email, "password": worldPassword], headers: address)
            #expect(other.status == .ok)
        }
    }

    @Test("a token used after logout gets 401")
    func logout() async throws {
        try await withWorld { client, world, _ in
            #expect(try await client.call(.get, "/v1/me", as: world.analystA).status == .ok)
            #expect(try await client.call(.post, "/v1/auth/logout", as: world.analystA).status == .noContent)
            let after = try await client.call(.get, "/v1/me", as: world.analystA)
            #expect(after.status == .unauthorized)
            #expect(after.headers[.contentType] == Problem.mediaType)
        }
    }

    @Test("a password change ends every session and the new password works")
    func passwordChange() async throws {
        try await withWorld { client, world, _ in
            let wrongCurrent = try await client.call(.post, "/v1/auth/password", as: world.headA, json: ["currentPassword": "nope nope", "newPassword": "a brand new secret"])
            #expect(wrongCurrent.status == .unprocessableContent)
            #expect(try Problem.decode(from: wrongCurrent).errors?.first?.field == "currentPassword")
            let changed = try await client.call(.post, "/v1/auth/password", as: world.headA, json: ["currentPassword": worldPassword, "newPassword": "a brand new secret"])
            #expect(changed.status == .noContent)
            #expect(try await client.call(.get, "/v1/me", as: world.headA).status == .unauthorized)
            let login = try await client.call(.post, "/v1/auth/login", json: ["email": world.headA.email, "password": "a brand new secret"])
            #expect(login.status == .ok)
        }
    }

    @Test("disabling a user denies their very next request")
    func disabling() async throws {
        try await withWorld { client, world, _ in
            #expect(try await client.call(.get, "/v1/me", as: world.analystA).status == .ok)
            let disabled = try await client.call(.post, "/v1/users/\(world.analystA.id)/disable", as: world.admin)
            #expect(disabled.status == .ok)
            #expect(try disabled.object()["disabled"] as? Bool == true)
            #expect(try await client.call(.get, "/v1/tenants/\(world.tenantA)", as: world.analystA).status == .unauthorized)
            let login = try await client.call(.post, "/v1/auth/login", json: ["email": world.analystA.email, "password": worldPassword])
            #expect(login.status == .unauthorized)
        }
    }

    @Test("removing a tenant from an analyst's portfolio denies the very next request")
    func portfolioRemoval() async throws {
        try await withWorld { client, world, _ in
            let path = "/v1/tenants/\(world.tenantA)"
            #expect(try await client.call(.get, path, as: world.analystA).status == .ok)
            let removed = try await client.call(.delete, "/v1/analysts/\(world.analystA.id)/portfolio/\(world.tenantA)", as: world.admin)
            #expect(removed.status == .noContent)
            #expect(try await client.call(.get, path, as: world.analystA).status == .notFound)
            let assigned = try await client.call(.put, "/v1/analysts/\(world.analystA.id)/portfolio/\(world.tenantB)", as: world.admin)
            #expect(assigned.status == .noContent)
            #expect(try await client.call(.get, "/v1/tenants/\(world.tenantB)", as: world.analystA).status == .ok)
        }
    }

    @Test("a session past its idle timeout is refused")
    func idleTimeout() async throws {
        try await withWorld { client, world, database in
            // Time passes: as the owner, since the service role changes a session only
            // for its own user (migration 0010).
            try await database.ownerURL.withConnection(logger: TestDatabases.logger) { connection in
                try await connection.execute(
                    "UPDATE sessions SET last_seen_at = now() - interval '31 minutes' WHERE user_id = \(world.ceoA.id)",
                    logger: TestDatabases.logger
                )
            }
            #expect(try await client.call(.get, "/v1/me", as: world.ceoA).status == .unauthorized)
            #expect(try await client.call(.get, "/v1/me", as: world.ceoB).status == .ok)
        }
    }
}
