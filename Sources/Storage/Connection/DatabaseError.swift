import PostgresNIO

/// Why a database call failed, in one line a person can act on.
///
/// PostgresNIO keeps its error descriptions vague on purpose (they might leak secrets);
/// this reads the parts that are safe to show: the kind of failure and the server's message.
public enum DatabaseFailure {
    public static func describe(_ error: any Error, url: DatabaseURL? = nil) -> String {
        let place = url.map { " at \($0.redacted)" } ?? ""
        if let error = error as? PostgresTransactionError {
            if let inner = error.closureError ?? error.beginError ?? error.commitError {
                return describe(inner, url: url)
            }
        }
        guard let error = error as? PSQLError else {
            return String(describing: error)
        }
        if let message = error.serverInfo?[.message] {
            let state = error.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
            return "database\(place) answered: \(message)\(state)"
        }
        switch error.code {
        case .connectionError, .serverClosedConnection, .uncleanShutdown:
            return "cannot reach the database\(place): \(connectionCause(error.underlying))"
        case .sslUnsupported:
            return "the database\(place) does not offer TLS, but sslmode=require was asked for"
        case .authMechanismRequiresPassword:
            return "the database\(place) asks for a password and none was given"
        default:
            return "database error\(place): \(error.code)"
        }
    }

    /// NIO's connection errors nest; their text names the cause a person knows.
    static func connectionCause(_ underlying: (any Error)?) -> String {
        guard let underlying else { return "the connection closed" }
        let text = String(describing: underlying)
        let causes = [
            ("Connection refused", "connection refused (is PostgreSQL running on that port?)"),
            ("imed out", "the connection timed out"),
            ("Timeout", "the connection timed out"),
            ("resolve", "the host name does not resolve"),
            ("nodename", "the host name does not resolve"),
            ("No route", "no route to the host"),
        ]
        for (pattern, cause) in causes where text.contains(pattern) {
            return cause
        }
        return text
    }

    /// Whether `error` ended the connection it came from: a lost connection, or a FATAL or
    /// PANIC error (an administrator's shutdown, 57P01), after which PostgreSQL closes it.
    public static func endsConnection(_ error: any Error) -> Bool {
        if let error = error as? PostgresTransactionError, let inner = error.closureError {
            return endsConnection(inner)
        }
        if let error = error as? DatabaseUnavailable { return error.reason == .connectionClosed }
        guard let error = error as? PSQLError else { return false }
        switch error.code {
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown:
            return true
        default:
            let severity = error.serverInfo?[.severity] ?? error.serverInfo?[.localizedSeverity]
            return severity == "FATAL" || severity == "PANIC"
        }
    }

    /// The SQLSTATE of a server error, if the error came from the server.
    public static func sqlState(of error: any Error) -> String? {
        if let error = error as? PostgresTransactionError, let inner = error.closureError {
            return sqlState(of: inner)
        }
        return (error as? PSQLError)?.serverInfo?[.sqlState]
    }
}
