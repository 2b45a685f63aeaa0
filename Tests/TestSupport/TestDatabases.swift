import Foundation
import Logging
import PostgresNIO
import Storage

/// Throwaway databases for tests that talk to a real PostgreSQL.
///
/// `make test` starts a private cluster and sets `MPMP_TEST_DATABASE_URL` to a superuser
/// URL on it. The first test that asks migrates a template database once; every test then
/// gets its own copy (`CREATE DATABASE … TEMPLATE …`): fast, and isolated from the others.
///
/// On a Citus cluster (`make test-citus`: `MPMP_TEST_CITUS_WORKERS` names the workers),
/// each test's database is made on every node instead, with the extension and the workers
/// registered, then migrated: Citus keeps its shards in the workers' databases of the same
/// name, which a template copy on the coordinator alone would not have.
public actor TestDatabases {
    public static let shared = TestDatabases()

    /// The login role tests connect as, like the service does: member of `mpmp_app` only.
    public static let serviceUsername = "mpmp_service_test"
    public static let servicePassword = "service-password-for-tests"

    public static let logger: Logger = {
        var logger = Logger(label: "mpmp.tests")
        logger.logLevel = .error
        return logger
    }()

    private var template: Task<String, any Error>?
    private var citusQueue = Task<Void, Never> {}

    public static func adminURL() throws -> DatabaseURL {
        guard let text = ProcessInfo.processInfo.environment["MPMP_TEST_DATABASE_URL"] else {
            throw TestDatabaseError.notConfigured
        }
        return try DatabaseURL(parsing: text, variable: "MPMP_TEST_DATABASE_URL")
    }

    /// A new database with every migration applied and the test service role in place.
    public func makeMigrated() async throws -> TestDatabase {
        if let cluster = try CitusCluster.configured() {
            // One at a time: Citus propagates each migration's roles and functions to the
            // workers, and two databases doing so at once collide there.
            let previous = citusQueue
            let next = Task<TestDatabase, any Error> {
                await previous.value
                let database = try await cluster.makeDatabase(name: Self.uniqueName(prefix: "mpmp_test"))
                try await Self.migrateWithServiceRole(database.ownerURL)
                return database
            }
            citusQueue = Task { _ = try? await next.value }
            return try await next.value
        }
        let template = try await templateName()
        return try await makeDatabase(template: template)
    }

    /// A new, empty database: for tests of the migrations themselves.
    public func makeEmpty() async throws -> TestDatabase {
        if let cluster = try CitusCluster.configured() {
            return try await cluster.makeDatabase(name: Self.uniqueName(prefix: "mpmp_test"))
        }
        return try await makeDatabase(template: "template0")
    }

    private func templateName() async throws -> String {
        if let template {
            return try await template.value
        }
        let task = Task<String, any Error> {
            let name = Self.uniqueName(prefix: "mpmp_template")
            let admin = try Self.adminURL()
            try await Self.execute("CREATE DATABASE \(name) TEMPLATE template0", url: admin)
            try await Self.migrateWithServiceRole(admin.with(database: name))
            return name
        }
        template = task
        return try await task.value
    }

    /// Every migration, and the test service role, on the database at `url`.
    private static func migrateWithServiceRole(_ url: DatabaseURL) async throws {
        try await url.withConnection(logger: logger) { connection in
            try await MigrationRunner().migrate(on: connection, logger: logger)
            try await ServiceRole.ensure(username: serviceUsername, password: servicePassword, on: connection, logger: logger)
        }
    }

    private func makeDatabase(template: String) async throws -> TestDatabase {
        let admin = try Self.adminURL()
        let name = Self.uniqueName(prefix: "mpmp_test")
        // Copies of one template are made one at a time: PostgreSQL refuses to copy a
        // database that another session is connected to, and this actor serializes them.
        try await Self.execute("CREATE DATABASE \(name) TEMPLATE \(template)", url: admin)
        return TestDatabase(
            name: name,
            ownerURL: admin.with(database: name),
            serviceURL: admin.with(database: name).with(
                username: Self.serviceUsername,
                password: Self.servicePassword
            )
        )
    }

    /// Database names are made here from a UUID, never from input: the only SQL in the
    /// project built from text, because CREATE DATABASE takes no bind parameters.
    static func uniqueName(prefix: String) -> String {
        prefix + "_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
    }

    static func execute(_ statement: String, url: DatabaseURL) async throws {
        try await url.with(database: "postgres").withConnection(logger: logger) { connection in
            try await connection.execute(PostgresQuery(unsafeSQL: statement), logger: logger)
        }
    }
}

public struct TestDatabase: Sendable {
    public let name: String
    /// The superuser on this database, as `mpmp migrate` would connect.
    public let ownerURL: DatabaseURL
    /// The service role on this database, as `mpmp serve` would connect.
    public let serviceURL: DatabaseURL

    public func drop() async throws {
        try await TestDatabases.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)", url: ownerURL)
        for worker in try CitusCluster.configured()?.workers ?? [] {
            try await TestDatabases.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)", url: worker)
        }
    }
}

public enum TestDatabaseError: Error, CustomStringConvertible {
    case notConfigured

    public var description: String {
        "MPMP_TEST_DATABASE_URL is not set: run the tests with `make test`, which starts a throwaway PostgreSQL"
    }
}

/// Runs `body` with a fresh migrated database (or an empty one), dropped afterwards.
@discardableResult
public func withTestDatabase<Result: Sendable>(
    migrated: Bool = true,
    _ body: (TestDatabase) async throws -> Result
) async throws -> Result {
    let database = migrated ? try await TestDatabases.shared.makeMigrated() : try await TestDatabases.shared.makeEmpty()
    do {
        let result = try await body(database)
        try await database.drop()
        return result
    } catch {
        try? await database.drop()
        throw error
    }
}

/// The lease timeout of the tests' pools: long, so that a machine busy with many tests at
/// once does not fail a lease; the tests of the timeout set their own.
public let testLeaseTimeout: Duration = .seconds(60)

/// Runs `body` with a connection pool on `url` (by default as the service role).
@discardableResult
public func withDatabase<Result: Sendable>(
    _ url: DatabaseURL,
    maximumConnections: Int = 4,
    leaseTimeout: Duration = testLeaseTimeout,
    _ body: (Database) async throws -> Result
) async throws -> Result {
    let client = PostgresClient(
        configuration: try url.clientConfiguration(maximumConnections: maximumConnections),
        backgroundLogger: TestDatabases.logger
    )
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { await client.run() }
        defer { group.cancelAll() }
        return try await body(Database(client: client, logger: TestDatabases.logger, leaseTimeout: leaseTimeout))
    }
}
