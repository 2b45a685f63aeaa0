import Storage

/// Sessions, passwords, invitations and login throttling.
public struct AuthSettings: Sendable {
    /// A session unused this long ends.
    public var sessionIdleTimeout: Duration
    /// A session ends this long after login, used or not.
    public var sessionLifetime: Duration
    public var invitationLifetime: Duration
    /// bcrypt's cost; at least 12.
    public var bcryptCost: UInt8
    public var accountThrottle: LoginThrottle.Rule
    public var addressThrottle: LoginThrottle.Rule
    /// Take the client address from `X-Forwarded-For` (only behind a proxy that sets it).
    public var trustForwardedFor: Bool
    /// The public address of the API, for the links in invitations.
    public var publicBaseURL: String

    public init(
        sessionIdleTimeout: Duration = .seconds(30 * 60),
        sessionLifetime: Duration = .seconds(12 * 3600),
        invitationLifetime: Duration = .seconds(7 * 24 * 3600),
        bcryptCost: UInt8 = 12,
        accountThrottle: LoginThrottle.Rule = .init(maximumFailures: 5, window: .seconds(900), lockout: .seconds(900)),
        addressThrottle: LoginThrottle.Rule = .init(maximumFailures: 50, window: .seconds(900), lockout: .seconds(900)),
        trustForwardedFor: Bool = false,
        publicBaseURL: String = "http://127.0.0.1:8080"
    ) {
        precondition(bcryptCost >= 12, "bcrypt cost must be at least 12")
        self.sessionIdleTimeout = sessionIdleTimeout
        self.sessionLifetime = sessionLifetime
        self.invitationLifetime = invitationLifetime
        self.bcryptCost = bcryptCost
        self.accountThrottle = accountThrottle
        self.addressThrottle = addressThrottle
        self.trustForwardedFor = trustForwardedFor
        self.publicBaseURL = publicBaseURL
    }
}
