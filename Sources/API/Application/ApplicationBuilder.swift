import Hummingbird
import Logging
import Prometheus
import Services
import Storage

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
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: ClientAddressMiddleware(trustForwardedFor: dependencies.auth.trustForwardedFor))

    HealthRoutes(database: dependencies.database, readinessTimeout: settings.readinessTimeout).register(on: router)
    MetricsRoutes(registry: dependencies.metrics).register(on: router)
    OpenAPIDocument.register(on: router)

    let services = Services(database: dependencies.database, settings: dependencies.auth, clock: dependencies.clock)
    let backend = Backend(database: dependencies.database, settings: dependencies.auth)
    let invitations = InvitationRoutes(backend: backend)

    let anonymous = router.group("/v1")
    AuthRoutes(services: services).registerPublic(on: anonymous)
    invitations.registerPublic(on: anonymous)

    let signedIn = router.group("/v1")
        .add(middleware: BearerTokenMiddleware(services: services))
        .group(context: SignedInContext.self)
    AuthRoutes(services: services).register(on: signedIn)
    TenantRoutes(services: services).register(on: signedIn)
    MeasureRoutes(services: services).register(on: signedIn)

    // Routes still on the request path of the first wave, moving to Services feature by feature.
    let authenticated = router.group("/v1")
        .add(middleware: BearerTokenMiddleware(services: services))
        .add(middleware: LegacyAuthenticationMiddleware(database: backend.database, users: backend.users, audit: backend.audit, settings: backend.settings))
        .group(context: AuthenticatedContext.self)
    invitations.register(on: authenticated)
    UserRoutes(backend: backend).register(on: authenticated)
    CatalogRoutes(backend: backend).register(on: authenticated)
    AuditRoutes(backend: backend).register(on: authenticated)
    ProgramRoutes(backend: backend).register(on: authenticated)
    InvoiceRoutes(backend: backend).register(on: authenticated)
    DataImportRoutes(backend: backend).register(on: authenticated)
    MeetingRoutes(backend: backend).register(on: authenticated)
    InsightRoutes(backend: backend).register(on: authenticated)
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
    application.addServices(dependencies.database.pool)
    return application
}
