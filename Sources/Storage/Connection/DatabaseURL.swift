import Foundation

/// A PostgreSQL connection address, parsed from a `postgres://user:password@host:port/database` URL.
///
/// Parsing never echoes the password: error messages name the part that is wrong, not the value.
public struct DatabaseURL: Sendable, Equatable {
    public enum TLSMode: String, Sendable {
        case disable
        case prefer
        case require
    }

    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    public var tlsMode: TLSMode

    public init(
        host: String,
        port: Int = 5432,
        username: String,
        password: String?,
        database: String,
        tlsMode: TLSMode = .prefer
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.tlsMode = tlsMode
    }

    /// Parses a URL such as `postgres://mpmp:secret@127.0.0.1:5432/mpmp?sslmode=disable`.
    public init(parsing text: String, variable: String = "DATABASE_URL") throws(DatabaseURLError) {
        func invalid(_ reason: String) -> DatabaseURLError {
            DatabaseURLError(variable: variable, reason: reason)
        }
        guard let components = URLComponents(string: text.trimmingCharacters(in: .whitespaces)) else {
            throw invalid("not a URL (expected postgres://user:password@host:port/database)")
        }
        guard let scheme = components.scheme, ["postgres", "postgresql"].contains(scheme.lowercased()) else {
            throw invalid("the scheme must be postgres:// or postgresql://")
        }
        guard let host = components.host, !host.isEmpty else {
            throw invalid("the host is missing")
        }
        guard let username = components.user, !username.isEmpty else {
            throw invalid("the user name is missing")
        }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty, !database.contains("/") else {
            throw invalid("the database name is missing (add /DATABASE after the host)")
        }
        var tlsMode = TLSMode.prefer
        for item in components.queryItems ?? [] where item.name == "sslmode" {
            switch item.value {
            case "disable": tlsMode = .disable
            case "allow", "prefer": tlsMode = .prefer
            case "require", "verify-ca", "verify-full": tlsMode = .require
            default: throw invalid("sslmode must be disable, prefer or require")
            }
        }
        let port: Int
        if let explicitPort = components.port {
            guard (1...65535).contains(explicitPort) else { throw invalid("the port is out of range") }
            port = explicitPort
        } else {
            port = 5432
        }
        self.init(
            host: host,
            port: port,
            username: username.removingPercentEncoding ?? username,
            password: components.password.map { $0.removingPercentEncoding ?? $0 },
            database: database.removingPercentEncoding ?? database,
            tlsMode: tlsMode
        )
    }

    /// The same server and credentials, another database.
    public func with(database: String) -> DatabaseURL {
        var copy = self
        copy.database = database
        return copy
    }

    /// The same server and database, other credentials.
    public func with(username: String, password: String?) -> DatabaseURL {
        var copy = self
        copy.username = username
        copy.password = password
        return copy
    }

    /// `host:port/database`, safe to print: no user name, no password.
    public var redacted: String { "\(host):\(port)/\(database)" }
}

public struct DatabaseURLError: Error, CustomStringConvertible, Equatable {
    public var variable: String
    public var reason: String

    public init(variable: String, reason: String) {
        self.variable = variable
        self.reason = reason
    }

    public var description: String { "\(variable) is malformed: \(reason)" }
}
