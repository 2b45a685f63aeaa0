import Domain
import Foundation
import Logging
import PostgresNIO

/// The tenants a request's transaction may see, asked for when the session is opened.
public enum RequestScope: Sendable, Hashable {
    /// Global tables only: every tenant table looks empty.
    case platform
    /// One tenant: visible to a Center admin when it exists, to others through a grant.
    case tenant(UUID)
    /// Every tenant the caller holds a grant in; every tenant for a Center admin.
    case granted
    /// Every tenant the caller holds a grant in, even for a Center admin.
    case own

    var name: String {
        switch self {
        case .platform: "platform"
        case .tenant: "tenant"
        case .granted: "granted"
        case .own: "own"
        }
    }

    var tenantID: UUID? {
        if case .tenant(let id) = self { id } else { nil }
    }
}

/// Who is calling, as the request's first statement found them.
public struct OpenedSession: Sendable, Hashable {
    public var user: UserRecord
    public var principal: Principal
    /// For `.tenant(id)`: whether the caller may see that tenant (and it exists).
    public var tenantVisible: Bool
    /// For a visible `.tenant(id)`: the month its jurisdiction's fiscal year starts in.
    public var fiscalYearStartMonth: Int?
}

/// `app_open_session` (migration 0005) as a prepared statement: parsed and planned once per
/// pooled connection.
struct OpenSessionStatement: PostgresPreparedStatement {
    static let name = "mpmp_open_session_v1"
    static let sql = """
        SELECT user_id, email, display_name, is_center_admin, has_password,
               grant_tenants, grant_roles, grant_departments, tenant_visible, fiscal_year_start_month
        FROM app_open_session($1, $2, $3, $4, $5)
        """
    /// The grants come as three parallel arrays; a department is `''` where the role has none.
    typealias Row = (UUID, String, String, Bool, Bool, [UUID], [String], [String], Bool, Int16?)

    var tokenHash: String
    var idleSeconds: Double
    var touchSeconds: Double
    var scope: String
    var tenantID: UUID?

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 5)
        bindings.append(tokenHash)
        bindings.append(idleSeconds)
        bindings.append(touchSeconds)
        bindings.append(scope)
        bindings.append(tenantID)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row {
        try row.decode(Row.self)
    }
}

extension UserStore {
    /// How stale `last_seen_at` may grow before a request writes it again: reads stay
    /// reads, and the idle timeout is kept to within this much.
    public static let touchInterval: Duration = .seconds(60)

    /// Opens a request inside the caller's transaction: the live session behind `tokenHash`,
    /// the user's grants now, and the row-level security settings of `scope`, in one round
    /// trip. Nil when the token is unknown, revoked, idle too long, past its lifetime, or its
    /// user is disabled; then the transaction sees no tenant rows.
    public func openSession(
        tokenHash: String,
        idleTimeout: Duration,
        scope: RequestScope,
        on connection: PostgresConnection
    ) async throws -> OpenedSession? {
        let statement = OpenSessionStatement(
            tokenHash: tokenHash,
            idleSeconds: Double(idleTimeout.components.seconds),
            touchSeconds: Double(Self.touchInterval.components.seconds),
            scope: scope.name,
            tenantID: scope.tenantID
        )
        var opened: OpenedSession?
        for try await row in try await connection.execute(statement, logger: logger) {
            opened = Self.openedSession(row)
        }
        return opened
    }

    /// The session of a row of `app_open_session`'s columns, in its order.
    static func openedSession(_ row: OpenSessionStatement.Row) -> OpenedSession {
        let (id, email, name, admin, hasPassword, tenants, roles, departments, visible, startMonth) = row
        let user = UserRecord(
            id: id, email: email, displayName: name, isCenterAdmin: admin, isDisabled: false, hasPassword: hasPassword
        )
        return OpenedSession(
            user: user,
            principal: Principal(userID: id, isCenterAdmin: admin, grants: grants(tenants: tenants, roles: roles, departments: departments)),
            tenantVisible: visible,
            fiscalYearStartMonth: startMonth.map(Int.init)
        )
    }

    /// Grants from the three parallel arrays the statement returns; a row whose role this
    /// build does not know is left out rather than guessed.
    static func grants(tenants: [UUID], roles: [String], departments: [String]) -> [TenantGrant] {
        var grants: [TenantGrant] = []
        for (index, tenantID) in tenants.enumerated() where index < roles.count {
            let department = index < departments.count ? UUID(uuidString: departments[index]) : nil
            switch (roles[index], department) {
            case ("analyst", _): grants.append(TenantGrant(tenantID: tenantID, role: .analyst))
            case ("ceo", _): grants.append(TenantGrant(tenantID: tenantID, role: .chiefExecutive))
            case ("department_head", let departmentID?):
                grants.append(TenantGrant(tenantID: tenantID, role: .departmentHead(departmentID: departmentID)))
            default: continue
            }
        }
        return grants
    }
}
