import Foundation

/// The tenants one transaction may touch: the value of the row-level security settings.
///
/// The application decides it from the caller's grants; PostgreSQL's policies enforce it
/// again, so that a bug in the first wall does not open the second.
public struct TenantAccess: Sendable, Hashable {
    /// Tenants visible to the transaction.
    public let tenantIDs: Set<UUID>
    /// True only for Center admins: every tenant, everywhere.
    public let allTenants: Bool

    private init(tenantIDs: Set<UUID>, allTenants: Bool) {
        self.tenantIDs = tenantIDs
        self.allTenants = allTenants
    }

    /// No tenant at all: every tenant table looks empty.
    public static let none = TenantAccess(tenantIDs: [], allTenants: false)

    /// Only these tenants.
    public static func tenants(_ ids: some Sequence<UUID>) -> TenantAccess {
        TenantAccess(tenantIDs: Set(ids), allTenants: false)
    }

    /// One tenant.
    public static func tenant(_ id: UUID) -> TenantAccess {
        TenantAccess(tenantIDs: [id], allTenants: false)
    }

    /// Every tenant: reserved for Center admins, whom the authorization policy lets see all.
    public static let center = TenantAccess(tenantIDs: [], allTenants: true)

    /// `app.tenant_ids`: a PostgreSQL `uuid[]` literal such as `{6f1c…,0b2d…}`, sorted so
    /// that equal sets give equal settings.
    var tenantIDsSetting: String {
        "{" + tenantIDs.map { $0.uuidString.lowercased() }.sorted().joined(separator: ",") + "}"
    }

    /// `app.all_tenants`: `on` or `off`.
    var allTenantsSetting: String { allTenants ? "on" : "off" }
}
