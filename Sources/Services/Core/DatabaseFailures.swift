import Foundation
import PostgresNIO
import Storage

extension ServiceError {
    /// The floor under the use cases' own checks: a write that breaks a constraint the use
    /// case did not check first is the caller's bad input, not a server error; a database
    /// that cannot be reached, or no connection within the lease timeout, is an outage.
    /// Anything else passes through unchanged.
    static func mapping(_ error: any Error) -> any Error {
        if let error = error as? ServiceError { return error }
        if let error = error as? DatabaseUnavailable { return unavailable(error) }
        guard let error = error as? PSQLError else { return error }
        if let mapped = constraint(error) { return mapped }
        switch error.code {
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed:
            return ServiceError.unavailable("The database cannot be reached right now; try again shortly.")
        default:
            return error
        }
    }

    /// Nothing was done: the caller can send the same request again.
    private static func unavailable(_ error: DatabaseUnavailable) -> ServiceError {
        switch error.reason {
        case .leaseTimedOut:
            .unavailable("The database is unreachable or too busy to take this request now; nothing was changed. Try again shortly.")
        case .leaseFailed, .connectionClosed:
            .unavailable("The database cannot be reached right now; nothing was changed. Try again shortly.")
        }
    }

    private static func constraint(_ error: PSQLError) -> ServiceError? {
        let column = error.serverInfo?[.columnName]
        switch error.serverInfo?[.sqlState] {
        case "23503":
            return .invalid(column ?? "body", "refers to something that does not exist")
        case "23505":
            return .conflict("This exists already.")
        case "22021", "22P05":
            return .malformed(field: column ?? "body", reason: "contains characters that cannot be stored")
        case "23514", "23502", "22003", "22001", "22007", "22008":
            return .invalid(column ?? "body", "is out of the allowed range")
        case "57P01", "57P02", "57P03", "53300":
            return .unavailable("The database is restarting or busy; try again shortly.")
        default:
            return nil
        }
    }
}
