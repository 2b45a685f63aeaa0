import Foundation
import Logging
import PostgresNIO

/// Failed logins counted in PostgreSQL, per account and client address and per client
/// address, so that every replica refuses the same caller.
public struct LoginThrottle: Sendable {
    public struct Rule: Sendable {
        /// Failures within `window` that lock the key.
        public var maximumFailures: Int
        public var window: Duration
        /// How long a locked key stays refused.
        public var lockout: Duration

        public init(maximumFailures: Int, window: Duration, lockout: Duration) {
            self.maximumFailures = maximumFailures
            self.window = window
            self.lockout = lockout
        }
    }

    public let logger: Logger

    public init(logger: Logger) {
        self.logger = logger
    }

    /// An account as seen from one client address: failures from one address lock the
    /// account for that address only, so that nobody can lock a person out by guessing
    /// from elsewhere (ASVS 5.0 V6.3). Hashed, so that the key stays short and names no one.
    public static func accountKey(_ email: String, from address: String?) -> String {
        "account:" + SecretToken.hash(email.lowercased() + "\n" + (address ?? "-"))
    }
    public static func addressKey(_ address: String) -> String { "address:" + address }

    /// True when any of `keys` is locked now.
    public func isLocked(_ keys: [String], on connection: PostgresConnection) async throws -> Bool {
        let rows = try await connection.query(
            "SELECT count(*)::int FROM login_throttles WHERE key = ANY(\(keys)) AND locked_until > now()",
            logger: logger
        )
        for try await count in rows.decode(Int.self) { return count > 0 }
        return false
    }

    /// Counts one failure against `key`; locks it when the rule's count is reached.
    ///
    /// The times come from PostgreSQL's clock, read first: Citus runs the upsert on every
    /// node of the (reference) table and takes no clock function in its DO UPDATE part.
    public func recordFailure(_ key: String, rule: Rule, on connection: PostgresConnection) async throws {
        let window = Double(rule.window.components.seconds)
        let lockout = Double(rule.lockout.components.seconds)
        let clock = try await connection.query(
            "SELECT now(), now() - make_interval(secs => \(window)), now() + make_interval(secs => \(lockout))",
            logger: logger
        )
        var times: (now: Date, windowStart: Date, lockEnd: Date)?
        for try await (now, windowStart, lockEnd) in clock.decode((Date, Date, Date).self) {
            times = (now, windowStart, lockEnd)
        }
        guard let times else { return }
        try await connection.execute(
            """
            INSERT INTO login_throttles AS t (key, failures, window_started_at, locked_until)
            VALUES (\(key), 1, \(times.now), CASE WHEN 1 >= \(rule.maximumFailures) THEN \(times.lockEnd) END)
            ON CONFLICT (key) DO UPDATE SET
                failures = CASE WHEN t.window_started_at < \(times.windowStart) THEN 1 ELSE t.failures + 1 END,
                window_started_at = CASE WHEN t.window_started_at < \(times.windowStart)
                    THEN excluded.window_started_at ELSE t.window_started_at END,
                locked_until = CASE
                    WHEN (CASE WHEN t.window_started_at < \(times.windowStart) THEN 1 ELSE t.failures + 1 END) >= \(rule.maximumFailures)
                    THEN \(times.lockEnd)
                    ELSE t.locked_until END
            """,
            logger: logger
        )
    }

    /// Forgets the failures of `key` (after a successful login).
    public func clear(_ key: String, on connection: PostgresConnection) async throws {
        try await connection.execute("DELETE FROM login_throttles WHERE key = \(key)", logger: logger)
    }
}
