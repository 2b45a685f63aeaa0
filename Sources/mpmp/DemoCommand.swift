import API
import ArgumentParser
import Logging
import Services
import Storage

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Load the demo program (MPMP FY2013-FY2015, the SDPMP pilot, Rhode Island prospects) into an empty database.",
        discussion: "Runs as the service role (APP_DATABASE_URL). A database that has the demo keeps it: nothing is loaded twice."
    )

    @Option(name: .customLong("app-database-url"), help: "Service connection (default: $APP_DATABASE_URL).")
    var appDatabaseURL: String?

    func run() async throws {
        let logger = try Environment.makeLogger(label: "mpmp.demo", level: Environment.value("LOG_LEVEL") ?? "warning")
        let url = try Environment.databaseURL(flag: appDatabaseURL, variable: "APP_DATABASE_URL", purpose: "the demo loads as the service role")
        let loaded: Bool
        do {
            loaded = try await Environment.withServices(url: url, logger: logger) { services in
                try await services.demo.loadIfMissing(.commandLine)
            }
        } catch {
            throw CommandFailure(DatabaseFailure.describe(error, url: url))
        }
        print(loaded ? "Loaded the demo program." : "The demo program is loaded already; nothing changed.")
        print("Demo logins:")
        for login in DemoLoader.logins {
            print("  \(login.email)  \(login.password)  (\(login.role))")
        }
    }
}
