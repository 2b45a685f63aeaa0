import Hummingbird
import Logging
import Services
import Storage

/// `/health/live`: the process answers. `/health/ready`: the database answers and has every
/// migration of this build, unchanged; otherwise 503, so a load balancer sends no traffic.
struct HealthRoutes {
    let services: Services
    let readinessTimeout: Duration
    let logger: Logger

    struct Status: ResponseEncodable {
        var status: String
    }

    func register(on router: Router<AppRequestContext>) {
        router.get("/health/live") { _, _ in Status(status: "live") }
        router.get("/health/ready") { _, _ in try await ready() }
    }

    func ready() async throws -> Status {
        let status: MigrationStatus
        do {
            status = try await withTimeout(readinessTimeout) { [services] in
                try await services.health.readiness()
            }
        } catch {
            logger.warning("not ready", metadata: ["reason": "\(DatabaseFailure.describe(error))"])
            throw Problem(.serviceUnavailable, detail: "The database does not answer.")
        }
        switch status {
        case .upToDate:
            return Status(status: "ready")
        case .pending(let count):
            throw Problem(.serviceUnavailable, detail: "The database lacks \(count) migration(s); run `mpmp migrate`.")
        case .changed(let version):
            throw Problem(.serviceUnavailable, detail: "Migration \(version) differs from the one applied.")
        }
    }
}

struct TimeoutError: Error {}

/// Runs `operation`, giving up after `timeout`.
func withTimeout<Result: Sendable>(
    _ timeout: Duration,
    _ operation: @escaping @Sendable () async throws -> Result
) async throws -> Result {
    try await withThrowingTaskGroup(of: Result.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: timeout)
            throw TimeoutError()
        }
        defer { group.cancelAll() }
        // The first of the two to finish; with two tasks in the group there is always one.
        guard let result = try await group.next() else { throw TimeoutError() }
        return result
    }
}
