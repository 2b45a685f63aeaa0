import Foundation

/// Who is calling: a user and the grants they hold now (read on every request, so that a
/// removed grant or a disabled user takes effect on the next one).
public struct Principal: Sendable, Hashable {
    public var userID: UUID
    public var isCenterAdmin: Bool
    public var grants: [TenantGrant]

    public init(userID: UUID, isCenterAdmin: Bool = false, grants: [TenantGrant] = []) {
        self.userID = userID
        self.isCenterAdmin = isCenterAdmin
        self.grants = grants
    }

    /// The tenants this principal holds any grant in (a Center admin sees every tenant
    /// without grants; see `TenantAccess.center` in Storage).
    public var grantedTenantIDs: Set<UUID> { Set(grants.map(\.tenantID)) }

    /// The principal's roles in one tenant.
    public func roles(in tenantID: UUID) -> [TenantRole] {
        grants.filter { $0.tenantID == tenantID }.map(\.role)
    }
}

/// A grant scoped to one tenant.
public struct TenantGrant: Sendable, Hashable, Codable {
    public var tenantID: UUID
    public var role: TenantRole

    public init(tenantID: UUID, role: TenantRole) {
        self.tenantID = tenantID
        self.role = role
    }
}

/// The roles a user holds in a tenant. The Center admin is not one of them: it is global.
public enum TenantRole: Sendable, Hashable, Codable {
    /// The tenant is in the analyst's portfolio.
    case analyst
    /// The tenant's chief executive (Mayor, Town Manager, Superintendent: the kind names it).
    case chiefExecutive
    /// The head of one department of the tenant.
    case departmentHead(departmentID: UUID)

    public var name: String {
        switch self {
        case .analyst: "analyst"
        case .chiefExecutive: "ceo"
        case .departmentHead: "department_head"
        }
    }
}
