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

    /// Adds a tenant; false when its jurisdiction has a tenant of that kind and name.
    @discardableResult
    public func create(_ tenant: Tenant, on connection: PostgresConnection) async throws -> Bool {
        try await connection.query(
            """
            INSERT INTO tenants (tenant_id, name, tenant_kind_code, jurisdiction_code, population)
            VALUES (\(tenant.id), \(tenant.name), \(tenant.kindCode), \(tenant.jurisdictionCode), \(tenant.population))
            ON CONFLICT (jurisdiction_code, tenant_kind_code, lower(btrim(name))) DO NOTHING RETURNING tenant_id
            """,
            logger: logger
        ).hasRow()
    }

    public func find(_ id: UUID, on connection: PostgresConnection) async throws -> Tenant? {
        let rows = try await connection.query(
            """
            SELECT tenant_id, name, tenant_kind_code, jurisdiction_code, population, data_due_day::int, billing_email
            FROM tenants WHERE tenant_id = \(id)
            """,
            logger: logger
        )
        for try await row in rows.decode((UUID, String, String, String, Int?, Int, String?).self) {
            return Tenant(
                id: row.0, name: row.1, kindCode: row.2, jurisdictionCode: row.3, population: row.4,
                dataDueDay: row.5, billingEmail: row.6
            )
        }
        return nil
    }

    /// The tenants the transaction can see, by name then id, after `cursor` (name, id).
    public func list(after cursor: (String, UUID)? = nil, limit: Int = 10_000, on connection: PostgresConnection) async throws -> [Tenant] {
        let cursorName = cursor?.0
        let cursorID = cursor?.1
        let rows = try await connection.query(
            """
            SELECT tenant_id, name, tenant_kind_code, jurisdiction_code, population, data_due_day::int, billing_email
            FROM tenants
            WHERE \(cursorName)::text IS NULL OR (name, tenant_id) > (\(cursorName), \(cursorID))
            ORDER BY name, tenant_id
            LIMIT \(limit)
            """,
            logger: logger
        )
        var tenants: [Tenant] = []
        for try await row in rows.decode((UUID, String, String, String, Int?, Int, String?).self) {
            tenants.append(
                Tenant(
                    id: row.0, name: row.1, kindCode: row.2, jurisdictionCode: row.3, population: row.4, dataDueDay: row.5,
                    billingEmail: row.6
                )
            )
        }
        return tenants
    }

    /// Changes the name, due day, billing contact and population (nil: unchanged; a
    /// billing contact or population `.some(nil)`: cleared); returns the tenant as it now is.
    public func update(
        _ id: UUID, name: String?, dataDueDay: Int? = nil, billingEmail: String?? = nil, population: Int??,
        on connection: PostgresConnection
    ) async throws -> Tenant? {
        // The population is named only when it changes: it sets the fee, and only the
        // Center-admin role may write it (migration 0008).
        let dueDay = dataDueDay.map { Int16(clamping: $0) }
        let changesBilling = billingEmail != nil
        let newBillingEmail = billingEmail ?? nil
        let query: PostgresQuery =
            if let population {
                """
                UPDATE tenants SET name = coalesce(\(name), name), data_due_day = coalesce(\(dueDay), data_due_day),
                    billing_email = CASE WHEN \(changesBilling) THEN \(newBillingEmail) ELSE billing_email END,
                    population = \(population), updated_at = now()
                WHERE tenant_id = \(id)
                """
            } else {
                """
                UPDATE tenants SET name = coalesce(\(name), name), data_due_day = coalesce(\(dueDay), data_due_day),
                    billing_email = CASE WHEN \(changesBilling) THEN \(newBillingEmail) ELSE billing_email END, updated_at = now()
                WHERE tenant_id = \(id)
                """
            }
        try await connection.execute(query, logger: logger)
        return try await find(id, on: connection)
    }

    /// The addresses of the tenant's chief executives who may sign in.
    public func chiefExecutiveEmails(of tenantID: UUID, on connection: PostgresConnection) async throws -> [String] {
        let rows = try await connection.query(
            """
            SELECT u.email FROM memberships m JOIN users u ON u.id = m.user_id
            WHERE m.tenant_id = \(tenantID) AND m.role = 'ceo' AND u.disabled_at IS NULL
            ORDER BY u.email
            """,
            logger: logger
        )
        var emails: [String] = []
        for try await email in rows.decode(String.self) { emails.append(email) }
        return emails
    }

    /// Adds a department; false when the tenant has one of that name already.
    @discardableResult
    public func createDepartment(_ department: Department, on connection: PostgresConnection) async throws -> Bool {
        let rows = try await connection.query(
            """
            INSERT INTO departments (tenant_id, id, name) VALUES (\(department.tenantID), \(department.id), \(department.name))
            ON CONFLICT (tenant_id, lower(name)) DO NOTHING RETURNING id
            """,
            logger: logger
        )
        let inserted = try await rows.hasRow()
        return inserted
    }

    public func department(_ id: UUID, of tenantID: UUID, on connection: PostgresConnection) async throws -> Department? {
        let rows = try await connection.query(
            "SELECT tenant_id, id, name FROM departments WHERE tenant_id = \(tenantID) AND id = \(id)",
            logger: logger
        )
        for try await (tenantID, id, name) in rows.decode((UUID, UUID, String).self) {
            return Department(tenantID: tenantID, id: id, name: name)
        }
        return nil
    }

    /// The month the tenant's fiscal year starts in, from its jurisdiction.
    public func fiscalYearStartMonth(of tenantID: UUID, on connection: PostgresConnection) async throws -> Int? {
        let rows = try await connection.query(
            """
            SELECT j.fiscal_year_start_month::int FROM tenants t JOIN jurisdictions j ON j.code = t.jurisdiction_code
            WHERE t.tenant_id = \(tenantID)
            """,
            logger: logger
        )
        for try await month in rows.decode(Int.self) { return month }
        return nil
    }

    public func departments(
        of tenantID: UUID,
        after cursor: (String, UUID)? = nil,
        limit: Int = 10_000,
        on connection: PostgresConnection
    ) async throws -> [Department] {
        let cursorName = cursor?.0
        let cursorID = cursor?.1
        let rows = try await connection.query(
            """
            SELECT tenant_id, id, name FROM departments
            WHERE tenant_id = \(tenantID)
              AND (\(cursorName)::text IS NULL OR (name, id) > (\(cursorName), \(cursorID)))
            ORDER BY name, id LIMIT \(limit)
            """,
            logger: logger
        )
        var departments: [Department] = []
        for try await (tenantID, id, name) in rows.decode((UUID, UUID, String).self) {
            departments.append(Department(tenantID: tenantID, id: id, name: name))
        }
        return departments
    }
}
