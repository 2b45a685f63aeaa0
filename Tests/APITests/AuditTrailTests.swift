import API
import Foundation
import HTTPTypes
import HummingbirdTesting
import PostgresNIO
import Storage
import TestSupport
import Testing

@Suite("Audit trail")
struct AuditTrailTests {
    func count(_ sql: PostgresQuery, _ database: TestDatabase) async throws -> Int {
        try await database.ownerURL.withConnection(logger: TestDatabases.logger) { connection in
            let rows = try await connection.query(sql, logger: TestDatabases.logger)
            for try await count in rows.decode(Int.self) { return count }
            return -1
        }
    }

    @Test("the service role may append to the audit tables but never change or delete a row")
    func appendOnly() async throws {
        try await withTestDatabase { database in
            // The login role inherits nothing; its sessions run as these two.
            for role in ["mpmp_app", "mpmp_center_admin"] {
                for table in ["audit_events", "platform_audit_events"] {
                    let sql: PostgresQuery = """
                        SELECT (has_table_privilege(\(role), \(table), 'INSERT')::int * 100
                            + has_table_privilege(\(role), \(table), 'SELECT')::int * 10
                            + (has_table_privilege(\(role), \(table), 'UPDATE')
                               OR has_table_privilege(\(role), \(table), 'DELETE')
                               OR has_table_privilege(\(role), \(table), 'TRUNCATE'))::int)
                        """
                    #expect(try await count(sql, database) == 110, "\(role) \(table)")
                }
            }
            // And trying anyway fails in the database.
            try await withDatabase(database.serviceURL) { db in
                await #expect(throws: PSQLError.self) {
                    try await db.withTransaction { connection in
                        try await connection.execute("DELETE FROM platform_audit_events", logger: TestDatabases.logger)
                    }
                }
            }
        }
    }

    @Test("one cross-tenant probe writes exactly one denial row")
    func probeIsRecordedOnce() async throws {
        try await withWorld { client, world, database in
            let denials: PostgresQuery = """
                SELECT ((SELECT count(*) FROM platform_audit_events WHERE outcome = 'denied')
                      + (SELECT count(*) FROM audit_events WHERE outcome = 'denied'))::int
                """
            let before = try await count(denials, database)
            let response = try await client.call(.get, "/v1/tenants/\(world.tenantB)", as: world.ceoA)
            #expect(response.status == .notFound)
            #expect(try await count(denials, database) == before + 1)
            let row: PostgresQuery = """
                SELECT count(*)::int FROM platform_audit_events
                WHERE outcome = 'denied' AND actor_id = \(world.ceoA.id) AND target = \("tenants/\(world.tenantB)")
                  AND action = 'readTenantProfile'
                """
            #expect(try await count(row, database) == 1)
        }
    }

    @Test("logins are recorded, failed and successful, with the client address and no password")
    func loginsAreRecorded() async throws {
        try await withWorld { client, world, database in
            let address: HTTPFields = [.init("X-Forwarded-For")!: "192.0.2.44"]
            _ = try await client.call(.post, "/v1/auth/login", json: ["email": world.ceoA.email, "password": "wrong-password"], headers: address)
            _ = try await client.call(.post, "/v1/auth/login", json: ["email": world.ceoA.email, "password": worldPassword], headers: address)
            let sql: PostgresQuery = """
                SELECT count(*)::int FROM platform_audit_events
                WHERE action = 'auth.login' AND client_address = '192.0.2.44' AND actor_id = \(world.ceoA.id)
                """
            #expect(try await count(sql, database) == 2)
            let leaks: PostgresQuery = """
                SELECT count(*)::int FROM platform_audit_events
                WHERE target LIKE '%wrong-password%' OR target LIKE \("%\(worldPassword)%")
                """
            #expect(try await count(leaks, database) == 0)

            let page = try await client.call(.get, "/v1/audit-events?limit=1", as: world.admin)
            let object = try page.object()
            #expect((object["items"] as? [Any])?.count == 1)
            let cursor = try #require(object["nextCursor"] as? String)
            let next = try await client.call(.get, "/v1/audit-events?limit=1&cursor=\(cursor)", as: world.admin)
            #expect(next.status == .ok)
            #expect((try next.object()["items"] as? [[String: Any]])?.first?["id"] as? String != (object["items"] as? [[String: Any]])?.first?["id"] as? String)
        }
    }
}

extension AuditTrailTests {
    @Test("a refused token is recorded as a denied access, without the token")
    func refusedTokenIsRecorded() async throws {
        try await withWorld { client, _, database in
            let token = SecretToken.generate()
            let response = try await client.call(.get, "/v1/me", headers: [.authorization: "Bearer \(token)"])
            #expect(response.status == .unauthorized)
            #expect(response.headers[.wwwAuthenticate] == "Bearer")
            let recorded: PostgresQuery = """
                SELECT count(*)::int FROM platform_audit_events
                WHERE action = 'auth.session' AND outcome = 'denied' AND target = 'GET /v1/me: unknown or ended token'
                """
            #expect(try await count(recorded, database) == 1)
            let leaked: PostgresQuery = "SELECT count(*)::int FROM platform_audit_events WHERE target LIKE \("%\(token)%")"
            #expect(try await count(leaked, database) == 0)
        }
    }
}
