import Synchronization

/// Hands one pooled connection from the task that leased it to the task that uses it, so
/// that the user can stop waiting when the lease takes too long.
///
/// PostgresClient lends a connection only for the length of a closure, and its waiting
/// leases have no timeout. `Database.withConnection` therefore leases in a child task (the
/// lender), whose closure offers the connection here and stays open until the request's
/// own task (the borrower) gives it back. The borrower waits here, not in the pool: a
/// deadline can end its wait (`expire`) while the lender's lease is cancelled separately.
///
/// Each side resumes the other outside the lock. Every state has one way out, so neither
/// side can wait for ever: a connection that comes after the borrower stopped waiting goes
/// straight back to the pool.
final class ConnectionHandoff<Connection: Sendable>: Sendable {
    /// Why the borrower got no connection.
    enum Failure: Error {
        /// The deadline came first.
        case expired
        /// The lease failed (the pool is shut down, gave up opening connections, or the
        /// lease was cancelled).
        case leaseFailed(any Error)
        /// `borrow` was called twice; `Database` never does.
        case borrowedTwice
    }

    private enum State {
        /// Neither the connection nor the borrower is here yet.
        case idle
        /// The borrower waits for the connection.
        case borrowerWaiting(CheckedContinuation<Connection, any Error>)
        /// The connection came before the borrower asked; the lender waits for it back.
        case connectionReady(Connection, lender: CheckedContinuation<Void, Never>)
        /// The borrower has the connection; the lender waits for it back.
        case inUse(lender: CheckedContinuation<Void, Never>)
        /// The borrower stopped waiting before a connection came.
        case expired
        /// The lease failed before a connection came.
        case failed(any Error)
        /// The borrower gave the connection back.
        case returned
    }

    private let state = Mutex<State>(.idle)

    init() {}

    // MARK: The borrower (the request's task)

    /// The connection, once the lender has it; throws `Failure` when the deadline or a
    /// failed lease comes first.
    func borrow(isolation: isolated (any Actor)? = #isolation) async throws -> Connection {
        try await withCheckedThrowingContinuation(isolation: isolation) { borrower in
            let outcome: Result<Connection, Failure>? = state.withLock { state in
                switch state {
                case .idle:
                    state = .borrowerWaiting(borrower)
                    return nil
                case .connectionReady(let connection, let lender):
                    state = .inUse(lender: lender)
                    return .success(connection)
                case .expired:
                    return .failure(.expired)
                case .failed(let error):
                    return .failure(.leaseFailed(error))
                case .borrowerWaiting, .inUse, .returned:
                    return .failure(.borrowedTwice)
                }
            }
            if let outcome {
                borrower.resume(with: outcome)
            }
        }
    }

    /// The connection if it is here already, without waiting.
    func takeReady() -> Connection? {
        state.withLock { state in
            guard case .connectionReady(let connection, let lender) = state else { return nil }
            state = .inUse(lender: lender)
            return connection
        }
    }

    /// Gives the borrowed connection back: the lender's lease ends and the pool has it again.
    func giveBack() {
        let lender: CheckedContinuation<Void, Never>? = state.withLock { state in
            guard case .inUse(let lender) = state else { return nil }
            state = .returned
            return lender
        }
        lender?.resume()
    }

    // MARK: The deadline

    /// Ends the borrower's wait with `Failure.expired` unless a connection has come (or the
    /// lease has failed) already. The connection that comes later goes straight back.
    func expire() {
        let borrower: CheckedContinuation<Connection, any Error>? = state.withLock { state in
            switch state {
            case .idle:
                state = .expired
                return nil
            case .borrowerWaiting(let borrower):
                state = .expired
                return borrower
            case .connectionReady, .inUse, .expired, .failed, .returned:
                return nil
            }
        }
        borrower?.resume(throwing: Failure.expired)
    }

    // MARK: The lender (a child task holding the pool's lease)

    /// Offers the leased `connection` and returns once the borrower has given it back; at
    /// once when the borrower stopped waiting, so that the lease ends.
    func lend(_ connection: Connection) async {
        await withCheckedContinuation { (lender: CheckedContinuation<Void, Never>) in
            let borrower: CheckedContinuation<Connection, any Error>?
            let keepsConnection: Bool
            (borrower, keepsConnection) = state.withLock { state in
                switch state {
                case .idle:
                    state = .connectionReady(connection, lender: lender)
                    return (nil, true)
                case .borrowerWaiting(let borrower):
                    state = .inUse(lender: lender)
                    return (borrower, true)
                case .expired, .failed, .returned, .connectionReady, .inUse:
                    return (nil, false)
                }
            }
            borrower?.resume(returning: connection)
            if !keepsConnection {
                lender.resume()
            }
        }
    }

    /// The lease failed: a waiting borrower gets `Failure.leaseFailed(error)`.
    func fail(_ error: any Error) {
        let borrower: CheckedContinuation<Connection, any Error>? = state.withLock { state in
            switch state {
            case .idle:
                state = .failed(error)
                return nil
            case .borrowerWaiting(let borrower):
                state = .failed(error)
                return borrower
            case .connectionReady, .inUse, .expired, .failed, .returned:
                return nil
            }
        }
        borrower?.resume(throwing: Failure.leaseFailed(error))
    }
}
