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
            Each round (every 5 s, at once again while mails keep coming): today's data-due \
            reminders, this week's analyst digests (Mondays, or the first round after), then \
            delivery of the outbox. Any number of workers (and servers) may run at once: each \
            mail is claimed by one of them at a time, each reminder and digest is written once.

            Environment: APP_DATABASE_URL (the service role); SMTP_URL (smtp://user:password@host:587 \
            with STARTTLS, smtps://host:465, or smtp://127.0.0.1:1025?tls=none for a local sink); \
            SMTP_CA_FILE (PEM authorities to trust instead of the system's); MAIL_FROM and \
            MAIL_FROM_NAME (the sender, default mpmp@localhost, MPMP); PUBLIC_BASE_URL (the start \
            of the links in mails, as for mpmp serve); MAIL_LEASE_SECONDS (how long a claimed mail \
            is held before another worker may take it, default 300); DATABASE_LEASE_TIMEOUT \
            (seconds to wait for a connection, default 5). `mpmp serve` runs the same worker \
            when SMTP_URL is set.

            A mail is tried up to 8 times (after 1, 2, 4 … minutes, at most 6 hours apart), at \
            once given up on a permanent refusal (5xx); mails given up are listed at \
            GET /v1/outbox/failed and in the audit trail.
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
        let leaseTimeout = try ServeCommand.integer("DATABASE_LEASE_TIMEOUT", default: 5, in: 1...300)
        let database = try Database.pool(databaseURL, size: 2, leaseTimeout: .seconds(leaseTimeout), logger: logger)
        let settings = AuthSettings(publicBaseURL: Environment.value("PUBLIC_BASE_URL") ?? "http://127.0.0.1:8080")
        guard let worker = try MailEnvironment.worker(services: Services(database: database, settings: settings), logger: logger) else {
            throw CommandFailure("SMTP_URL is not set: the worker has nothing to deliver to (see mpmp worker --help)")
        }
        logger.info("delivering the outbox, today's data-due reminders and this week's digests")
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
