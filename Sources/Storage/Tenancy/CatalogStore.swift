import Logging
import PostgresNIO

/// The global catalogue: jurisdictions, tenant kinds, programs. Kinds and jurisdictions
/// are data; adding a state or a kind of tenant needs no code and no migration.
public struct CatalogStore: Sendable {
    public let logger: Logger

    public init(logger: Logger) {
        self.logger = logger
    }

    public func addJurisdiction(
        code: String,
        name: String,
        fiscalYearStartMonth: Int,
        on connection: PostgresConnection
    ) async throws {
        try await connection.execute(
            """
            INSERT INTO jurisdictions (code, name, fiscal_year_start_month)
            VALUES (\(code), \(name), \(Int16(fiscalYearStartMonth)))
            """,
            logger: logger
        )
    }

    public func addTenantKind(
        code: String,
        name: String,
        executiveTitle: String,
        on connection: PostgresConnection
    ) async throws {
        try await connection.execute(
            "INSERT INTO tenant_kinds (code, name, executive_title) VALUES (\(code), \(name), \(executiveTitle))",
            logger: logger
        )
    }
}
