import Foundation
import Storage

/// Whether this process can serve: the database answers and has every migration of this
/// build, unchanged.
public struct HealthService: Sendable {
    let services: Services

    /// The migrations' state, read on a connection of the pool outside any transaction: it
    /// needs no session, no tenant and no lock. Throws when the database does not answer.
    public func readiness() async throws -> MigrationStatus {
        let database = services.database
        return try await database.withConnection { connection in
            try await MigrationRunner().status(on: connection, logger: database.logger)
        }
    }
}

extension Services {
    public var health: HealthService { HealthService(services: self) }
}
