import API
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
        guard email.contains("@"), email.count <= 254, !email.contains(" ") else {
            throw CommandFailure("--email must be an e-mail address such as name@umb.edu")
        }
        guard let password = Self.readPassword(), (8...72).contains(password.utf8.count) else {
            throw CommandFailure("the password must be 8 to 72 bytes, given on standard input")
        }
        let hash = try await PasswordHasher(cost: 12).hash(password)
        do {
            let created = try await url.withConnection(logger: logger) { connection in
                try await connection.inTransaction(logger: logger) { connection in
                    let user = try await UserStore(logger: logger).create(
                        email: email, displayName: name, passwordHash: hash, isCenterAdmin: true, on: connection
                    )
                    if let user {
                        try await AuditStore(logger: logger).record(
                            AuditEvent(tenantID: nil, actorID: nil, action: "users.create-admin", target: "users/\(user.id)", outcome: .success, clientAddress: "cli"),
                            on: connection
                        )
                    }
                    return user
                }
            }
            guard let created else { throw CommandFailure("a user with the e-mail \(email) exists") }
            print("Created Center admin \(created.email) (\(created.id)).")
        } catch let failure as CommandFailure {
            throw failure
        } catch {
            throw CommandFailure(DatabaseFailure.describe(error, url: url))
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
