import Domain
import Foundation
import Hummingbird
import Logging
import Services
import Storage

/// The first wall: the authorization policy, applied before any tenant data is touched,
/// with every denial written to the audit trail.
///
/// A tenant the caller may not see answers 404, exactly like one that does not exist; a
/// visible tenant with an insufficient role answers 403.
struct AccessGuard: Sendable {
    let database: Database
    let audit: AuditStore
    let tenants: TenantStore

    /// Allows a global action or throws 403.
    func authorize(_ action: Action, target: String, context: AuthenticatedContext) async throws {
        guard AuthorizationPolicy.decide(context.principal, action, .global) == .allow else {
            await recordDenial(tenantID: nil, action: action, target: target, context: context)
            throw Problem.forbidden()
        }
    }

    /// Resolves `{t}` for `action` on `resource` (the tenant itself by default) and returns
    /// the row-level security access for the request's transaction: that tenant only.
    func tenant(
        _ tenantID: UUID,
        _ action: Action,
        resource: Resource? = nil,
        target: String,
        context: AuthenticatedContext
    ) async throws -> TenantAccess {
        let principal = context.principal
        let visible: Bool
        if principal.isCenterAdmin {
            visible = try await database.withTenantTransaction(.tenant(tenantID)) { connection in
                try await tenants.find(tenantID, on: connection) != nil
            }
        } else {
            visible = principal.grantedTenantIDs.contains(tenantID)
        }
        guard visible else {
            await recordDenial(tenantID: nil, action: action, target: target, context: context)
            throw Problem.notFound()
        }
        guard AuthorizationPolicy.decide(principal, action, resource ?? .tenant(tenantID)) == .allow else {
            await recordDenial(tenantID: tenantID, action: action, target: target, context: context)
            throw Problem.forbidden()
        }
        return .tenant(tenantID)
    }

    /// Writes the denial in a transaction of its own: the request is failing, the record stays.
    func recordDenial(tenantID: UUID?, action: Action, target: String, context: AuthenticatedContext) async {
        let event = AuditEvent(
            tenantID: tenantID,
            actorID: context.userID,
            action: action.rawValue,
            target: target,
            outcome: .denied,
            clientAddress: context.clientAddress
        )
        do {
            try await database.withTenantTransaction(tenantID.map { .tenant($0) } ?? .none) { connection in
                try await audit.record(event, on: connection)
            }
        } catch {
            context.logger.error("could not record a denial", metadata: ["error": "\(String(reflecting: error))"])
        }
    }
}

extension AccessGuard {
    /// The department a caller is confined to in a tenant: a department head's own, unless
    /// another role (analyst, CEO, Center admin) lets them see the whole tenant.
    static func departmentScope(of principal: Principal, in tenantID: UUID) -> UUID? {
        if principal.isCenterAdmin { return nil }
        var department: UUID?
        for role in principal.roles(in: tenantID) {
            switch role {
            case .analyst, .chiefExecutive: return nil
            case .departmentHead(let id): department = id
            }
        }
        return department
    }

    /// The resource a tenant-wide read is aimed at: the tenant, or the caller's department.
    static func scopedResource(of principal: Principal, in tenantID: UUID) -> Resource {
        if let department = departmentScope(of: principal, in: tenantID) {
            return .department(tenantID: tenantID, departmentID: department)
        }
        return .tenant(tenantID)
    }
}
