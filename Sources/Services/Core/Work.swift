import Domain
import Foundation
import Logging
import PostgresNIO
import Storage

/// The one transaction of a use case and the signed-in caller it acts for: the policy,
/// the audit trail and the stores, all on the same connection.
struct Work: Sendable {
    let connection: PostgresConnection
    let session: OpenedSession
    let caller: Caller
    let stores: Stores
    let today: CivilDate

    var principal: Principal { session.principal }
    var userID: UUID { session.user.id }
    var logger: Logger { stores.audit.logger }

    /// The month the scoped tenant's jurisdiction starts its fiscal year in; July (the
    /// Massachusetts and Rhode Island start) outside a tenant scope.
    var fiscalYearStartMonth: Int { session.fiscalYearStartMonth ?? 7 }

    /// Allows a global action or refuses with 403; the refusal is audited and committed.
    func authorize(_ action: Action, target: String) throws {
        guard AuthorizationPolicy.decide(principal, action, .global) == .allow else {
            throw denial(.forbidden, action: action, target: target, tenantID: nil)
        }
    }

    /// Allows `action` on `resource` of the scoped tenant or refuses with 403.
    func authorize(_ action: Action, on resource: Resource, target: String) throws {
        guard AuthorizationPolicy.decide(principal, action, resource) == .allow else {
            throw denial(.forbidden, action: action, target: target, tenantID: resource.tenantID)
        }
    }

    /// `authorize` for a use case whose one statement has already committed (the
    /// dashboard's read): a refusal's audit record is written in a transaction of its own.
    func authorizeAfterRead(_ action: Action, on resource: Resource, target: String) async throws {
        do {
            try authorize(action, on: resource, target: target)
        } catch let denial as Denial {
            try await connection.inTransaction(logger: logger) { try await stores.audit.record(denial.event, on: $0) }
            throw denial.error
        }
    }

    /// A refusal to throw: the runner writes its audit record in this transaction and
    /// commits before the caller hears of it.
    func denial(_ error: ServiceError, action: Action, target: String, tenantID: UUID?) -> Denial {
        Denial(
            error: error,
            event: AuditEvent(
                tenantID: tenantID, actorID: userID, action: action.rawValue, target: target,
                outcome: .denied, clientAddress: caller.clientAddress
            )
        )
    }

    /// Records something the caller did that succeeded.
    func audit(_ action: String, target: String, tenantID: UUID? = nil) async throws {
        try await stores.audit.record(
            AuditEvent(
                tenantID: tenantID, actorID: userID, action: action, target: target,
                outcome: .success, clientAddress: caller.clientAddress
            ),
            on: connection
        )
    }

    /// The department a caller is confined to in a tenant: a department head's own, unless
    /// another role (analyst, CEO, Center admin) lets them see the whole tenant.
    func departmentScope(in tenantID: UUID) -> UUID? {
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

    /// What a tenant-wide read is aimed at: the tenant, or the caller's department.
    func scopedResource(in tenantID: UUID) -> Resource {
        if let department = departmentScope(in: tenantID) {
            return .department(tenantID: tenantID, departmentID: department)
        }
        return .tenant(tenantID)
    }
}

/// A refusal with the audit record that goes with it.
struct Denial: Error {
    let error: ServiceError
    let event: AuditEvent
}
