import Logging
import PostgresNIO

/// The service's handle on PostgreSQL: a connection pool and the transactions it runs.
public struct Database: Sendable {
    public let client: PostgresClient
    public let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
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
        try await client.withConnection(isolation: isolation) { connection in
            try await connection.inTenantTransaction(access, logger: logger, isolation: isolation, body)
        }
    }

    /// Runs `body` in one transaction that sees no tenant rows: for global tables only.
    public func withTransaction<Result: Sendable>(
        isolation: isolated (any Actor)? = #isolation,
        _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await client.withConnection(isolation: isolation) { connection in
            try await connection.inTransaction(logger: logger, isolation: isolation, body)
        }
    }
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
            try await connection.execute(
                """
                SELECT set_config('app.tenant_ids', \(access.tenantIDsSetting), true),
                       set_config('app.all_tenants', \(access.allTenantsSetting), true)
                """,
                logger: logger
            )
            return try await body(connection)
        }
    }

    /// BEGIN, `body`, COMMIT; ROLLBACK when `body` throws, and the error that `body` threw
    /// reaches the caller unwrapped, so that domain errors keep their type.
    public func inTransaction<Result: Sendable>(
        logger: Logger,
        isolation: isolated (any Actor)? = #isolation,
        _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await execute("BEGIN", logger: logger)
        let result: Result
        do {
            result = try await body(self)
        } catch {
            _ = try? await execute("ROLLBACK", logger: logger)
            throw error
        }
        try await execute("COMMIT", logger: logger)
        return result
    }
}
