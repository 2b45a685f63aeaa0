import Foundation

/// Where and how to deliver, from `SMTP_URL`:
///
/// - `smtp://host[:port]` (default port 587): STARTTLS when the server offers it, with the
///   certificate checked; `?tls=required` refuses a server that does not offer it,
///   `?tls=none` never starts it (a sink on the loopback);
/// - `smtps://host[:port]` (default port 465): TLS from the first byte;
/// - `user:password@` before the host: AUTH PLAIN, only over TLS unless `?tls=none`
///   says the link is trusted. User and password are percent-decoded.
public struct SMTPSettings: Sendable, Hashable {
    public enum Security: String, Sendable, Hashable {
        /// STARTTLS when offered.
        case opportunistic
        /// STARTTLS, or no delivery.
        case required
        /// TLS from the first byte (smtps).
        case implicit
        /// Never TLS.
        case none
    }

    public var host: String
    public var port: Int
    public var security: Security
    public var username: String?
    public var password: String?
    /// PEM file of the certificate authorities to trust instead of the system's.
    public var trustedCertificates: String?
    /// The name we give in EHLO.
    public var clientName: String

    public init(
        host: String, port: Int, security: Security, username: String? = nil, password: String? = nil,
        trustedCertificates: String? = nil, clientName: String = "mpmp.localhost"
    ) {
        self.host = host
        self.port = port
        self.security = security
        self.username = username
        self.password = password
        self.trustedCertificates = trustedCertificates
        self.clientName = clientName
    }

    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
    }

    /// Parses `SMTP_URL`; the error says what is wrong with it, never the password.
    public init(url text: String, trustedCertificates: String? = nil) throws {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            throw Invalid(description: "SMTP_URL is not a URL (smtp://host:587 or smtps://host:465)")
        }
        guard let host = components.host, !host.isEmpty else { throw Invalid(description: "SMTP_URL names no host") }
        let tls = components.queryItems?.first { $0.name == "tls" }?.value
        switch (scheme, tls) {
        case ("smtp", nil): security = .opportunistic
        case ("smtp", "required"): security = .required
        case ("smtp", "none"): security = .none
        case ("smtps", nil): security = .implicit
        case ("smtp", .some(let value)), ("smtps", .some(let value)):
            throw Invalid(description: "SMTP_URL's tls must be required or none (smtp:// only), not \(value)")
        default:
            throw Invalid(description: "SMTP_URL's scheme must be smtp or smtps, not \(scheme)")
        }
        self.host = host
        port = components.port ?? (scheme == "smtps" ? 465 : 587)
        guard (1...65535).contains(port) else { throw Invalid(description: "SMTP_URL's port must be from 1 to 65535") }
        username = components.percentEncodedUser.flatMap { $0.removingPercentEncoding }
        password = components.percentEncodedPassword.flatMap { $0.removingPercentEncoding }
        if username != nil, password == nil { throw Invalid(description: "SMTP_URL names a user without a password") }
        self.trustedCertificates = trustedCertificates
        clientName = "mpmp.localhost"
    }
}
