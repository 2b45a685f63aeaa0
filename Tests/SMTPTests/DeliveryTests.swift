import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Logging
import TestSupport
import Testing

@testable import SMTP

/// Delivery to a real SMTP server (aiosmtpd) on the loopback, read back from its Maildir.
@Suite("Delivery over SMTP")
struct DeliveryTests {
    static let logger = Logger(label: "smtp-tests")

    func message(text: String = "Your July values are due.\n.a line that starts with a dot\nThanks") throws -> MailMessage {
        MailMessage(
            id: "\(UUID().uuidString)@mpmp.example", from: try #require(MailAddress("program@mpmp.example", name: "MPMP")),
            to: [try #require(MailAddress("clerk@springfield.example", name: "Town Clerk"))],
            subject: "Données dues: July", text: text, html: "<p>Your July values are due.</p>", date: Date()
        )
    }

    func client(_ url: String, trusting certificate: String? = nil) throws -> SMTPClient {
        SMTPClient(settings: try SMTPSettings(url: url, trustedCertificates: certificate), timeout: .seconds(10), logger: Self.logger)
    }

    @Test("a message arrives exactly as rendered, dot-stuffing undone, with its Message-ID")
    func plainDelivery() async throws {
        try await MailSink.with { sink in try await plainDelivery(to: sink) }
    }

    func plainDelivery(to sink: MailSink) async throws {
        let message = try message()
        let reply = try await client("smtp://127.0.0.1:\(sink.port)?tls=none").send(message)
        #expect(reply.code == 250)
        let kept = try sink.messages()
        try #require(kept.count == 1)
        let rendered = String(decoding: message.rendered(), as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
        #expect(kept[0] == rendered)
        #expect(kept[0].contains("Message-ID: <\(message.id)>"))
        #expect(kept[0].contains("\n.a line that starts with a dot\n"))
    }

    @Test("STARTTLS with a trusted certificate, then AUTH PLAIN: delivered; a wrong password is refused for good")
    func startTLSAndAuthentication() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mpmp-tls-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (certificate, key) = try MailSink.certificate(in: directory)
        try await MailSink.with(["--auth", "mailer:s3cret pass", "--tls", certificate, key]) { sink in
            try await startTLSAndAuthentication(with: sink, trusting: certificate)
        }
    }

    func startTLSAndAuthentication(with sink: MailSink, trusting certificate: String) async throws {
        try await client("smtp://mailer:s3cret%20pass@localhost:\(sink.port)?tls=required", trusting: certificate).send(try message())
        #expect(try sink.messages().count == 1)

        do {
            try await client("smtp://mailer:wrong@localhost:\(sink.port)?tls=required", trusting: certificate).send(try message())
            Issue.record("a wrong password was accepted")
        } catch let error as SMTPError {
            guard case .rejected(let reply) = error.kind else { throw error }
            #expect(reply.code == 535)
            #expect(!error.isTransient)
        }
        // An untrusted certificate: no delivery.
        await #expect(throws: SMTPError.self) {
            try await client("smtp://mailer:s3cret%20pass@localhost:\(sink.port)?tls=required").send(try message())
        }
        #expect(try sink.messages().count == 1)
    }

    @Test("a password is never sent in clear: without TLS on offer, nothing is sent")
    func noPasswordInClear() async throws {
        try await MailSink.with(["--auth", "mailer:secret"]) { sink in try await noPasswordInClear(with: sink) }
    }

    func noPasswordInClear(with sink: MailSink) async throws {        do {
            try await client("smtp://mailer:secret@127.0.0.1:\(sink.port)").send(try message())
            Issue.record("the password went in clear")
        } catch let error as SMTPError {
            guard case .configuration = error.kind else { throw error }
            #expect(error.stage == "AUTH")
            #expect(!error.isTransient)
        }
        #expect(try sink.messages().isEmpty)
        await #expect(throws: SMTPError.self) {
            try await client("smtp://mailer:secret@127.0.0.1:\(sink.port)?tls=required").send(try message())
        }
    }

    @Test("refusals: 4xx is worth another try, 5xx is not", arguments: [(451, true), (554, false)])
    func refusals(code: Int, transient: Bool) async throws {
        try await MailSink.with(["--refuse", "\(code)"]) { sink in try await refusal(by: sink, code: code, transient: transient) }
    }

    func refusal(by sink: MailSink, code: Int, transient: Bool) async throws {        do {
            try await client("smtp://127.0.0.1:\(sink.port)?tls=none").send(try message())
            Issue.record("a refused message counted as sent")
        } catch let error as SMTPError {
            guard case .rejected(let reply) = error.kind else { throw error }
            #expect(reply.code == code)
            #expect(error.isTransient == transient)
            #expect(error.stage == "the message")
        }
        #expect(try sink.messages().isEmpty)
    }

    @Test("nobody listening: a connection error, worth another try")
    func nobodyListening() async throws {
        // A port held by a socket that is bound and does not listen: connecting is refused,
        // and no other test can take the port meanwhile.
        let held = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(held >= 0)
        defer { close(held) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(held, $0, length) == 0 && getsockname(held, $0, &length) == 0 }
        }
        try #require(bound)
        let port = Int(UInt16(bigEndian: address.sin_port))
        do {
            try await client("smtp://127.0.0.1:\(port)?tls=none").send(try message())
            Issue.record("delivered to nobody")
        } catch let error as SMTPError {
            #expect(error.stage == "connect")
            #expect(error.isTransient)
        }
    }
}
