import Logging
import SMTP
import ServiceLifecycle
import Services
import Storage

/// The outbox's delivery as a service of `mpmp serve` or `mpmp worker`: rounds every few
/// seconds until the service group shuts down.
struct MailWorker: Service {
    let delivery: MailDelivery

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await delivery.run()
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
    static func delivery(services: Services, logger: Logger) throws(CommandFailure) -> MailDelivery? {
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
        return MailDelivery(
            services: services,
            client: SMTPClient(settings: settings, logger: logger),
            settings: .init(from: from, messageDomain: domain)
        )
    }
}
