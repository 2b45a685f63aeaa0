import Foundation
import PostgresNIO
import Storage

/// Someone at the machine (the `mpmp` command line), acting as the service role without a
/// session, with a Center admin's database role. What they do is audited with no actor and their client address.
public struct Operator: Sendable, Hashable {
    /// What the audit trail records as the client address.
    public var clientAddress: String

    public init(clientAddress: String) {
        self.clientAddress = clientAddress
    }

    /// The `mpmp` command line.
    public static let commandLine = Operator(clientAddress: "cli")

    /// The audit record of something this operator did.
    func event(_ action: String, target: String, tenantID: UUID? = nil) -> AuditEvent {
        AuditEvent(
            tenantID: tenantID, actorID: nil, action: action, target: target, outcome: .success, clientAddress: clientAddress
        )
    }
}

extension Services {
    /// Runs operator work (the command line: a trusted operator at the machine, without a
    /// session) in one transaction whose row-level security settings are `access`. There is
    /// no caller to check and no policy to apply: whoever can run the command holds the
    /// service role's password already. Audit records of this work name no actor and the
    /// client `cli`. Errors are mapped as the use cases' are.
    func asOperator<R: Sendable>(
        access: TenantAccess,
        _ body: (PostgresConnection) async throws -> R
    ) async throws -> R {
        do {
            return try await database.withTenantTransaction(access) { connection in
                try await connection.assumeCenterAdminRole(logger: database.logger)
                return try await body(connection)
            }
        } catch {
            throw ServiceError.mapping(error)
        }
    }
}
