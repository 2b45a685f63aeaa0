import Domain
import Foundation
import Logging
import PostgresNIO

/// Users, sessions and grants.
public struct UserStore: Sendable {
    public let logger: Logger

    public init(logger: Logger) {
        self.logger = logger
    }

    /// A constant of this file, never input: the only text spliced into these queries.
    static let userColumns = """
        SELECT id, email, display_name, is_center_admin, disabled_at IS NOT NULL, password_hash IS NOT NULL FROM users
        """

    func decodeUsers(_ rows: PostgresRowSequence) async throws -> [UserRecord] {
        var users: [UserRecord] = []
        for try await (id, email, name, admin, disabled, hasPassword) in rows.decode((UUID, String, String, Bool, Bool, Bool).self) {
            users.append(UserRecord(id: id, email: email, displayName: name, isCenterAdmin: admin, isDisabled: disabled, hasPassword: hasPassword))
        }
        return users
    }

    /// Creates a user; nil when the e-mail is taken (case-insensitively).
    public func create(
        email: String,
        displayName: String,
        passwordHash: String?,
        isCenterAdmin: Bool,
        on connection: PostgresConnection
    ) async throws -> UserRecord? {
        // is_center_admin is named only when it is set: the service role alone may not
        // write that column (migration 0008), the Center-admin role may.
        let query: PostgresQuery =
            isCenterAdmin
            ? """
            INSERT INTO users (email, display_name, password_hash, is_center_admin)
            VALUES (\(email), \(displayName), \(passwordHash), true)
            ON CONFLICT (lower(email)) DO NOTHING
            RETURNING id, email, display_name, is_center_admin, disabled_at IS NOT NULL, password_hash IS NOT NULL
            """
            : """
            INSERT INTO users (email, display_name, password_hash)
            VALUES (\(email), \(displayName), \(passwordHash))
            ON CONFLICT (lower(email)) DO NOTHING
            RETURNING id, email, display_name, is_center_admin, disabled_at IS NOT NULL, password_hash IS NOT NULL
            """
        let rows = try await connection.query(query, logger: logger)
        return try await decodeUsers(rows).first
    }

    public func user(id: UUID, on connection: PostgresConnection) async throws -> UserRecord? {
        let rows = try await connection.query("\(unescaped: Self.userColumns) WHERE id = \(id)", logger: logger)
        return try await decodeUsers(rows).first
    }

    /// Whether `userID` is an active user who works on `tenantID`: its chief executive, one of
    /// its department heads, or an analyst with it in their portfolio. In a transaction that
    /// sees the tenant.
    public func worksOn(_ tenantID: UUID, userID: UUID, on connection: PostgresConnection) async throws -> Bool {
        try await connection.query(
            """
            SELECT 1 FROM users u
            WHERE u.id = \(userID) AND u.disabled_at IS NULL
              AND (EXISTS (SELECT 1 FROM memberships m WHERE m.tenant_id = \(tenantID) AND m.user_id = u.id)
                   OR EXISTS (SELECT 1 FROM analyst_portfolios p WHERE p.tenant_id = \(tenantID) AND p.user_id = u.id))
            """,
            logger: logger
        ).hasRow()
    }

    /// The active people who work on `tenantID` (as `worksOn` counts them), each with the
    /// name to show (their display name, or their address before they chose one), by name.
    public func workers(of tenantID: UUID, on connection: PostgresConnection) async throws -> [(id: UUID, name: String)] {
        let rows = try await connection.query(
            """
            SELECT u.id, coalesce(nullif(u.display_name, ''), u.email) AS name FROM users u
            WHERE u.disabled_at IS NULL
              AND (EXISTS (SELECT 1 FROM memberships m WHERE m.tenant_id = \(tenantID) AND m.user_id = u.id)
                   OR EXISTS (SELECT 1 FROM analyst_portfolios p WHERE p.tenant_id = \(tenantID) AND p.user_id = u.id))
            ORDER BY name, u.id
            """,
            logger: logger
        )
        var workers: [(id: UUID, name: String)] = []
        for try await (id, name) in rows.decode((UUID, String).self) { workers.append((id, name)) }
        return workers
    }

    /// The names to show for `ids` (display name, or the address before they chose one).
    public func names(of ids: [UUID], on connection: PostgresConnection) async throws -> [UUID: String] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await connection.query(
            "SELECT id, coalesce(nullif(display_name, ''), email) FROM users WHERE id = ANY (\(ids))", logger: logger
        )
        var names: [UUID: String] = [:]
        for try await (id, name) in rows.decode((UUID, String).self) { names[id] = name }
        return names
    }

    /// Who can be given a town as an analyst: active people who are not Center admins and
    /// hold no chief executive's or department head's role, by name.
    public func analystCandidates(on connection: PostgresConnection) async throws -> [(id: UUID, name: String)] {
        let rows = try await connection.query(
            """
            SELECT u.id, coalesce(nullif(u.display_name, ''), u.email) AS name FROM users u
            WHERE u.disabled_at IS NULL AND NOT u.is_center_admin
              -- Not correlated: Citus reads the members once, apart, and filters the users.
              AND u.id NOT IN (SELECT m.user_id FROM memberships m)
            ORDER BY name, u.id
            """,
            logger: logger
        )
        var people: [(id: UUID, name: String)] = []
        for try await (id, name) in rows.decode((UUID, String).self) { people.append((id, name)) }
        return people
    }

    /// Every analyst's portfolio the transaction can see: (analyst, tenant, tenant's name).
    public func portfolios(on connection: PostgresConnection) async throws -> [(userID: UUID, tenantID: UUID, tenantName: String)] {
        let rows = try await connection.query(
            "SELECT p.user_id, p.tenant_id, t.name FROM analyst_portfolios p JOIN tenants t ON t.tenant_id = p.tenant_id ORDER BY t.name",
            logger: logger
        )
        var entries: [(userID: UUID, tenantID: UUID, tenantName: String)] = []
        for try await (user, tenant, name) in rows.decode((UUID, UUID, String).self) { entries.append((user, tenant, name)) }
        return entries
    }

    /// Whether a user with this id exists and is not disabled.
    public func isActiveUser(_ id: UUID, on connection: PostgresConnection) async throws -> Bool {
        try await connection.query("SELECT 1 FROM users WHERE id = \(id) AND disabled_at IS NULL", logger: logger).hasRow()
    }

    public func user(email: String, on connection: PostgresConnection) async throws -> UserRecord? {
        let rows = try await connection.query("\(unescaped: Self.userColumns) WHERE lower(email) = lower(\(email))", logger: logger)
        return try await decodeUsers(rows).first
    }

    /// Users by e-mail after `cursor` (an e-mail, lower-cased), at most `limit`.
    public func list(after cursor: String?, limit: Int, on connection: PostgresConnection) async throws -> [UserRecord] {
        let rows = try await connection.query(
            """
            \(unescaped: Self.userColumns) WHERE \(cursor)::text IS NULL OR lower(email) > \(cursor)
            ORDER BY lower(email) LIMIT \(limit)
            """,
            logger: logger
        )
        return try await decodeUsers(rows)
    }

    public func loginAccount(email: String, on connection: PostgresConnection) async throws -> LoginAccount? {
        let rows = try await connection.query(
            "SELECT id, password_hash, disabled_at IS NOT NULL FROM users WHERE lower(email) = lower(\(email))",
            logger: logger
        )
        for try await (id, hash, disabled) in rows.decode((UUID, String?, Bool).self) {
            return LoginAccount(userID: id, passwordHash: hash, isDisabled: disabled)
        }
        return nil
    }

    public func passwordHash(of userID: UUID, on connection: PostgresConnection) async throws -> String? {
        let rows = try await connection.query("SELECT password_hash FROM users WHERE id = \(userID)", logger: logger)
        for try await hash in rows.decode(String?.self) { return hash }
        return nil
    }

    /// Sets the password and ends every session of the user.
    public func setPassword(_ hash: String, displayName: String? = nil, of userID: UUID, on connection: PostgresConnection) async throws {
        try await connection.execute(
            """
            UPDATE users SET password_hash = \(hash), password_changed_at = now(),
                display_name = coalesce(\(displayName), display_name)
            WHERE id = \(userID)
            """,
            logger: logger
        )
        try await revokeSessions(of: userID, on: connection)
    }

    /// Disables the user and ends their sessions; false when there is no such user.
    public func disable(_ userID: UUID, on connection: PostgresConnection) async throws -> Bool {
        let rows = try await connection.query(
            // The first disabling time stays (least ignores a NULL); not coalesce, which
            // Citus refuses around now() in a statement it sends to the nodes.
            "UPDATE users SET disabled_at = least(disabled_at, now()) WHERE id = \(userID) RETURNING id",
            logger: logger
        )
        let found = try await rows.hasRow()
        try await revokeSessions(of: userID, on: connection)
        return found
    }

    // MARK: Grants

    /// Puts a tenant in an analyst's portfolio (in a transaction that sees the tenant).
    public func assignPortfolio(analyst userID: UUID, tenant tenantID: UUID, on connection: PostgresConnection) async throws {
        try await connection.execute(
            "INSERT INTO analyst_portfolios (tenant_id, user_id) VALUES (\(tenantID), \(userID)) ON CONFLICT DO NOTHING",
            logger: logger
        )
    }

    /// Takes a tenant out of an analyst's portfolio; false when it was not in it.
    public func removePortfolio(analyst userID: UUID, tenant tenantID: UUID, on connection: PostgresConnection) async throws -> Bool {
        let rows = try await connection.query(
            "DELETE FROM analyst_portfolios WHERE tenant_id = \(tenantID) AND user_id = \(userID) RETURNING user_id",
            logger: logger
        )
        let removed = try await rows.hasRow()
        return removed
    }

    /// Gives a user a role in a tenant. An existing membership is left as it is (a role
    /// changes only by its own use case, never as a side effect): false when there was one.
    @discardableResult
    public func addMembership(
        tenant tenantID: UUID,
        user userID: UUID,
        role: TenantRole,
        on connection: PostgresConnection
    ) async throws -> Bool {
        let departmentID: UUID? = if case .departmentHead(let id) = role { id } else { nil }
        let rows = try await connection.query(
            """
            INSERT INTO memberships (tenant_id, user_id, role, department_id)
            VALUES (\(tenantID), \(userID), \(role.name), \(departmentID))
            ON CONFLICT (tenant_id, user_id) DO NOTHING
            RETURNING user_id
            """,
            logger: logger
        )
        return try await rows.hasRow()
    }
}
