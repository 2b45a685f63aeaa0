import Foundation
import PostgresNIO
import Storage
import TestSupport
import Testing

@Suite("The service role")
struct ServiceRoleTests {
    @Test("is not superuser, does not bypass RLS and owns nothing")
    func isUnprivileged() async throws {
        try await withTestDatabase { database in
            try await database.ownerURL.withConnection(logger: TestDatabases.logger) { connection in
                let username = TestDatabases.serviceUsername
                let roles = try await connection.query(
                    """
                    SELECT rolsuper, rolbypassrls, rolcreaterole, rolcreatedb,
                           pg_has_role(rolname, 'mpmp_app', 'MEMBER')
                    FROM pg_roles WHERE rolname = \(username)
                    """,
                    logger: TestDatabases.logger
                )
                var found = false
                for try await (isSuperuser, bypassesRLS, createsRoles, createsDatabases, isMember) in roles.decode(
                    (Bool, Bool, Bool, Bool, Bool).self
                ) {
                    found = true
                    #expect(!isSuperuser)
                    #expect(!bypassesRLS)
                    #expect(!createsRoles)
                    #expect(!createsDatabases)
                    #expect(isMember)
                }
                #expect(found)

                let owned = try await connection.query(
                    """
                    SELECT count(*)::int FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner
                    WHERE r.rolname IN (\(username), 'mpmp_app')
                    """,
                    logger: TestDatabases.logger
                )
                for try await count in owned.decode(Int.self) {
                    #expect(count == 0)
                }
            }
        }
    }

    @Test("ensuring it twice is harmless, and a privileged role is refused")
    func ensureIsIdempotentAndRefusesPrivilegedRoles() async throws {
        try await withTestDatabase { database in
            try await database.ownerURL.withConnection(logger: TestDatabases.logger) { connection in
                let created = try await ServiceRole.ensure(
                    username: TestDatabases.serviceUsername,
                    password: TestDatabases.servicePassword,
                    on: connection,
                    logger: TestDatabases.logger
                )
                #expect(!created)
                await #expect(throws: ServiceRoleError.privileged(username: database.ownerURL.username)) {
                    try await ServiceRole.ensure(
                        username: database.ownerURL.username,
                        password: nil,
                        on: connection,
                        logger: TestDatabases.logger
                    )
                }
            }
        }
    }

    @Test(
        "(g) writes to the global tables need the Center-admin role, which only a Center admin's session assumes",
        arguments: [
            "UPDATE users SET is_center_admin = true",
            "UPDATE users SET disabled_at = now()",
            "INSERT INTO users (email, display_name, is_center_admin) VALUES ('mallory@example.org', 'M', true)",
            "INSERT INTO jurisdictions (code, name, fiscal_year_start_month) VALUES ('ZZ', 'Nowhere', 7)",
            "UPDATE jurisdictions SET name = 'Renamed'",
            "INSERT INTO tenant_kinds (code, name, executive_title) VALUES ('fort', 'Fort', 'Commander')",
            "INSERT INTO programs (code, name, jurisdiction_code) VALUES ('XX', 'X', 'MA')",
            "UPDATE program_years SET budget_cents = 0",
            "DELETE FROM fee_tiers",
            "INSERT INTO funding_sources (code, name, jurisdiction_code) VALUES ('XX', 'X', 'MA')",
            "INSERT INTO measure_templates (name, definition, unit, direction, frequency) VALUES ('x', 'x', 'x', 'higher', 'monthly')",
            "UPDATE tenants SET population = 0",
            "INSERT INTO tenants (name, tenant_kind_code, jurisdiction_code) VALUES ('X', 'x', 'MA')",
        ]
    )
    func centerAdminLine(statement: String) async throws {
        try await withTestDatabase { database in
            try await database.serviceURL.withConnection(logger: TestDatabases.logger) { connection in
                let logger = TestDatabases.logger
                let refusal = await sqlState {
                    try await connection.inTenantTransaction(.center, logger: logger) { connection in
                        try await connection.execute(PostgresQuery(unsafeSQL: statement), logger: logger)
                    }
                }
                #expect(refusal == "42501", "\(statement): refused for lack of privilege")
                // Leaving the default role is no way around it: the login role itself
                // inherits nothing.
                let bare = await sqlState {
                    try await connection.inTenantTransaction(.center, logger: logger) { connection in
                        try await connection.execute("SET LOCAL ROLE NONE", logger: logger)
                        try await connection.execute(PostgresQuery(unsafeSQL: statement), logger: logger)
                    }
                }
                #expect(bare == "42501", "\(statement): refused to the login role")
            }
        }
    }

    @Test("(g) the service role keeps the columns others need; app_open_session assumes the Center-admin role for Center admins only")
    func serviceRoleColumnsAndTheAssumedRole() async throws {
        try await withTestDatabase { database in
            try await database.serviceURL.withConnection(logger: TestDatabases.logger) { connection in
                let logger = TestDatabases.logger
                let users = UserStore(logger: logger)
                let admin = try await connection.inTenantTransaction(.center, logger: logger) { connection in
                    try await connection.assumeCenterAdminRole(logger: logger)
                    let admin = try #require(
                        try await users.create(email: "admin@example.org", displayName: "A", passwordHash: nil, isCenterAdmin: true, on: connection)
                    )
                    #expect(admin.isCenterAdmin)
                    try await users.createSession(tokenHash: String(repeating: "a", count: 64), userID: admin.id, lifetime: .seconds(60), clientAddress: nil, on: connection)
                    return admin
                }
                // An invitee's own account, without the Center's role: not a Center admin.
                let invitee = try await connection.inTenantTransaction(.none, logger: logger) { connection in
                    let invitee = try #require(
                        try await users.create(email: "invitee@example.org", displayName: "I", passwordHash: nil, isCenterAdmin: false, on: connection)
                    )
                    try await users.createSession(tokenHash: String(repeating: "b", count: 64), userID: invitee.id, lifetime: .seconds(60), clientAddress: nil, on: connection)
                    return invitee
                }
                #expect(!invitee.isCenterAdmin)

                func roleAfterOpening(_ tokenHash: String) async throws -> String {
                    try await connection.inTransaction(logger: logger) { connection in
                        let rows = try await connection.query(
                            "SELECT user_id FROM app_open_session(\(tokenHash), 3600, 60, 'platform', NULL)", logger: logger
                        )
                        for try await _ in rows {}
                        let role = try await connection.query("SELECT current_user::text", logger: logger)
                        for try await name in role.decode(String.self) { return name }
                        return ""
                    }
                }
                #expect(try await roleAfterOpening(String(repeating: "a", count: 64)) == "mpmp_center_admin")
                #expect(try await roleAfterOpening(String(repeating: "b", count: 64)) == "mpmp_app")
                #expect(try await roleAfterOpening(String(repeating: "c", count: 64)) == "mpmp_app")
                // The role lasts one transaction.
                let after = try await connection.query("SELECT current_user::text", logger: logger)
                for try await name in after.decode(String.self) { #expect(name == "mpmp_app") }

                // Migration 0010: as the service role, a transaction changes the account and
                // the sessions of the user whose session it checked, and nobody else's.
                func asSession<Result: Sendable>(
                    _ tokenHash: String, _ body: (PostgresConnection) async throws -> Result
                ) async throws -> Result {
                    try await connection.inTransaction(logger: logger) { connection in
                        let rows = try await connection.query(
                            "SELECT user_id FROM app_open_session(\(tokenHash), 3600, 60, 'platform', NULL)", logger: logger
                        )
                        for try await _ in rows {}
                        return try await body(connection)
                    }
                }
                let hash = "$2b$12$" + String(repeating: "x", count: 53)
                try await asSession(String(repeating: "b", count: 64)) { connection in
                    try await users.setPassword(hash, displayName: "Taken over", of: admin.id, on: connection)
                    try await users.revokeSessions(of: admin.id, on: connection)
                    let touched = try await connection.query(
                        "UPDATE users SET display_name = 'Taken over' WHERE id <> \(invitee.id) RETURNING id", logger: logger
                    )
                    var count = 0
                    for try await _ in touched { count += 1 }
                    #expect(count == 0)
                }
                let untouched = try await connection.inTenantTransaction(.none, logger: logger) { connection in
                    try await users.user(id: admin.id, on: connection)
                }
                #expect(untouched?.displayName == "A")
                #expect(untouched?.hasPassword == false)
                #expect(try await roleAfterOpening(String(repeating: "a", count: 64)) == "mpmp_center_admin")
                // Without a checked session, no account changes at all.
                try await connection.inTenantTransaction(.none, logger: logger) { connection in
                    try await users.setPassword(hash, displayName: "Nobody's", of: invitee.id, on: connection)
                }
                #expect(try await connection.inTenantTransaction(.none, logger: logger) { try await users.user(id: invitee.id, on: $0) }?.displayName == "I")

                // The owner's password change and new name are the service role's to write.
                try await asSession(String(repeating: "b", count: 64)) { connection in
                    try await users.setPassword(hash, displayName: "Invitee", of: invitee.id, on: connection)
                }
                let renamed = try await connection.inTenantTransaction(.none, logger: logger) { connection in
                    try await users.user(id: invitee.id, on: connection)
                }
                #expect(renamed?.displayName == "Invitee")
                #expect(renamed?.hasPassword == true)
                // A Center admin disables any account, which ends its sessions.
                let disabled = try await asSession(String(repeating: "a", count: 64)) { connection in
                    try await users.disable(invitee.id, on: connection)
                }
                #expect(disabled)
            }
        }
    }

    /// The SQLSTATE of the error `body` throws; nil when it throws none.
    func sqlState(_ body: () async throws -> Void) async -> String? {
        do {
            try await body()
            return nil
        } catch {
            return DatabaseFailure.sqlState(of: error)
        }
    }
}
