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
            let cause = error.underlying.map { ": \(String(describing: $0))" } ?? ""
            return "cannot reach the database\(place)\(cause)"
        case .sslUnsupported:
            return "the database\(place) does not offer TLS, but sslmode=require was asked for"
        case .authMechanismRequiresPassword:
            return "the database\(place) asks for a password and none was given"
        default:
            return "database error\(place): \(error.code)"
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
