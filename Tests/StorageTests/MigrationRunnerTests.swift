import PostgresNIO
import Storage
import TestSupport
import Testing

@Suite("Migration runner")
struct MigrationRunnerTests {
    let logger = TestDatabases.logger

    func appliedVersions(_ url: DatabaseURL) async throws -> [String] {
        try await url.withConnection(logger: logger) { connection in
            let rows = try await connection.query("SELECT version FROM schema_migrations ORDER BY version", logger: logger)
            var versions: [String] = []
            for try await version in rows.decode(String.self) { versions.append(version) }
            return versions
        }
    }

    /// Every object of the public schema with its definition: equal fingerprints, equal schemas.
    func schemaFingerprint(_ url: DatabaseURL) async throws -> [String] {
        try await url.withConnection(logger: logger) { connection in
            let rows = try await connection.query(
                """
                SELECT c.relname || ' ' || c.relkind::text || ' ' || coalesce(string_agg(a.attname || ':' || format_type(a.atttypid, a.atttypmod), ',' ORDER BY a.attnum), '')
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                WHERE n.nspname = 'public' GROUP BY c.relname, c.relkind
                UNION ALL
                SELECT 'policy ' || polname || ' on ' || polrelid::regclass::text FROM pg_policy
                ORDER BY 1
                """,
                logger: logger
            )
            var lines: [String] = []
            for try await line in rows.decode(String.self) { lines.append(line) }
            return lines
        }
    }

    @Test("applies every migration once; a second run changes nothing")
    func applyingTwiceChangesNothing() async throws {
        try await withTestDatabase(migrated: false) { database in
            let runner = MigrationRunner()
            let first = try await database.ownerURL.withConnection(logger: logger) {
                try await runner.migrate(on: $0, logger: logger)
            }
            #expect(first == Migration.bundled.map(\.version))
            let fingerprint = try await schemaFingerprint(database.ownerURL)

            let second = try await database.ownerURL.withConnection(logger: logger) {
                try await runner.migrate(on: $0, logger: logger)
            }
            #expect(second == [])
            #expect(try await schemaFingerprint(database.ownerURL) == fingerprint)
            #expect(try await appliedVersions(database.ownerURL) == Migration.bundled.map(\.version))
        }
    }

    @Test("runners started together each finish, and each migration is applied once")
    func concurrentRunnersApplyOnce() async throws {
        try await withTestDatabase(migrated: false) { database in
            let url = database.ownerURL
            let logger = logger
            let applied = try await withThrowingTaskGroup(of: [String].self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        try await url.withConnection(logger: logger) {
                            try await MigrationRunner().migrate(on: $0, logger: logger)
                        }
                    }
                }
                var all: [String] = []
                for try await versions in group { all += versions }
                return all
            }
            #expect(applied.sorted() == Migration.bundled.map(\.version))
            #expect(try await appliedVersions(url) == Migration.bundled.map(\.version))
        }
    }

    @Test("an applied migration whose file changed is refused")
    func changedMigrationIsRefused() async throws {
        try await withTestDatabase(migrated: false) { database in
            let original = [Migration(version: "0001_first", sql: "CREATE TABLE first_table (id int PRIMARY KEY);")]
            let edited = [Migration(version: "0001_first", sql: "CREATE TABLE first_table (id bigint PRIMARY KEY);")]
            try await database.ownerURL.withConnection(logger: logger) { connection in
                try await MigrationRunner(migrations: original).migrate(on: connection, logger: logger)
                await #expect(throws: MigrationError.changedAfterApplying(version: "0001_first")) {
                    try await MigrationRunner(migrations: edited).migrate(on: connection, logger: logger)
                }
                #expect(try await MigrationRunner(migrations: edited).status(on: connection, logger: logger)
                    == .changed(version: "0001_first"))
            }
        }
    }

    @Test("a failing migration leaves nothing behind")
    func failingMigrationRollsBack() async throws {
        try await withTestDatabase(migrated: false) { database in
            let migrations = [
                Migration(version: "0001_good", sql: "CREATE TABLE good (id int PRIMARY KEY);"),
                Migration(version: "0002_bad", sql: "CREATE TABLE half (id int); INSERT INTO missing VALUES (1);"),
            ]
            try await database.ownerURL.withConnection(logger: logger) { connection in
                let runner = MigrationRunner(migrations: migrations)
                await #expect {
                    try await runner.migrate(on: connection, logger: logger)
                } throws: { error in
                    guard case MigrationError.failed(let version, let reason) = error else { return false }
                    return version == "0002_bad" && reason.contains("missing")
                }
                let rows = try await connection.query("SELECT to_regclass('half') IS NULL", logger: logger)
                for try await absent in rows.decode(Bool.self) { #expect(absent) }
                #expect(try await runner.status(on: connection, logger: logger) == .pending(count: 1))
            }
            #expect(try await appliedVersions(database.ownerURL) == ["0001_good"])
        }
    }
}
