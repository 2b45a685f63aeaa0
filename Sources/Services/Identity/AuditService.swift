import Domain
import Foundation
import Storage

/// The audit trail as its readers see it: everything for Center admins, their own tenant's
/// for CEOs.
public struct AuditService: Sendable {
    let services: Services

    /// Events newest first, before `cursor` (time, id): one tenant's when `tenantID` is
    /// given (404 when the caller may not see it, 403 when they may not read its trail);
    /// otherwise every trail the caller may read, with the platform's for a Center admin.
    public func events(_ caller: Caller, tenant tenantID: UUID?, before cursor: (Date, UUID)?, limit: Int) async throws -> [AuditEvent] {
        try await events(caller, tenant: tenantID, before: cursor, limit: limit) { _, events in events }
    }

    /// The events, turned into `Result` by `body` in the same transaction.
    func events<Result: Sendable>(
        _ caller: Caller, tenant tenantID: UUID?, before cursor: (Date, UUID)?, limit: Int, _ body: (Work, [AuditEvent]) async throws -> Result
    ) async throws -> Result {
        if let tenantID {
            return try await services.inTenant(caller, tenantID, .readAuditLog, target: "audit-events?tenantId=\(tenantID)") { work in
                try await body(
                    work, try await work.stores.audit.list(tenantIDs: [tenantID], includePlatform: false, before: cursor, limit: limit, on: work.connection)
                )
            }
        }
        return try await services.run(caller, scope: .granted) { work in
            let principal = work.principal
            if principal.isCenterAdmin {
                return try await body(
                    work, try await work.stores.audit.list(tenantIDs: nil, includePlatform: true, before: cursor, limit: limit, on: work.connection)
                )
            }
            // The transaction sees every tenant the caller holds a grant in; the trails are
            // only those the policy lets them read (an analyst's portfolio is not among them).
            let readable = principal.grantedTenantIDs.filter {
                AuthorizationPolicy.decide(principal, .readAuditLog, .tenant($0)) == .allow
            }
            guard !readable.isEmpty else {
                throw work.denial(.forbidden, action: .readAuditLog, target: "audit-events", tenantID: nil)
            }
            return try await body(
                work, try await work.stores.audit.list(tenantIDs: Array(readable), includePlatform: false, before: cursor, limit: limit, on: work.connection)
            )
        }
    }
}

extension Services {
    public var audit: AuditService { AuditService(services: self) }
}
