import Foundation
import PostgresNIO
import Storage

/// The Citus cluster of `make test-citus` (scripts/citus.sh): the coordinator is
/// `MPMP_TEST_DATABASE_URL`, the workers are `MPMP_TEST_CITUS_WORKERS` (`host:port,…`),
/// reached as the same superuser.
public struct CitusCluster: Sendable {
    public let coordinator: DatabaseURL
    public let workers: [DatabaseURL]

    /// The cluster the tests run on, or nil on plain PostgreSQL.
    public static func configured() throws -> CitusCluster? {
        guard let list = ProcessInfo.processInfo.environment["MPMP_TEST_CITUS_WORKERS"], !list.isEmpty else {
            return nil
        }
        let coordinator = try TestDatabases.adminURL()
        let workers = try list.split(separator: ",").map { node in
            let parts = node.split(separator: ":")
            guard parts.count == 2, let port = Int(parts[1]) else {
                throw DatabaseURLError(variable: "MPMP_TEST_CITUS_WORKERS", reason: "\(node) is not host:port")
            }
            var worker = coordinator
            worker.host = String(parts[0])
            worker.port = port
            return worker
        }
        return CitusCluster(coordinator: coordinator, workers: workers)
    }

    static func lostRoleRace(_ error: PSQLError) -> Bool {
        let message = error.serverInfo?[.message] ?? ""
        return message.contains("tuple concurrently updated") || message.hasPrefix("failure on connection marked as essential")
    }

    /// Whether the tests run on Citus.
    public static var isConfigured: Bool {
        (try? configured()) != nil
    }

    /// A database `name` on every node, with the extension, and the workers registered on
    /// the coordinator's; not migrated. `name` is made by TestDatabases from a UUID.
    func makeDatabase(name: String) async throws -> TestDatabase {
        for node in [coordinator] + workers {
            try await TestDatabases.execute("CREATE DATABASE \(name)", url: node)
            try await node.with(database: name).withConnection(logger: TestDatabases.logger) { connection in
                try await connection.execute("CREATE EXTENSION citus", logger: TestDatabases.logger)
            }
        }
        try await coordinator.with(database: name).withConnection(logger: TestDatabases.logger) { connection in
            let logger = TestDatabases.logger
            try await connection.execute(
                "SELECT citus_set_coordinator_host(\(coordinator.host), \(Int32(coordinator.port)))", logger: logger
            )
            for worker in workers {
                // Adding a node copies the cluster's roles to it, which a test migrating
                // another database at the same time may be changing: the worker answers
                // "tuple concurrently updated", the coordinator "failure on connection
                // marked as essential". The addition rolled back, and is tried again.
                for attempt in 1...5 {
                    do {
                        try await connection.execute("SELECT citus_add_node(\(worker.host), \(Int32(worker.port)))", logger: logger)
                        break
                    } catch let error as PSQLError where attempt < 5 && Self.lostRoleRace(error) {
                        try await Task.sleep(for: .milliseconds(200 * attempt))
                    }
                }
            }
        }
        return TestDatabase(
            name: name,
            ownerURL: coordinator.with(database: name),
            serviceURL: coordinator.with(database: name).with(
                username: TestDatabases.serviceUsername,
                password: TestDatabases.servicePassword
            )
        )
    }
}
