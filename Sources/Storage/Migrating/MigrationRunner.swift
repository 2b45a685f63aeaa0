import Logging
import PostgresNIO

/// Applies migrations in order, each in its own transaction, once.
///
/// Every transaction first takes the same `pg_advisory_xact_lock`, so replicas that start
/// together queue up: the first applies a migration, the others find it applied.
public struct MigrationRunner: Sendable {
    public let migrations: [Migration]

    /// The advisory lock key every migrating session agrees on.
    static let lockKey: Int64 = 0x6D70_6D70_6D69_6772  // "mpmpmigr"

    public init(migrations: [Migration] = Migration.bundled) {
        self.migrations = migrations
    }

    /// Applies what is missing; returns the versions it applied.
    @discardableResult
    public func migrate(on connection: PostgresConnection, logger: Logger) async throws -> [String] {
        // PostgresNIO speaks the extended protocol, one statement per query. A session-local
        // function runs a file of many statements through PL/pgSQL's EXECUTE, and the file
        // itself travels as a bind parameter.
        try await connection.execute(
            """
            CREATE OR REPLACE FUNCTION pg_temp.mpmp_run_migration(sql text) RETURNS void
            LANGUAGE plpgsql AS $$ BEGIN EXECUTE sql; END $$
            """,
            logger: logger
        )
        var applied: [String] = []
        for migration in migrations {
            var attempt = 1
            while true {
                do {
                    let didApply = try await connection.inTransaction(logger: logger) { connection in
                        try await apply(migration, on: connection, logger: logger)
                    }
                    if didApply {
                        applied.append(migration.version)
                    }
                    break
                } catch let error as MigrationError where attempt < 3 && Self.lostCatalogRace(error, migration) {
                    // Roles belong to the cluster, not to the database: a migration of another
                    // database that created the role meanwhile makes this one's creation fail,
                    // or its backend miss the role just committed. In a new transaction the
                    // role is there.
                    logger.notice("retrying a migration that met a concurrent role creation", metadata: ["version": "\(migration.version)"])
                    attempt += 1
                    try await Task.sleep(for: .milliseconds(100 * attempt))
                }
            }
        }
        return applied
    }

    /// A migration that creates or alters a role and failed because the role was being
    /// changed by another database's migration at the same time (undefined object, unique
    /// violation, "tuple concurrently updated"); or any migration that met "tuple
    /// concurrently updated", which on Citus also comes from its own background work on
    /// the catalogs (propagating objects to the workers) while a migration changes them.
    /// The migration rolled back whole: a new transaction may try it again.
    static func lostCatalogRace(_ error: MigrationError, _ migration: Migration) -> Bool {
        guard case .failed(_, let reason) = error else { return false }
        if reason.contains("tuple concurrently updated") { return true }
        guard migration.sql.contains("CREATE ROLE") || migration.sql.contains("ALTER ROLE") else { return false }
        return ["SQLSTATE 42704", "SQLSTATE 23505", "SQLSTATE XX000"].contains { reason.contains($0) }
    }

    private func apply(_ migration: Migration, on connection: PostgresConnection, logger: Logger) async throws -> Bool {
        try await connection.execute("SELECT pg_advisory_xact_lock(\(Self.lockKey))", logger: logger)
        try await connection.execute(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version text PRIMARY KEY,
                checksum text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """,
            logger: logger
        )
        let rows = try await connection.query(
            "SELECT checksum FROM schema_migrations WHERE version = \(migration.version)",
            logger: logger
        )
        for try await appliedChecksum in rows.decode(String.self) {
            guard appliedChecksum == migration.checksum else {
                throw MigrationError.changedAfterApplying(version: migration.version)
            }
            return false
        }
        do {
            try await connection.execute("SELECT pg_temp.mpmp_run_migration(\(migration.sql))", logger: logger)
        } catch {
            throw MigrationError.failed(version: migration.version, reason: DatabaseFailure.describe(error))
        }
        try await connection.execute(
            "INSERT INTO schema_migrations (version, checksum) VALUES (\(migration.version), \(migration.checksum))",
            logger: logger
        )
        logger.info("applied migration", metadata: ["version": "\(migration.version)"])
        return true
    }

    /// Whether the database has every migration of this build, unchanged.
    ///
    /// Migrations the database has and this build does not know are allowed: during a
    /// rolling deployment the schema runs ahead of the older replicas.
    public func status(on connection: PostgresConnection, logger: Logger) async throws -> MigrationStatus {
        let exists = try await connection.query(
            "SELECT to_regclass('schema_migrations') IS NOT NULL",
            logger: logger
        )
        for try await tableExists in exists.decode(Bool.self) where !tableExists {
            return .pending(count: migrations.count)
        }
        var appliedChecksums: [String: String] = [:]
        let rows = try await connection.query("SELECT version, checksum FROM schema_migrations", logger: logger)
        for try await (version, checksum) in rows.decode((String, String).self) {
            appliedChecksums[version] = checksum
        }
        var pending = 0
        for migration in migrations {
            switch appliedChecksums[migration.version] {
            case nil: pending += 1
            case migration.checksum?: continue
            case _?: return .changed(version: migration.version)
            }
        }
        return pending == 0 ? .upToDate : .pending(count: pending)
    }
}

public enum MigrationStatus: Sendable, Equatable {
    case upToDate
    case pending(count: Int)
    case changed(version: String)
}

public enum MigrationError: Error, CustomStringConvertible, Equatable {
    case changedAfterApplying(version: String)
    case failed(version: String, reason: String)

    public var description: String {
        switch self {
        case .changedAfterApplying(let version):
            "migration \(version) was changed after it was applied; add a new migration instead of editing an applied one"
        case .failed(let version, let reason):
            "migration \(version) failed: \(reason)"
        }
    }
}
