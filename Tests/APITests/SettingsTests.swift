import Foundation
import PostgresNIO
import Storage
import TestSupport
import Testing

/// The transaction's settings (migrations 0018 and 0020): every one the application writes
/// goes through app_set, typed and checked, at the cost of a cast.
@Suite("Transaction settings")
struct SettingsTests {
    static let logger = TestDatabases.logger

    @Test("app_set takes only the application's settings, each with a value of its kind")
    func settingsAreTyped() async throws {
        try await withTestDatabase { database in
            try await withDatabase(database.serviceURL) { service in
                try await service.withTransaction { connection in
                    let tenant = UUID()
                    let rows = try await connection.query(
                        "SELECT app_set('app.tenant_ids', \("{\(tenant.uuidString)}")), current_setting('app.tenant_ids')",
                        logger: Self.logger
                    )
                    for try await (set, read) in rows.decode((String, String).self) {
                        #expect(set == "{\(tenant.uuidString.lowercased())}" && read == set)
                    }
                }
                for (name, value) in [
                    ("app.tenant_ids", "{00000000-0000-0000-0000-000000000001}'; RESET ROLE; --"),
                    ("app.tenant_ids", "not a list"),
                    ("app.user_id", "x' OR true"),
                    ("app.all_tenants", "yes"),
                    ("role", "mpmp_center_admin"),
                    ("app.public_slug", "amherst"),
                ] {
                    await #expect(throws: PSQLError.self, "\(name) = \(value)") {
                        try await service.withTransaction { connection in
                            try await connection.execute("SELECT app_set(\(name), \(value))", logger: Self.logger)
                        }
                    }
                }
            }
        }
    }

    /// Migration 0020: the check of app_set is inlined into it (a function more volatile in
    /// body than declared never is), so the settings of every request cost a cast, not a
    /// call through the SQL-function executor.
    @Test("app_set's check is declared as volatile as its body, so PostgreSQL inlines it")
    func settingsCheckIsInlinable() async throws {
        try await withTestDatabase { database in
            try await withDatabase(database.serviceURL) { service in
                try await service.withTransaction { connection in
                    let rows = try await connection.query(
                        """
                        SELECT p.provolatile::text, p.prolang = (SELECT oid FROM pg_language WHERE lanname = 'sql')
                        FROM pg_proc p WHERE p.proname = 'app_setting_value'
                        """,
                        logger: Self.logger
                    )
                    var found: [(String, Bool)] = []
                    for try await row in rows.decode((String, Bool).self) { found.append(row) }
                    #expect(found.count == 1 && found.first?.0 == "s" && found.first?.1 == true)
                    let plan = try await connection.query(
                        "EXPLAIN (VERBOSE, COSTS OFF) SELECT app_setting_value('app.tenant_ids', c.relname::text) FROM pg_class c",
                        logger: Self.logger
                    )
                    var lines: [String] = []
                    for try await line in plan.decode(String.self) { lines.append(line) }
                    #expect(!lines.joined(separator: "\n").contains("app_setting_value"), "\(lines)")
                }
            }
        }
    }
}
