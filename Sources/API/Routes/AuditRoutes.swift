import Domain
import Foundation
import Hummingbird
import Services
import Storage

/// The audit trail: everything for Center admins, their own tenant's for CEOs.
struct AuditRoutes {
    let backend: Backend

    func register(on group: RouterGroup<AuthenticatedContext>) {
        group.get("/audit-events") { request, context in try await list(request, context) }
    }

    func list(_ request: Request, _ context: AuthenticatedContext) async throws -> Page<AuditEventBody> {
        let page = try PageRequest(request)
        let cursor = try page.cursor.map(Self.decodeCursor)
        var tenantID: UUID?
        if let text = request.uri.queryParameters["tenantId"] {
            guard let id = UUID(uuidString: String(text)) else {
                throw Problem.badRequest(field: "tenantId", reason: "must be a tenant id (UUID)")
            }
            tenantID = id
        }
        let principal = context.principal
        let access: TenantAccess
        if let tenantID {
            access = try await backend.accessGuard.tenant(tenantID, .readAuditLog, target: "audit-events?tenantId=\(tenantID)", context: context)
        } else if principal.isCenterAdmin {
            access = .center
        } else {
            let readable = principal.grantedTenantIDs.filter {
                AuthorizationPolicy.decide(principal, .readAuditLog, .tenant($0)) == .allow
            }
            guard !readable.isEmpty else {
                await backend.accessGuard.recordDenial(tenantID: nil, action: .readAuditLog, target: "audit-events", context: context)
                throw Problem.forbidden()
            }
            access = .tenants(readable)
        }
        let events = try await backend.database.withTenantTransaction(access) { connection in
            try await backend.audit.list(
                tenantID: tenantID,
                includePlatform: principal.isCenterAdmin && tenantID == nil,
                before: cursor,
                limit: page.limit + 1,
                on: connection
            )
        }
        return page.page(events.map(AuditEventBody.init)) { event in
            "\(event.occurredAt.timeIntervalSince1970)|\(event.id.uuidString)"
        }
    }

    static func decodeCursor(_ key: String) throws -> (Date, UUID) {
        let parts = key.split(separator: "|")
        guard parts.count == 2, let seconds = Double(parts[0]), let id = UUID(uuidString: String(parts[1])) else {
            throw Problem.badRequest(field: "cursor", reason: "is not a cursor this API gave out")
        }
        return (Date(timeIntervalSince1970: seconds), id)
    }
}
