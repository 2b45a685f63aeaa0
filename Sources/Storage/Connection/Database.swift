import Logging
import PostgresNIO
import Synchronization

/// The service's handle on PostgreSQL: a connection pool and the transactions it runs.
///
/// Nothing outside Storage and Services leases a connection: every transaction starts
/// here, so `statistics` counts all of them.
public struct Database: Sendable {
    let client: PostgresClient
    public let logger: Logger
    /// Connections leased and transactions begun since the start: tests read it to prove
    /// that a request opens one transaction.
    public let statistics: DatabaseStatistics

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
        self.statistics = DatabaseStatistics()
    }

    /// The pool, to run as a service of the application (it keeps the connections open).
    public var pool: PostgresClient { client }

    /// Leases a connection for `body`; the caller opens its own transaction on it.
    public func withConnection<Result: Sendable>(
        isolation: isolated (any Actor)? = #isolation,
        _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        statistics.countLease()
        return try await client.withConnection(isolation: isolation) { connection in
            try await DatabaseStatistics.$current.withValue(statistics, operation: {
                try await body(connection)
            }, isolation: isolation)
        }
    }

    /// Runs `body` in one transaction whose row-level security settings are `access`.
    ///
    /// The settings are transaction-local (`set_config(…, true)`), so they end with the
    /// transaction and never leak into the next user of the pooled connection. Both values
    /// are bind parameters.
    public func withTenantTransaction<Result: Sendable>(
        _ access: TenantAccess,
        isolation: isolated (any Actor)? = #isolation,
        _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await withConnection(isolation: isolation) { connection in
            try await connection.inTenantTransaction(access, logger: logger, isolation: isolation, body)
        }
    }

    /// Runs `body` in one transaction that sees no tenant rows: for global tables only.
    public func withTransaction<Result: Sendable>(
        isolation: isolated (any Actor)? = #isolation,
        _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await withConnection(isolation: isolation) { connection in
            try await connection.inTransaction(logger: logger, isolation: isolation, body)
        }
    }
}

/// Counters of what the pool was asked for. Transactions are counted per connection in
/// `PostgresConnection.begin`, which every transaction of this package goes through.
public final class DatabaseStatistics: Sendable {
    private let counts = Mutex<(leases: Int, transactions: Int)>((0, 0))

    public init() {}

    public var leases: Int { counts.withLock { $0.leases } }
    public var transactions: Int { counts.withLock { $0.transactions } }

    func countLease() { counts.withLock { $0.leases += 1 } }
    func countTransaction() { counts.withLock { $0.transactions += 1 } }

    /// The statistics of the database whose connection the current task is using.
    @TaskLocal static var current: DatabaseStatistics?
}

extension PostgresConnection {
    /// BEGIN, the row-level security settings of `access`, `body`, COMMIT.
    public func inTenantTransaction<Result: Sendable>(
        _ access: TenantAccess,
        logger: Logger,
        isolation: isolated (any Actor)? = #isolation,
        _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await inTransaction(logger: logger, isolation: isolation) { connection in
            try await connection.setTenantAccess(access, logger: logger)
            return try await body(connection)
        }
    }

    /// Runs the rest of the open transaction as the Center-admin database role, which alone
    /// writes the global tables (migration 0008). `app_open_session` does this for a Center
    /// admin's session; an operator at the machine (the command line, the demo loader)
    /// does it here.
    public func assumeCenterAdminRole(logger: Logger) async throws {
        try await execute("SET LOCAL ROLE mpmp_center_admin", logger: logger)
    }

    /// Sets the row-level security settings of the open transaction to `access`, for the
    /// rest of it.
    public func setTenantAccess(_ access: TenantAccess, logger: Logger) async throws {
        try await execute(
            """
            SELECT set_config('app.tenant_ids', \(access.tenantIDsSetting), true),
                   set_config('app.all_tenants', \(access.allTenantsSetting), true)
            """,
            logger: logger
        )
    }

    /// BEGIN, `body`, COMMIT; ROLLBACK when `body` throws, and the error that `body` threw
    /// reaches the caller unwrapped, so that domain errors keep their type.
    public func inTransaction<Result: Sendable>(
        logger: Logger,
        isolation: isolated (any Actor)? = #isolation,
        _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await begin(logger: logger)
        let result: Result
        do {
            result = try await body(self)
        } catch {
            await rollback(logger: logger)
            throw error
        }
        try await commit(logger: logger)
        return result
    }

    public func begin(logger: Logger) async throws {
        DatabaseStatistics.current?.countTransaction()
        try await execute("BEGIN", logger: logger)
    }

    public func commit(logger: Logger) async throws {
        try await execute("COMMIT", logger: logger)
    }

    /// Rolls back; a failure here (the connection is gone) changes nothing for the caller,
    /// whose error is the one that matters.
    public func rollback(logger: Logger) async {
        _ = try? await execute("ROLLBACK", logger: logger)
    }
}
