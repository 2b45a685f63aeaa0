import Hummingbird
import Logging
import Prometheus
import ServiceLifecycle
import Services
import Storage
import Web

/// Everything the HTTP layer needs from outside.
public struct AppDependencies: Sendable {
    public var database: Database
    public var metrics: PrometheusCollectorRegistry
    public var logger: Logger
    public var auth: AuthSettings
    /// Today and now for every rule that depends on the date; tests pin it.
    public var clock: ServiceClock

    public init(
        database: Database,
        metrics: PrometheusCollectorRegistry,
        logger: Logger,
        auth: AuthSettings = AuthSettings(),
        clock: ServiceClock = .system
    ) {
        self.database = database
        self.metrics = metrics
        self.logger = logger
        self.auth = auth
        self.clock = clock
    }
}

/// The router: middleware in the order a request meets it, then every route.
public func buildRouter(settings: ServerSettings, dependencies: AppDependencies) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: AccessLogMiddleware())
    router.add(middleware: ProblemMiddleware())
    router.add(middleware: MethodNotAllowedMiddleware(contract: .bundled))
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: ClientAddressMiddleware(trustForwardedFor: dependencies.auth.trustForwardedFor))

    let services = Services(database: dependencies.database, settings: dependencies.auth, clock: dependencies.clock)
    HealthRoutes(services: services, readinessTimeout: settings.readinessTimeout, logger: dependencies.database.logger).register(on: router)
    MetricsRoutes(registry: dependencies.metrics, token: settings.metricsToken).register(on: router)
    OpenAPIDocument.register(on: router)

    let invitations = InvitationRoutes(services: services)

    let anonymous = router.group("/v1")
    AuthRoutes(services: services).registerPublic(on: anonymous)
    invitations.registerPublic(on: anonymous)

    let signedIn = router.group("/v1")
        .add(middleware: BearerTokenMiddleware(services: services))
        .group(context: SignedInContext.self)
    AuthRoutes(services: services).register(on: signedIn)
    TenantRoutes(services: services).register(on: signedIn)
    MeasureRoutes(services: services).register(on: signedIn)
    ProgramRoutes(services: services).register(on: signedIn)
    InvoiceRoutes(services: services).register(on: signedIn)
    invitations.register(on: signedIn)
    UserRoutes(services: services).register(on: signedIn)
    CatalogRoutes(services: services).register(on: signedIn)
    AuditRoutes(services: services).register(on: signedIn)
    DataImportRoutes(services: services).register(on: signedIn)
    MeetingRoutes(services: services).register(on: signedIn)
    InsightRoutes(services: services).register(on: signedIn)

    // The web console, on the same use cases: everything outside /v1, /health and /metrics.
    do {
        try Console(services: services, publicBaseURL: dependencies.auth.publicBaseURL).register(on: router)
    } catch {
        dependencies.logger.critical("the web console is off: \(error)")
    }
    return router
}

/// The service: the HTTP server, the connection pool and `background` (the mail worker),
/// shut down together on SIGTERM.
public func buildApplication(
    settings: ServerSettings,
    dependencies: AppDependencies,
    background: [any Service] = []
) -> some ApplicationProtocol {
    var application = Application(
        router: buildRouter(settings: settings, dependencies: dependencies),
        configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "mpmp"),
        logger: dependencies.logger
    )
    application.addServices(dependencies.database.pool)
    application.addServices(background)
    return application
}
