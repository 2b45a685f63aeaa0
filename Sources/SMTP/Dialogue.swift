import Foundation
import NIOCore
import NIOSSL

/// One SMTP conversation, step by step: greeting, EHLO, STARTTLS (and EHLO again), AUTH,
/// MAIL, RCPT, DATA, QUIT.
struct Dialogue {
    let settings: SMTPSettings
    let channel: any Channel
    var replies: NIOAsyncChannelInboundStream<SMTPReply>.AsyncIterator
    let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    let tls: NIOSSLContext?
    var encrypted = false

    init(
        settings: SMTPSettings, channel: any Channel, replies: NIOAsyncChannelInboundStream<SMTPReply>.AsyncIterator,
        outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>, tls: NIOSSLContext?
    ) {
        self.settings = settings
        self.channel = channel
        self.replies = replies
        self.outbound = outbound
        self.tls = tls
        self.encrypted = settings.security == .implicit
    }

    mutating func deliver(_ message: MailMessage) async throws -> SMTPReply {
        try await expect(220, at: "greeting")
        var extensions = try await hello()
        if !encrypted, settings.security == .required || settings.security == .opportunistic {
            if extensions.contains("STARTTLS") {
                try await startTLS()
                extensions = try await hello()
            } else if settings.security == .required {
                throw SMTPError(stage: "STARTTLS", kind: .configuration("the server does not offer STARTTLS, which SMTP_URL requires"))
            }
        }
        if let username = settings.username, let password = settings.password {
            try await authenticate(username: username, password: password, extensions: extensions)
        }
        try await command("MAIL FROM:<\(message.from.address)>", expecting: 250, at: "MAIL FROM")
        for recipient in message.to {
            try await command("RCPT TO:<\(recipient.address)>", expecting: 250, 251, at: "RCPT TO \(recipient.address)")
        }
        try await command("DATA", expecting: 354, at: "DATA")
        try await outbound.write(ByteBuffer(bytes: Self.dotStuffed(message.rendered())))
        let accepted = try await expect(250, at: "the message")
        // The message is accepted: a failed goodbye changes nothing.
        try? await outbound.write(ByteBuffer(string: "QUIT\r\n"))
        _ = try? await replies.next()
        return accepted
    }

    /// EHLO; the extensions the server names, upper-cased (`STARTTLS`, `AUTH PLAIN LOGIN`).
    mutating func hello() async throws -> Set<String> {
        let reply = try await command("EHLO \(settings.clientName)", expecting: 250, at: "EHLO")
        return Set(reply.lines.dropFirst().map { $0.uppercased() })
    }

    mutating func startTLS() async throws {
        guard let tls else { throw SMTPError(stage: "STARTTLS", kind: .configuration("TLS is not set up")) }
        try await command("STARTTLS", expecting: 220, at: "STARTTLS")
        do {
            let name = SMTPClient.sniName(settings.host)
            let channel = self.channel
            try await channel.eventLoop.submit {
                let handler = try NIOSSLClientHandler(context: tls, serverHostname: name)
                try channel.pipeline.syncOperations.addHandler(handler, position: .first)
            }.get()
        } catch {
            throw SMTPError(stage: "STARTTLS", kind: .configuration("cannot start TLS: \(error)"))
        }
        encrypted = true
    }

    mutating func authenticate(username: String, password: String, extensions: Set<String>) async throws {
        guard encrypted || settings.security == .none else {
            throw SMTPError(stage: "AUTH", kind: .configuration("the password would travel in clear: the server offered no TLS"))
        }
        guard extensions.contains(where: { $0.hasPrefix("AUTH ") && $0.split(separator: " ").contains("PLAIN") }) else {
            throw SMTPError(stage: "AUTH", kind: .configuration("the server does not offer AUTH PLAIN"))
        }
        let credentials = Data(([0] + Array(username.utf8) + [0] + Array(password.utf8))).base64EncodedString()
        try await command("AUTH PLAIN \(credentials)", expecting: 235, at: "AUTH")
    }

    @discardableResult
    mutating func command(_ line: String, expecting codes: Int..., at stage: String) async throws -> SMTPReply {
        guard !line.contains("\r"), !line.contains("\n") else {
            throw SMTPError(stage: stage, kind: .configuration("a command cannot hold a line break"))
        }
        do {
            try await outbound.write(ByteBuffer(string: line + "\r\n"))
        } catch {
            throw SMTPError(stage: stage, kind: .connection("the connection closed: \(error)"))
        }
        return try await expect(codes, at: stage)
    }

    @discardableResult
    mutating func expect(_ codes: Int..., at stage: String) async throws -> SMTPReply {
        try await expect(codes, at: stage)
    }

    mutating func expect(_ codes: [Int], at stage: String) async throws -> SMTPReply {
        let reply: SMTPReply?
        do {
            reply = try await replies.next()
        } catch {
            throw SMTPError(stage: stage, kind: .connection("the conversation broke: \(error)"))
        }
        guard let reply else { throw SMTPError(stage: stage, kind: .connection("the server closed the connection")) }
        guard codes.contains(reply.code) else { throw SMTPError(stage: stage, kind: .rejected(reply)) }
        return reply
    }

    /// The DATA section: a line that starts with `.` gets another, and `.` ends it.
    static func dotStuffed(_ message: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(message.count + 64)
        var atLineStart = true
        for byte in message {
            if atLineStart && byte == UInt8(ascii: ".") { output.append(byte) }
            output.append(byte)
            atLineStart = byte == UInt8(ascii: "\n")
        }
        if !atLineStart { output += [13, 10] }
        output += Array(".\r\n".utf8)
        return output
    }
}
