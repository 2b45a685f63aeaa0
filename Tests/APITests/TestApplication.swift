import API
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Metrics
import PostgresNIO
import Prometheus
import Services
import Storage
import TestSupport

/// One Prometheus registry for the whole test process: swift-metrics bootstraps once.
let testMetrics: PrometheusCollectorRegistry = {
    let registry = PrometheusCollectorRegistry()
    MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
    return registry
}()

/// Runs `body` against the application wired to `url` (by default a fresh migrated test
/// database, as the service role), through Hummingbird's in-process test client.
func withApplication<Result: Sendable>(
    databaseURL: DatabaseURL? = nil,
    auth: AuthSettings = AuthSettings(trustForwardedFor: true),
    metricsToken: String? = testMetricsToken,
    leaseTimeout: Duration = testLeaseTimeout,
    _ body: @Sendable @escaping (any TestClientProtocol) async throws -> Result
) async throws -> Result {
    if let databaseURL {
        return try await runApplication(
            databaseURL: databaseURL, auth: auth, metricsToken: metricsToken, leaseTimeout: leaseTimeout, body
        )
    }
    return try await withTestDatabase { database in
        try await runApplication(
            databaseURL: database.serviceURL, auth: auth, metricsToken: metricsToken, leaseTimeout: leaseTimeout, body
        )
    }
}

/// The token `/metrics` asks for in the tests' applications.
let testMetricsToken = "metrics-token-for-tests"

private func runApplication<Result: Sendable>(
    databaseURL: DatabaseURL,
    auth: AuthSettings,
    metricsToken: String?,
    leaseTimeout: Duration,
    _ body: @Sendable @escaping (any TestClientProtocol) async throws -> Result
) async throws -> Result {
    let client = PostgresClient(
        configuration: try databaseURL.clientConfiguration(maximumConnections: 4),
        backgroundLogger: TestDatabases.logger
    )
    let application = buildApplication(
        // Five seconds, not the service's two: a first connection on a machine busy with the
        // whole suite at once can take longer than two (up to 1.3 s measured before the lease
        // handoff, a little more since).
        settings: ServerSettings(readinessTimeout: .seconds(5), metricsToken: metricsToken),
        dependencies: AppDependencies(
            database: Database(client: client, logger: TestDatabases.logger, leaseTimeout: leaseTimeout),
            metrics: testMetrics,
            logger: TestDatabases.logger,
            auth: auth
        )
    )
    return try await application.test(.router) { client in try await body(client) }
}

extension Problem {
    /// Decodes a problem document from a test response, checking its media type.
    static func decode(from response: TestResponse) throws -> Problem {
        guard response.headers[.contentType] == Problem.mediaType else {
            throw ProblemDecodingError.wrongMediaType(response.headers[.contentType])
        }
        return try JSONDecoder().decode(Problem.self, from: Data(response.body.readableBytesView))
    }
}

enum ProblemDecodingError: Error {
    case wrongMediaType(String?)
}
