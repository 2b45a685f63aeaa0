import Foundation
import Logging
import Services
import Storage

/// Configuration from environment variables, each of which a command-line flag overrides.
enum Environment {
    static func value(_ name: String) -> String? {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else { return nil }
        return value
    }

    /// A database URL from a flag or a variable; a one-line failure when missing or malformed.
    static func databaseURL(flag: String?, variable: String, purpose: String) throws(CommandFailure) -> DatabaseURL {
        guard let text = flag ?? value(variable) else {
            throw CommandFailure("\(variable) is not set: \(purpose)")
        }
        do {
            return try DatabaseURL(parsing: text, variable: variable)
        } catch {
            throw CommandFailure(error.description)
        }
    }

    /// Logs go to standard error, at `LOG_LEVEL` (trace, debug, info, notice, warning, error).
    static func makeLogger(label: String, level flag: String?) throws(CommandFailure) -> Logger {
        // (`flag` wins over LOG_LEVEL.)
        let text = flag ?? value("LOG_LEVEL") ?? "info"
        guard let level = Logger.Level(rawValue: text.lowercased()) else {
            throw CommandFailure("LOG_LEVEL must be one of trace, debug, info, notice, warning, error; not \(text)")
        }
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        var logger = Logger(label: label)
        logger.logLevel = level
        return logger
    }

    /// Runs `body` with the use cases over a one-connection pool on `url`: the command
    /// line's way in, the same use cases as the API's.
    static func withServices<Result: Sendable>(
        url: DatabaseURL,
        logger: Logger,
        _ body: (Services) async throws -> Result
    ) async throws -> Result {
        try await Database.using(url, logger: logger) { database in
            try await body(Services(database: database))
        }
    }
}

/// A failure a person can act on, printed as one line; the process exits non-zero.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
