import Hummingbird
import Logging
import Prometheus
import Storage

/// Everything the HTTP layer needs from outside.
public struct AppDependencies: Sendable {
    public var database: Database
    public var metrics: PrometheusCollectorRegistry
    public var logger: Logger

    public init(database: Database, metrics: PrometheusCollectorRegistry, logger: Logger) {
        self.database = database
        self.metrics = metrics
        self.logger = logger
    }
}

/// The router: middleware in the order a request meets it, then every route.
public func buildRouter(settings: ServerSettings, dependencies: AppDependencies) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: AccessLogMiddleware())
    router.add(middleware: ProblemMiddleware())
    router.add(middleware: MetricsMiddleware())

    HealthRoutes(database: dependencies.database, readinessTimeout: settings.readinessTimeout).register(on: router)
    MetricsRoutes(registry: dependencies.metrics).register(on: router)
    OpenAPIDocument.register(on: router)
    return router
}

/// The service: the HTTP server and the connection pool, shut down together on SIGTERM.
public func buildApplication(
    settings: ServerSettings,
    dependencies: AppDependencies
) -> some ApplicationProtocol {
    var application = Application(
        router: buildRouter(settings: settings, dependencies: dependencies),
        configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "mpmp"),
        logger: dependencies.logger
    )
    application.addServices(dependencies.database.client)
    return application
}
