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
}
