import API
import ArgumentParser
import Foundation
import Hummingbird
import Logging
import Metrics
import Prometheus
import ServiceLifecycle
import Services
import Storage

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the HTTP API until SIGTERM or SIGINT.",
        discussion: "Connects as the service role through APP_DATABASE_URL; never as the owner."
    )

    @Option(help: "Address to listen on (default: $HOST or 127.0.0.1).")
    var host: String?

    @Option(help: "Port to listen on (default: $PORT or 8080).")
    var port: Int?

    @Option(name: .customLong("app-database-url"), help: "Service connection (default: $APP_DATABASE_URL).")
    var appDatabaseURL: String?

    @Option(name: .customLong("log-level"), help: "Log level (default: $LOG_LEVEL or info).")
    var logLevel: String?

    func run() async throws {
        let logger = try Environment.makeLogger(label: "mpmp", level: logLevel)
        let settings = try serverSettings()
        let databaseURL = try Environment.databaseURL(
            flag: appDatabaseURL,
            variable: "APP_DATABASE_URL",
            purpose: "the service connects as its own unprivileged role (see `mpmp migrate`)"
        )
        // Ten: a database runs best with a few connections per core. On 2 cores, 10 gave
        // the dashboard the throughput of 20 with two thirds of the p99 (Benchmarks/ab.sh).
        let poolSize = try Self.integer("DATABASE_POOL_SIZE", default: 10, in: 1...500)
        let leaseTimeout = try Self.integer("DATABASE_LEASE_TIMEOUT", default: 5, in: 1...300)
        try await checkDatabase(databaseURL, logger: logger)

        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let database = try Database.pool(databaseURL, size: poolSize, leaseTimeout: .seconds(leaseTimeout), logger: logger)
        let auth = try authSettings(settings)
        var background: [any Service] = []
        if let worker = try MailEnvironment.worker(services: Services(database: database, settings: auth), logger: logger) {
            background.append(worker)
        } else {
            logger.notice("SMTP_URL is not set: mail waits in the outbox (see mpmp worker --help)")
        }
        let application = buildApplication(
            settings: settings,
            dependencies: AppDependencies(database: database, metrics: registry, logger: logger, auth: auth),
            background: background
        )
        logger.info("serving", metadata: ["address": "http://\(settings.host):\(settings.port)"])
        do {
            try await application.runService()
        } catch {
            let text = String(describing: error)
            if text.contains("Address already in use") {
                throw CommandFailure("cannot listen on \(settings.host):\(settings.port): the port is already in use")
            }
            if text.contains("bind") || text.contains("resolve") {
                throw CommandFailure("cannot listen on \(settings.host):\(settings.port): \(text)")
            }
            throw CommandFailure("the server stopped: \(text)")
        }
    }

    func serverSettings() throws(CommandFailure) -> ServerSettings {
        let host = host ?? Environment.value("HOST") ?? "127.0.0.1"
        let port: Int
        if let flag = self.port {
            port = flag
        } else {
            port = try Self.integer("PORT", default: 8080, in: 0...65535)
        }
        guard (0...65535).contains(port) else {
            throw CommandFailure("PORT must be between 0 and 65535, not \(port)")
        }
        let metricsToken = Environment.value("METRICS_TOKEN")
        if let metricsToken, metricsToken.utf8.count < 16 {
            throw CommandFailure("METRICS_TOKEN must be at least 16 characters")
        }
        return ServerSettings(host: host, port: port, metricsToken: metricsToken)
    }

    func authSettings(_ settings: ServerSettings) throws(CommandFailure) -> AuthSettings {
        let trustProxy = Environment.value("TRUST_PROXY") ?? "false"
        guard ["true", "false"].contains(trustProxy) else {
            throw CommandFailure("TRUST_PROXY must be true or false, not \(trustProxy)")
        }
        return AuthSettings(
            sessionIdleTimeout: .seconds(try Self.integer("SESSION_IDLE_TIMEOUT_SECONDS", default: 1800, in: 60...86_400)),
            sessionLifetime: .seconds(try Self.integer("SESSION_LIFETIME_SECONDS", default: 43_200, in: 300...2_592_000)),
            invitationLifetime: .seconds(try Self.integer("INVITATION_LIFETIME_SECONDS", default: 604_800, in: 3600...2_592_000)),
            trustForwardedFor: trustProxy == "true",
            publicBaseURL: Environment.value("PUBLIC_BASE_URL") ?? "http://\(settings.host):\(settings.port)"
        )
    }

    static func integer(_ variable: String, default value: Int, in range: ClosedRange<Int>) throws(CommandFailure) -> Int {
        guard let text = Environment.value(variable) else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw CommandFailure("\(variable) must be a whole number from \(range.lowerBound) to \(range.upperBound), not \(text)")
        }
        return number
    }

    /// Fails fast, in one line, when the database cannot be reached or refuses the login;
    /// a database that lacks migrations only makes `/health/ready` answer 503.
    func checkDatabase(_ url: DatabaseURL, logger: Logger) async throws(CommandFailure) {
        do {
            let status = try await url.migrationStatus(logger: logger)
            if status != .upToDate {
                logger.warning("the database is not fully migrated; /health/ready answers 503 until `mpmp migrate` runs")
            }
        } catch {
            throw CommandFailure(DatabaseFailure.describe(error, url: url))
        }
    }
}
