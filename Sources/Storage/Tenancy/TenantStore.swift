import Domain
import Foundation
import Logging
import PostgresNIO

/// Tenants and their departments. Every call runs on a connection inside a tenant
/// transaction (`Database.withTenantTransaction`), so row-level security applies.
public struct TenantStore: Sendable {
    public let logger: Logger

    public init(logger: Logger) {
        self.logger = logger
    }

    public func create(_ tenant: Tenant, on connection: PostgresConnection) async throws {
        try await connection.execute(
            """
            INSERT INTO tenants (tenant_id, name, tenant_kind_code, jurisdiction_code, population)
            VALUES (\(tenant.id), \(tenant.name), \(tenant.kindCode), \(tenant.jurisdictionCode), \(tenant.population))
            """,
            logger: logger
        )
    }

    public func find(_ id: UUID, on connection: PostgresConnection) async throws -> Tenant? {
        let rows = try await connection.query(
            """
            SELECT tenant_id, name, tenant_kind_code, jurisdiction_code, population
            FROM tenants WHERE tenant_id = \(id)
            """,
            logger: logger
        )
        for try await row in rows.decode((UUID, String, String, String, Int?).self) {
            return Tenant(id: row.0, name: row.1, kindCode: row.2, jurisdictionCode: row.3, population: row.4)
        }
        return nil
    }

    /// The tenants the transaction can see, by name.
    public func list(on connection: PostgresConnection) async throws -> [Tenant] {
        let rows = try await connection.query(
            """
            SELECT tenant_id, name, tenant_kind_code, jurisdiction_code, population
            FROM tenants ORDER BY name, tenant_id
            """,
            logger: logger
        )
        var tenants: [Tenant] = []
        for try await row in rows.decode((UUID, String, String, String, Int?).self) {
            tenants.append(Tenant(id: row.0, name: row.1, kindCode: row.2, jurisdictionCode: row.3, population: row.4))
        }
        return tenants
    }

    public func createDepartment(_ department: Department, on connection: PostgresConnection) async throws {
        try await connection.execute(
            "INSERT INTO departments (tenant_id, id, name) VALUES (\(department.tenantID), \(department.id), \(department.name))",
            logger: logger
        )
    }

    public func departments(of tenantID: UUID, on connection: PostgresConnection) async throws -> [Department] {
        let rows = try await connection.query(
            "SELECT tenant_id, id, name FROM departments WHERE tenant_id = \(tenantID) ORDER BY name, id",
            logger: logger
        )
        var departments: [Department] = []
        for try await (tenantID, id, name) in rows.decode((UUID, UUID, String).self) {
            departments.append(Department(tenantID: tenantID, id: id, name: name))
        }
        return departments
    }
}
