import Domain
import Foundation
import PostgresNIO
import Storage
import TestSupport
import Testing

/// The second wall: with the service role, PostgreSQL itself keeps tenants apart and
/// fails closed when the application forgets to say which tenants a transaction may see.
@Suite("Row-level security")
struct RowLevelSecurityTests {
    let store = TenantStore(logger: TestDatabases.logger)
    let springfield = Tenant(id: UUID(), name: "Springfield", kindCode: "test_town", jurisdictionCode: "ZZ", population: 153_000)
    let shelbyville = Tenant(id: UUID(), name: "Shelbyville", kindCode: "test_town", jurisdictionCode: "ZZ", population: 64_000)

    /// Two tenants with a department each, created as a Center admin would.
    func seed(_ database: Database) async throws {
        try await database.withTenantTransaction(.center) { connection in
            try await connection.assumeCenterAdminRole(logger: TestDatabases.logger)
            let catalog = CatalogStore(logger: TestDatabases.logger)
            try await catalog.add(JurisdictionRecord(code: "ZZ", name: "Test State", fiscalYearStartMonth: 7), on: connection)
            try await catalog.add(TenantKindRecord(code: "test_town", name: "Town", executiveTitle: "Mayor"), on: connection)
            for tenant in [springfield, shelbyville] {
                try await store.create(tenant, on: connection)
                try await store.createDepartment(
                    Department(tenantID: tenant.id, id: UUID(), name: "Public Works"),
                    on: connection
                )
            }
        }
    }

    func countRows(on connection: PostgresConnection) async throws -> (tenants: Int, departments: Int) {
        let rows = try await connection.query(
            "SELECT (SELECT count(*) FROM tenants)::int, (SELECT count(*) FROM departments)::int",
            logger: TestDatabases.logger
        )
        for try await counts in rows.decode((Int, Int).self) { return counts }
        return (-1, -1)
    }

    @Test("with no tenant setting, tenant tables are empty")
    func noSettingMeansNoRows() async throws {
        try await withTestDatabase { testDatabase in
            try await withDatabase(testDatabase.serviceURL) { database in
                try await seed(database)
                let counts = try await database.withTransaction { try await countRows(on: $0) }
                #expect(counts == (0, 0))
                let empty = try await database.withTenantTransaction(.none) { try await countRows(on: $0) }
                #expect(empty == (0, 0))
            }
        }
    }

    @Test("after a committed tenant transaction, the same pooled connection sees nothing")
    func committedSettingDoesNotLeak() async throws {
        try await withTestDatabase { testDatabase in
            try await withDatabase(testDatabase.serviceURL, maximumConnections: 1) { database in
                try await seed(database)
                let inside = try await database.withTenantTransaction(.tenant(springfield.id)) {
                    try await countRows(on: $0)
                }
                #expect(inside == (1, 1))
                // The one pooled connection now carries app.tenant_ids = '' (not NULL).
                try await database.withConnection { connection in
                    let leftover = try await connection.query(
                        "SELECT current_setting('app.tenant_ids', true)",
                        logger: TestDatabases.logger
                    )
                    for try await value in leftover.decode(String?.self) {
                        #expect(value == "")
                    }
                    let after = try await countRows(on: connection)
                    #expect(after == (0, 0))
                }
            }
        }
    }

    @Test("a tenant transaction sees its own tenant only")
    func tenantSeesOnlyItself() async throws {
        try await withTestDatabase { testDatabase in
            try await withDatabase(testDatabase.serviceURL) { database in
                try await seed(database)
                let visible = try await database.withTenantTransaction(.tenant(springfield.id)) { connection in
                    try await store.list(on: connection)
                }
                #expect(visible.map(\.id) == [springfield.id])
                let other = try await database.withTenantTransaction(.tenant(springfield.id)) { connection in
                    try await store.departments(of: shelbyville.id, on: connection)
                }
                #expect(other.isEmpty)
                let all = try await database.withTenantTransaction(.center) { try await store.list(on: $0) }
                #expect(Set(all.map(\.id)) == [springfield.id, shelbyville.id])
            }
        }
    }

    @Test("writing another tenant's rows fails or touches nothing")
    func crossTenantWritesFail() async throws {
        try await withTestDatabase { testDatabase in
            try await withDatabase(testDatabase.serviceURL) { database in
                try await seed(database)
                let access = TenantAccess.tenant(springfield.id)

                await #expect(throws: PSQLError.self) {
                    try await database.withTenantTransaction(access) { connection in
                        try await store.createDepartment(
                            Department(tenantID: shelbyville.id, id: UUID(), name: "Intruders"),
                            on: connection
                        )
                    }
                }
                #expect(DatabaseFailure.sqlState(of: await rlsError(database, access)) == "42501")

                let updated = try await database.withTenantTransaction(access) { connection in
                    let rows = try await connection.query(
                        "UPDATE departments SET name = 'Renamed' WHERE tenant_id = \(shelbyville.id) RETURNING id",
                        logger: TestDatabases.logger
                    )
                    var count = 0
                    for try await _ in rows { count += 1 }
                    return count
                }
                #expect(updated == 0)

                await #expect(throws: PSQLError.self) {
                    try await database.withTenantTransaction(access) { connection in
                        try await connection.execute(
                            "UPDATE departments SET tenant_id = \(shelbyville.id) WHERE tenant_id = \(springfield.id)",
                            logger: TestDatabases.logger
                        )
                    }
                }

                let untouched = try await database.withTenantTransaction(.tenant(shelbyville.id)) { connection in
                    try await store.departments(of: shelbyville.id, on: connection)
                }
                #expect(untouched.map(\.name) == ["Public Works"])
            }
        }
    }

    @Test("every policy reads the transaction's settings once per statement (migration 0009), and every tenant table has one")
    func policiesReadSettingsOnce() async throws {
        let citus = CitusCluster.isConfigured
        try await withTestDatabase { database in
            try await database.ownerURL.withConnection(logger: TestDatabases.logger) { connection in
                let rows = try await connection.query(
                    "SELECT tablename, policyname, coalesce(qual, ''), coalesce(with_check, '') FROM pg_policies WHERE schemaname = 'public'",
                    logger: TestDatabases.logger
                )
                var tablesWithTenantPolicy: Set<String> = []
                var policies = 0
                for try await (table, policy, using, check) in rows.decode((String, String, String, String).self) {
                    policies += 1
                    if policy == "tenant_member" { tablesWithTenantPolicy.insert(table) }
                    for expression in [using, check] {
                        // Deparsed, a setting read once is `( SELECT app_tenant_ids() AS app_tenant_ids)`.
                        let calls = expression.components(separatedBy: "app_").count - 1
                        let once = expression.components(separatedBy: "SELECT app_").count - 1
                        let named = expression.components(separatedBy: " AS app_").count - 1
                        if citus {
                            // Citus takes no subquery in a policy of a distributed table
                            // (migration 0018 unwraps them): each setting is a direct call.
                            #expect(once == 0 && named == 0, "\(table).\(policy) keeps a subquery Citus refuses: \(expression)")
                        } else {
                            #expect(calls == once + named, "\(table).\(policy) calls a setting per row: \(expression)")
                        }
                    }
                }
                #expect(policies >= 39)
                let tenantTables = try await connection.query(
                    """
                    SELECT c.relname FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
                    WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace AND a.attname = 'tenant_id'
                    """,
                    logger: TestDatabases.logger
                )
                for try await table in tenantTables.decode(String.self) {
                    #expect(tablesWithTenantPolicy.contains(table), "\(table) has a tenant_id and no tenant_member policy")
                }
            }
        }
    }

    /// The error of inserting a row of another tenant.
    func rlsError(_ database: Database, _ access: TenantAccess) async -> any Error {
        do {
            _ = try await database.withTenantTransaction(access) { connection in
                // As the Center-admin role, which may insert tenants: what refuses is RLS.
                try await connection.assumeCenterAdminRole(logger: TestDatabases.logger)
                try await store.create(
                    Tenant(id: UUID(), name: "Ogdenville", kindCode: "test_town", jurisdictionCode: "ZZ", population: 1),
                    on: connection
                )
            }
            return CancellationError()
        } catch {
            return error
        }
    }
}
