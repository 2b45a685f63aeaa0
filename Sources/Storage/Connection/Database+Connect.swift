import Logging
import PostgresNIO

extension Database {
    /// A pool of at most `poolSize` connections to `url`. It opens connections once the
    /// application runs `pool` as a service. A lease that waits `leaseTimeout` for a
    /// connection ends with `DatabaseUnavailable`.
    public static func pool(
        _ url: DatabaseURL,
        size poolSize: Int,
        leaseTimeout: Duration = Database.defaultLeaseTimeout,
        logger: Logger
    ) throws -> Database {
        let client = PostgresClient(
            configuration: try url.clientConfiguration(maximumConnections: poolSize),
            backgroundLogger: logger
        )
        return Database(client: client, logger: logger, leaseTimeout: leaseTimeout)
    }

    /// Runs `body` with a one-connection pool on `url`, for the command line. One plain
    /// connection first checks that the database answers: the pool would retry for a
    /// minute before it gave up, and with a vaguer error.
    public static func using<Result: Sendable>(
        _ url: DatabaseURL,
        logger: Logger,
        _ body: (Database) async throws -> Result
    ) async throws -> Result {
        try await url.withConnection(logger: logger) { _ in }
        // The pool's own log says nothing a person at the command line can act on (it
        // warns, for one, when the first lease comes before `run()` has started, which
        // the lease waits for); what fails reaches the command as an error.
        var poolLogger = logger
        poolLogger.logLevel = .critical
        let client = PostgresClient(configuration: try url.clientConfiguration(maximumConnections: 1), backgroundLogger: poolLogger)
        let database = Database(client: client, logger: logger)
        return try await withThrowingTaskGroup(of: Void.self, returning: Result.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            return try await body(database)
        }
    }
}

extension DatabaseURL {
    /// Whether the database has every migration of this build, in one connection.
    public func migrationStatus(logger: Logger) async throws -> MigrationStatus {
        try await withConnection(logger: logger) { connection in
            try await MigrationRunner().status(on: connection, logger: logger)
        }
    }

    /// Applies the pending migrations as the schema's owner and, when `serviceRole` is
    /// given, creates that login role if it is missing (see `ServiceRole.ensure`).
    ///
    /// - Returns: the versions applied, and whether the service role was created.
    public func migrate(
        serviceRole: (username: String, password: String?)?,
        logger: Logger
    ) async throws -> (applied: [String], createdServiceRole: Bool) {
        try await withConnection(logger: logger) { connection in
            let applied = try await MigrationRunner().migrate(on: connection, logger: logger)
            var created = false
            if let serviceRole {
                created = try await ServiceRole.ensure(
                    username: serviceRole.username, password: serviceRole.password, on: connection, logger: logger
                )
            }
            return (applied, created)
        }
    }
}
