import Hummingbird
import Logging
import Prometheus
import Storage

/// Everything the HTTP layer needs from outside.
public struct AppDependencies: Sendable {
    public var database: Database
    public var metrics: PrometheusCollectorRegistry
    public var logger: Logger
    public var auth: AuthSettings

    public init(database: Database, metrics: PrometheusCollectorRegistry, logger: Logger, auth: AuthSettings = AuthSettings()) {
        self.database = database
        self.metrics = metrics
        self.logger = logger
        self.auth = auth
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

    let backend = Backend(database: dependencies.database, settings: dependencies.auth)
    let auth = AuthRoutes(backend: backend)
    let invitations = InvitationRoutes(backend: backend)

    let anonymous = router.group("/v1")
    auth.registerPublic(on: anonymous)
    invitations.registerPublic(on: anonymous)

    let authenticated = router.group("/v1")
        .add(middleware: AuthenticationMiddleware(database: backend.database, users: backend.users, audit: backend.audit, settings: backend.settings))
        .group(context: AuthenticatedContext.self)
    auth.register(on: authenticated)
    invitations.register(on: authenticated)
    UserRoutes(backend: backend).register(on: authenticated)
    CatalogRoutes(backend: backend).register(on: authenticated)
    TenantRoutes(backend: backend).register(on: authenticated)
    AuditRoutes(backend: backend).register(on: authenticated)
    ProgramRoutes(backend: backend).register(on: authenticated)
    InvoiceRoutes(backend: backend).register(on: authenticated)
    MeasureRoutes(backend: backend).register(on: authenticated)
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
    application.addServices(dependencies.database.client)
    return application
}
