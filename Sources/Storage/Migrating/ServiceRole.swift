import Logging
import PostgresNIO

/// The role the service logs in as: a member of `mpmp_app`, which holds the grants and is
/// named in every row-level security policy, and of `mpmp_center_admin`, which alone
/// writes the global tables (migration 0008).
///
/// It is neither superuser nor owner of anything, nor BYPASSRLS: the migrations run as the
/// owner, the service only as this role. It inherits nothing (NOINHERIT): its sessions run
/// as `mpmp_app` (its default role), and only a Center admin's transaction sets the role
/// `mpmp_center_admin`, for that transaction.
public enum ServiceRole {
    /// The group role the migrations grant privileges to.
    public static let groupRole = "mpmp_app"

    /// Creates the login role `username` when missing, and makes it a NOINHERIT member of
    /// `mpmp_app` and `mpmp_center_admin` whose sessions start as `mpmp_app`.
    ///
    /// A role name cannot be a bind parameter in DDL, so the name and password travel as
    /// transaction-local settings (bind parameters) and PL/pgSQL quotes them with
    /// `format('%I', …)` and `format('%L', …)`: no SQL is built from them here.
    ///
    /// - Returns: true when the role was created.
    @discardableResult
    public static func ensure(
        username: String,
        password: String?,
        on connection: PostgresConnection,
        logger: Logger
    ) async throws -> Bool {
        try await connection.inTransaction(logger: logger) { connection in
            // The migrations' lock: `mpmp migrate` started twice provisions the role once.
            try await connection.execute("SELECT pg_advisory_xact_lock(\(MigrationRunner.lockKey))", logger: logger)
            let existing = try await connection.query(
                "SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = \(username)",
                logger: logger
            )
            for try await (isSuperuser, bypassesRLS) in existing.decode((Bool, Bool).self) {
                if isSuperuser || bypassesRLS {
                    throw ServiceRoleError.privileged(username: username)
                }
                try await grantGroup(to: username, on: connection, logger: logger)
                return false
            }
            try await connection.execute(
                """
                SELECT set_config('mpmp.service_role', \(username), true),
                       set_config('mpmp.service_password', \(password ?? ""), true)
                """,
                logger: logger
            )
            try await connection.execute(
                """
                DO $$
                DECLARE
                    role_password text := current_setting('mpmp.service_password');
                BEGIN
                    EXECUTE format(
                        'CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS NOINHERIT PASSWORD %L',
                        current_setting('mpmp.service_role'),
                        nullif(role_password, '')
                    );
                EXCEPTION WHEN duplicate_object OR unique_violation THEN
                    NULL;  -- created meanwhile from another database of this cluster
                END $$
                """,
                logger: logger
            )
            try await grantGroup(to: username, on: connection, logger: logger)
            return true
        }
    }

    private static func grantGroup(to username: String, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.execute(
            "SELECT set_config('mpmp.service_role', \(username), true)",
            logger: logger
        )
        try await connection.execute(
            """
            DO $$
            BEGIN
                EXECUTE format('GRANT mpmp_app, mpmp_center_admin, mpmp_mailer TO %I', current_setting('mpmp.service_role'));
                EXECUTE format('ALTER ROLE %I NOINHERIT', current_setting('mpmp.service_role'));
                EXECUTE format('ALTER ROLE %I SET role = %L', current_setting('mpmp.service_role'), 'mpmp_app');
            END $$
            """,
            logger: logger
        )
    }
}

public enum ServiceRoleError: Error, CustomStringConvertible, Equatable {
    case privileged(username: String)

    public var description: String {
        switch self {
        case .privileged(let username):
            "the service role \(username) is a superuser or bypasses row-level security; APP_DATABASE_URL must name an unprivileged role"
        }
    }
}
