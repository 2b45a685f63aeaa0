import Logging
import Metrics
import SMTP
import ServiceLifecycle
import Services
import Storage

/// The worker of `mpmp serve` or `mpmp worker`, until the service group shuts down: each
/// round records and mails today's data-due reminders and this week's digests, then
/// delivers the outbox; at once again while mails keep coming, else after `interval`.
///
/// Metrics (on `/metrics` of `mpmp serve`): `mpmp_mail_sent_total`,
/// `mpmp_mail_retried_total`, `mpmp_mail_failed_total`, `mpmp_reminders_total`,
/// `mpmp_digests_total`, and the gauges `mpmp_outbox_waiting` and `mpmp_outbox_failed`.
struct MailWorker: Service {
    let delivery: MailDelivery
    let reminders: DataReminders
    let digests: WeeklyDigest
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
                Counter(label: "mpmp_reminders_total").increment(by: try await reminders.remindDue())
                Counter(label: "mpmp_digests_total").increment(by: try await digests.sendDue())
                round = try await delivery.deliverDue()
                Counter(label: "mpmp_mail_sent_total").increment(by: round.sent)
                Counter(label: "mpmp_mail_retried_total").increment(by: round.retried)
                Counter(label: "mpmp_mail_failed_total").increment(by: round.failed)
                let counts = try await delivery.counts()
                Gauge(label: "mpmp_outbox_waiting").record(counts.waiting)
                Gauge(label: "mpmp_outbox_failed").record(counts.failed)
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
/// - `MAIL_LEASE_SECONDS` (default 300): how long a claimed mail is held before another
///   worker may take it; longer than any one mail's dialogue must be.
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
        let lease = try ServeCommand.integer("MAIL_LEASE_SECONDS", default: 300, in: 1...86_400)
        let delivery = MailDelivery(
            services: services,
            client: SMTPClient(settings: settings, logger: logger),
            settings: .init(from: from, messageDomain: domain, lease: .seconds(lease))
        )
        return MailWorker(delivery: delivery, reminders: DataReminders(services: services), digests: WeeklyDigest(services: services))
    }
}
