import Domain
import Foundation
import PostgresNIO
import Storage

extension Services {
    /// Runs a use case for a signed-in caller in one transaction: BEGIN; the session, the
    /// grants and the row-level security settings of `scope` in one statement; `body`;
    /// COMMIT. A refusal (an unknown session, a hidden tenant, a denied action) commits its
    /// audit record and throws; any other error rolls everything back. Errors are mapped by
    /// `ServiceError.mapping`, those of the lease (no connection: 503) as well.
    func run<Result: Sendable>(
        _ caller: Caller,
        scope: RequestScope,
        _ body: (Work) async throws -> Result
    ) async throws -> Result {
        do {
            return try await transaction(caller, scope: scope, body)
        } catch {
            throw ServiceError.mapping(error)
        }
    }

    private func transaction<Result: Sendable>(
        _ caller: Caller,
        scope: RequestScope,
        _ body: (Work) async throws -> Result
    ) async throws -> Result {
        try await database.withConnection { connection in
            try await connection.begin(logger: database.logger)
            do {
                guard
                    let session = try await stores.users.openSession(
                        tokenHash: caller.sessionTokenHash, idleTimeout: settings.sessionIdleTimeout, scope: scope, on: connection
                    )
                else {
                    throw Denial(
                        error: .sessionEnded,
                        event: AuditEvent(
                            tenantID: nil, actorID: nil, action: Caller.unknownSessionAction, target: caller.unknownSessionTarget,
                            outcome: .denied, clientAddress: caller.clientAddress
                        )
                    )
                }
                let work = Work(connection: connection, session: session, caller: caller, stores: stores, today: clock.today)
                let result = try await body(work)
                try await connection.commit(logger: database.logger)
                return result
            } catch let denial as Denial {
                // A denial of a tenant the caller may not see goes to the platform trail:
                // this transaction cannot (and must not) write into that tenant.
                try await stores.audit.record(denial.event, on: connection)
                try await connection.commit(logger: database.logger)
                throw denial.error
            } catch {
                await connection.rollback(after: error, logger: database.logger)
                throw error
            }
        }
    }

    /// A use case on one tenant: 404 when the caller may not see it (exactly as when it does
    /// not exist), 403 when `action` on `resource` (the tenant by default) is not theirs.
    func inTenant<Result: Sendable>(
        _ caller: Caller,
        _ tenantID: UUID,
        _ action: Action,
        resource: Resource? = nil,
        target: String,
        _ body: (Work) async throws -> Result
    ) async throws -> Result {
        try await run(caller, scope: .tenant(tenantID)) { work in
            guard work.session.tenantVisible else {
                throw work.denial(.notFound, action: action, target: target, tenantID: nil)
            }
            try work.authorize(action, on: resource ?? .tenant(tenantID), target: target)
            return try await body(work)
        }
    }

    /// A use case on global data (the catalogue, users, program reports): 403 unless the
    /// policy allows `action`.
    func global<Result: Sendable>(
        _ caller: Caller,
        _ action: Action,
        target: String,
        scope: RequestScope = .platform,
        _ body: (Work) async throws -> Result
    ) async throws -> Result {
        try await run(caller, scope: scope) { work in
            try work.authorize(action, target: target)
            return try await body(work)
        }
    }

    /// A use case for someone without a session (signing in, accepting an invitation), in
    /// one transaction that sees the tenants of `access` only.
    func anonymous<Result: Sendable>(
        access: TenantAccess = .none,
        _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        do {
            return try await database.withTenantTransaction(access, body)
        } catch {
            throw ServiceError.mapping(error)
        }
    }
}
