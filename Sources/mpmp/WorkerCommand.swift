import ArgumentParser
import Logging
import ServiceLifecycle
import Services
import Storage
import UnixSignals

struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Deliver the outbox over SMTP until SIGTERM or SIGINT, without serving HTTP.",
        discussion: """
            Any number of workers (and servers) may run at once: each mail is claimed by one \
            of them at a time. Needs APP_DATABASE_URL and SMTP_URL (smtp://user:password@host:587, \
            smtps://host:465, or smtp://127.0.0.1:1025?tls=none for a local sink); optional \
            SMTP_CA_FILE, MAIL_FROM, MAIL_FROM_NAME. `mpmp serve` delivers too when SMTP_URL is set.
            """
    )

    @Option(name: .customLong("app-database-url"), help: "Service connection (default: $APP_DATABASE_URL).")
    var appDatabaseURL: String?

    @Option(name: .customLong("log-level"), help: "Log level (default: $LOG_LEVEL or info).")
    var logLevel: String?

    func run() async throws {
        let logger = try Environment.makeLogger(label: "mpmp-worker", level: logLevel)
        let databaseURL = try Environment.databaseURL(
            flag: appDatabaseURL, variable: "APP_DATABASE_URL", purpose: "the worker connects as the service role"
        )
        let database = try Database.pool(databaseURL, size: 2, leaseTimeout: .seconds(30), logger: logger)
        guard let worker = try MailEnvironment.worker(services: Services(database: database), logger: logger) else {
            throw CommandFailure("SMTP_URL is not set: the worker has nothing to deliver to (see mpmp worker --help)")
        }
        logger.info("delivering the outbox and today's data-due reminders")
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: database.pool), .init(service: worker)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        try await group.run()
    }
}
