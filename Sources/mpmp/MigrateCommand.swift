import ArgumentParser
import Logging
import Services
import Storage

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply the schema migrations, and create the service role when it is missing.",
        discussion: """
            Connects with DATABASE_URL (the schema owner or a superuser). When APP_DATABASE_URL is \
            set, its user becomes the service's login role: created when missing (with the URL's \
            password), never superuser, owner of nothing, subject to row-level security.
            """
    )

    @Option(name: .customLong("database-url"), help: "Owner connection (default: $DATABASE_URL).")
    var databaseURL: String?

    @Option(name: .customLong("app-database-url"), help: "Service connection (default: $APP_DATABASE_URL).")
    var appDatabaseURL: String?

    @Option(name: .customLong("log-level"), help: "Log level (default: $LOG_LEVEL or info).")
    var logLevel: String?

    func run() async throws {
        let logger = try Environment.makeLogger(label: "mpmp.migrate", level: logLevel)
        let ownerURL = try Environment.databaseURL(
            flag: databaseURL,
            variable: "DATABASE_URL",
            purpose: "migrations connect as the owner of the schema"
        )
        let serviceURL: DatabaseURL? =
            if appDatabaseURL != nil || Environment.value("APP_DATABASE_URL") != nil {
                try Environment.databaseURL(flag: appDatabaseURL, variable: "APP_DATABASE_URL", purpose: "")
            } else {
                nil
            }
        do {
            let (applied, created) = try await ownerURL.migrate(
                serviceRole: serviceURL.map { ($0.username, $0.password) }, logger: logger
            )
            if let serviceURL {
                logger.info(
                    created ? "created the service role" : "the service role exists",
                    metadata: ["role": "\(serviceURL.username)"]
                )
            }
            logger.info(
                "database is up to date",
                metadata: [
                    "database": "\(ownerURL.redacted)",
                    "applied": "\(applied.count)",
                    "migrations": "\(Migration.bundled.count)",
                ]
            )
        } catch let error as MigrationError {
            throw CommandFailure(error.description)
        } catch let error as ServiceRoleError {
            throw CommandFailure(error.description)
        } catch {
            throw CommandFailure(DatabaseFailure.describe(error, url: ownerURL))
        }
    }
}
