import Logging
import SMTP
import ServiceLifecycle
import Services
import Storage

/// The worker of `mpmp serve` or `mpmp worker`, until the service group shuts down: each
/// round records and mails today's data-due reminders, then delivers the outbox; at once
/// again while mails keep coming, else after `interval`.
struct MailWorker: Service {
    let delivery: MailDelivery
    let reminders: DataReminders
    var interval: Duration = .seconds(5)

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await rounds()
        }
    }

    func rounds() async {
        while !Task.isCancelled {
            var round = MailDelivery.Round()
            do {
                try await reminders.remindDue()
                round = try await delivery.deliverDue()
            } catch {
                delivery.logger.warning("the mail round failed", metadata: ["error": "\(error)"])
            }
            if round.claimed < delivery.settings.batch {
                try? await Task.sleep(for: interval)
            }
        }
    }
}

/// Mail settings from the environment:
///
/// - `SMTP_URL`: where to deliver (`smtp://user:password@host:587`, `smtps://…`, `?tls=none`
///   for a sink on the loopback). Unset: mails wait in the outbox.
/// - `SMTP_CA_FILE`: certificate authorities (PEM) to trust instead of the system's.
/// - `MAIL_FROM` (default `mpmp@localhost`) and `MAIL_FROM_NAME` (default `MPMP`): the
///   sender; `Message-ID`s end in its domain.
enum MailEnvironment {
    static func worker(services: Services, logger: Logger) throws(CommandFailure) -> MailWorker? {
        guard let url = Environment.value("SMTP_URL") else { return nil }
        let settings: SMTPSettings
        do {
            settings = try SMTPSettings(url: url, trustedCertificates: Environment.value("SMTP_CA_FILE"))
        } catch {
            throw CommandFailure("\(error)")
        }
        let fromText = Environment.value("MAIL_FROM") ?? "mpmp@localhost"
        guard let from = MailAddress(fromText, name: Environment.value("MAIL_FROM_NAME") ?? "MPMP") else {
            throw CommandFailure("MAIL_FROM must be one address, such as program@example.org, not \(fromText)")
        }
        let domain = String(from.address.split(separator: "@").last ?? "localhost")
        let delivery = MailDelivery(
            services: services,
            client: SMTPClient(settings: settings, logger: logger),
            settings: .init(from: from, messageDomain: domain)
        )
        return MailWorker(delivery: delivery, reminders: DataReminders(services: services))
    }
}
