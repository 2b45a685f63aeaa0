/// The database could not take the work, and whatever transaction there was did not commit:
/// PostgreSQL cannot be reached (it restarts, or is down), every connection stayed busy for
/// the whole lease timeout, or the connection closed before a statement was sent on it.
/// Trying again later can succeed.
public struct DatabaseUnavailable: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Reason: Sendable, Hashable {
        /// No connection came within the lease timeout.
        case leaseTimedOut(Duration)
        /// The pool refused the lease, for the reason given: it is shut down, or it gave up
        /// opening connections after trying for a while.
        case leaseFailed(String)
        /// The connection had closed (PostgreSQL stopped, or ended it) before the next
        /// statement; PostgreSQL rolled its transaction back.
        case connectionClosed
    }

    public var reason: Reason

    public init(_ reason: Reason) {
        self.reason = reason
    }

    public var description: String {
        switch reason {
        case .leaseTimedOut(let timeout):
            "no database connection within \(timeout): the database cannot be reached, or every connection of the pool is busy"
        case .leaseFailed(let cause):
            "no database connection: \(cause)"
        case .connectionClosed:
            "the database connection closed (PostgreSQL stopped or ended it)"
        }
    }

    /// Why the pool's lease failed, for `Reason.leaseFailed`. The pool's own errors live in
    /// a module this package does not import (`_ConnectionPoolModule`); their names are read
    /// from their text, as `DatabaseFailure` reads NIO's.
    static func leaseFailure(_ error: any Error) -> DatabaseUnavailable {
        let text = String(describing: error)
        let cause =
            if text.contains("CircuitBreaker") {
                "the pool could not open a connection for a while and gave up (is PostgreSQL running?)"
            } else if text.contains("poolShutdown") {
                "the connection pool is shut down"
            } else {
                DatabaseFailure.describe(error)
            }
        return DatabaseUnavailable(.leaseFailed(cause))
    }
}
