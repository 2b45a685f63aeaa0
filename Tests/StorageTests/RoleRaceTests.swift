import Testing

@testable import Storage

/// Roles belong to the cluster: migrations of two databases at once can race to create
/// one. The runner retries exactly those failures.
@Suite("Migrations that meet a concurrent role creation")
struct RoleRaceTests {
    static let creates = Migration(version: "0099_role", sql: "DO $$ BEGIN CREATE ROLE mpmp_example NOLOGIN; END $$;")
    static let plain = Migration(version: "0099_table", sql: "CREATE TABLE example (id int);")

    @Test(
        "a role-creating migration that failed on an undefined object, a unique violation or a concurrent update is retried; nothing else is",
        arguments: [
            (creates, "SQLSTATE 42704", true), (creates, "SQLSTATE 23505", true), (creates, "SQLSTATE XX000", true),
            (creates, "SQLSTATE 42601", false), (plain, "SQLSTATE 42704", false),
        ]
    )
    func retried(migration: Migration, state: String, retried: Bool) {
        let error = MigrationError.failed(version: migration.version, reason: "database answered: role \"x\" does not exist (\(state))")
        #expect(MigrationRunner.lostCatalogRace(error, migration) == retried)
        #expect(!MigrationRunner.lostCatalogRace(.changedAfterApplying(version: migration.version), migration))
    }

    @Test("any migration that met a concurrent update of a catalog row is retried (on Citus, its own background work can be the other side)")
    func concurrentCatalogUpdateIsRetried() {
        let raced = MigrationError.failed(version: Self.plain.version, reason: "database answered: tuple concurrently updated (SQLSTATE XX000)")
        let other = MigrationError.failed(version: Self.plain.version, reason: "database answered: could not open file (SQLSTATE XX000)")
        #expect(MigrationRunner.lostCatalogRace(raced, Self.plain))
        #expect(!MigrationRunner.lostCatalogRace(other, Self.plain))
    }
}
