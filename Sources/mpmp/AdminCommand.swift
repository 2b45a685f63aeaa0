import ArgumentParser
import Foundation
import Logging
import Services
import Storage

#if canImport(Glibc)
    import Glibc
#endif

struct AdminCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin",
        abstract: "Manage Center admins.",
        subcommands: [CreateAdmin.self]
    )
}

struct CreateAdmin: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create a Center admin (the first one, or another).",
        discussion: """
            The password is read from standard input (one line) or, at a terminal, from a \
            prompt that does not echo; never from a flag, which would leave it in the shell's history.
            """
    )

    @Option(help: "The admin's e-mail address.")
    var email: String

    @Option(help: "The admin's name as others see it.")
    var name: String = ""

    @Option(name: .customLong("database-url"), help: "Connection (default: $DATABASE_URL).")
    var databaseURL: String?

    @Option(name: .customLong("log-level"), help: "Log level (default: $LOG_LEVEL or warning).")
    var logLevel: String?

    func run() async throws {
        let logger = try Environment.makeLogger(label: "mpmp.admin", level: logLevel ?? Environment.value("LOG_LEVEL") ?? "warning")
        let url = try Environment.databaseURL(flag: databaseURL, variable: "DATABASE_URL", purpose: "the admin is written with the owner's connection")
        guard let password = Self.readPassword() else {
            throw CommandFailure("the password (8 to 1,024 characters) must be given on standard input")
        }
        do {
            let created = try await Environment.withServices(url: url, logger: logger) { services in
                try await services.users.createCenterAdmin(.commandLine, email: email, displayName: name, password: password)
            }
            print("Created Center admin \(created.email) (\(created.id)).")
        } catch let error as ServiceError {
            throw CommandFailure(describe(error, url: url))
        } catch {
            throw CommandFailure(DatabaseFailure.describe(error, url: url))
        }
    }

    /// The use case's refusal in the command line's words: its options, not the API's fields.
    func describe(_ error: ServiceError, url: DatabaseURL) -> String {
        switch error {
        case .invalid(let fields), .unresolved(let fields):
            let options = ["email": "--email", "displayName": "--name", "password": "the password"]
            return fields.map { "\(options[$0.field] ?? $0.field) \($0.reason)" }.joined(separator: "; ")
        case .conflict:
            return "a user with the e-mail \(email) exists"
        case .unavailable(let detail):
            return "\(detail) (\(url.redacted))"
        case .unauthenticated(let detail), .notFound(let detail), .forbidden(let detail), .throttled(let detail):
            return detail
        case .malformed(let field, let reason):
            return "\(field) \(reason)"
        }
    }

    static func readPassword() -> String? {
        #if canImport(Glibc)
            if isatty(STDIN_FILENO) == 1, let pointer = getpass("Password: ") {
                return String(cString: pointer)
            }
        #endif
        return readLine(strippingNewline: true)
    }
}
