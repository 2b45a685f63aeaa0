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
    /// How long a lease waits for a connection before `withConnection` gives up with
    /// `DatabaseUnavailable`: the pool's own leases wait until a connection comes (for ever
    /// when every connection is busy, a minute when none can be opened).
    public let leaseTimeout: Duration

    /// The lease timeout unless the pool's maker says otherwise.
    public static let defaultLeaseTimeout: Duration = .seconds(5)

    public init(client: PostgresClient, logger: Logger, leaseTimeout: Duration = Database.defaultLeaseTimeout) {
        self.client = client
        self.logger = logger
        self.statistics = DatabaseStatistics()
        self.leaseTimeout = leaseTimeout
    }

    /// The pool, to run as a service of the application (it keeps the connections open).
    public var pool: PostgresClient { client }

    /// Leases a connection for `body`; the caller opens its own transaction on it.
    ///
    /// Throws `DatabaseUnavailable`, without running `body`, when no connection comes within
    /// `leaseTimeout` or the pool refuses the lease; `CancellationError` when the caller's
    /// task is cancelled before or while it waits.
    ///
    /// The pool's lease runs in a child task, the lender, which hands the connection over (see
    /// `ConnectionHandoff`) and holds the lease open until `body` is done: `body` runs here, in
    /// the caller's task and isolation. When the wait ends first, the lender is cancelled and
    /// the pool drops its waiting request.
    ///
    /// The lender starts at once, on this thread, until it first waits (`addImmediateTask`):
    /// with an idle connection in the pool, the connection is handed over before the caller
    /// asks for it, and no deadline is set. (In a release build that costs 5 to 15 µs a lease
    /// over PostgresClient's own; 40 to 70 µs when the lender was queued like any child task.)
    public func withConnection<Result: Sendable>(
        isolation: isolated (any Actor)? = #isolation,
        _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        statistics.countLease()
        return try await withThrowingTaskGroup(of: Void.self, returning: Result.self, isolation: isolation) { group in
            let handoff = ConnectionHandoff<PostgresConnection>()
            let lender = lender(handing: handoff)
            if #available(macOS 26, *) {
                group.addImmediateTask(operation: lender)
            } else {
                group.addTask(operation: lender)
            }
            let connection: PostgresConnection
            do {
                connection = try await borrow(from: handoff)
            } catch {
                group.cancelAll()
                throw error
            }
            defer { handoff.giveBack() }
            return try await DatabaseStatistics.$current.withValue(statistics, operation: {
                try await body(connection)
            }, isolation: isolation)
        }
    }

    /// Leases a connection from the pool and lends it through `handoff` until it comes back;
    /// a failed lease fails the handoff. (Made here, outside the caller's isolation, so that
    /// the lender has none.)
    private func lender(handing handoff: ConnectionHandoff<PostgresConnection>) -> @Sendable () async -> Void {
        { [client] in
            do {
                try await client.withConnection { connection in
                    await handoff.lend(connection)
                }
            } catch {
                handoff.fail(error)
            }
        }
    }

    /// The connection of `handoff`: at once when it is there, else within `leaseTimeout`.
    private func borrow(
        from handoff: ConnectionHandoff<PostgresConnection>,
        isolation: isolated (any Actor)? = #isolation
    ) async throws -> PostgresConnection {
        if let connection = handoff.takeReady() {
            return connection
        }
        let deadline = Task { [leaseTimeout] in
            do {
                try await Task.sleep(for: leaseTimeout)
            } catch {
                // Cancelled: the connection came (or the lease failed) first.
                return
            }
            handoff.expire()
        }
        defer { deadline.cancel() }
        do {
            return try await handoff.borrow()
        } catch ConnectionHandoff<PostgresConnection>.Failure.expired {
            let error = DatabaseUnavailable(.leaseTimedOut(leaseTimeout))
            logger.warning("no database connection", metadata: ["reason": "\(error)"])
            throw error
        } catch ConnectionHandoff<PostgresConnection>.Failure.leaseFailed(let failure) {
            // The caller's own cancellation reaches the lease first; it is no outage.
            try Task.checkCancellation()
            let error = DatabaseUnavailable.leaseFailure(failure)
            logger.warning("no database connection", metadata: ["reason": "\(error)"])
            throw error
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
/// `PostgresConnection.begin`, which every transaction of this package goes through (and
/// by a statement that is a transaction of its own); statements where every statement of
/// this package is sent (PostgresConnection+Closed.swift).
public final class DatabaseStatistics: Sendable {
    private let counts = Mutex<(leases: Int, transactions: Int, statements: Int)>((0, 0, 0))

    public init() {}

    public var leases: Int { counts.withLock { $0.leases } }
    public var transactions: Int { counts.withLock { $0.transactions } }
    /// Statements sent, BEGIN and COMMIT among them: a round trip each (and one more the
    /// first time a connection runs a prepared statement, to prepare it).
    public var statements: Int { counts.withLock { $0.statements } }

    func countLease() { counts.withLock { $0.leases += 1 } }
    func countTransaction() { counts.withLock { $0.transactions += 1 } }
    func countStatement() { counts.withLock { $0.statements += 1 } }

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
            SELECT app_set('app.tenant_ids', \(access.tenantIDsSetting)),
                   app_set('app.all_tenants', \(access.allTenantsSetting))
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
            await rollback(after: error, logger: logger)
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

    /// Rolls back after `error`; a failure here changes nothing for the caller, whose error
    /// is the one that matters.
    ///
    /// Nothing is sent when `error` ended the connection (a FATAL error such as an
    /// administrator's shutdown, or a lost connection): PostgreSQL rolls back the transaction
    /// of a closed connection itself, and the connection may be closing at this very moment,
    /// too late for the check of PostgresConnection+Closed.swift to see it.
    public func rollback(after error: any Error, logger: Logger) async {
        guard !DatabaseFailure.endsConnection(error) else { return }
        _ = try? await execute("ROLLBACK", logger: logger)
    }
}
