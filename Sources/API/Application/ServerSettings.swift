/// Where and how the HTTP server listens.
public struct ServerSettings: Sendable {
    public var host: String
    public var port: Int
    /// How long `/health/ready` waits for the database before answering 503.
    public var readinessTimeout: Duration
    /// The bearer token `/metrics` asks for; without one, `/metrics` is off (404).
    public var metricsToken: String?

    public init(host: String = "127.0.0.1", port: Int = 8080, readinessTimeout: Duration = .seconds(2), metricsToken: String? = nil) {
        self.host = host
        self.port = port
        self.readinessTimeout = readinessTimeout
        self.metricsToken = metricsToken
    }
}
