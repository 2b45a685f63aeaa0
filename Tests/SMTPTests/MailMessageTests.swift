import Foundation
import NIOCore
import NIOEmbedded
import Testing

@testable import SMTP

@Suite("Mail messages, as they go on the wire")
struct MailMessageTests {
    static let from = MailAddress("program@mpmp.example", name: "MPMP Program")
    static let clerk = MailAddress("clerk@springfield.example", name: "Town Clerk")

    func message(subject: String = "Data due", text: String, html: String? = nil, name: String = "Town Clerk") throws -> MailMessage {
        MailMessage(
            id: "3f2c6a0e@mpmp.example", from: try #require(Self.from),
            to: [try #require(MailAddress("clerk@springfield.example", name: name))],
            subject: subject, text: text, html: html, date: Date(timeIntervalSince1970: 1_764_553_200)
        )
    }

    func lines(of message: MailMessage) -> [String] {
        String(decoding: message.rendered(), as: UTF8.self).components(separatedBy: "\r\n")
    }

    @Test("headers, a blank line, then the body in quoted-printable; every line ends in CRLF")
    func plainMessage() throws {
        let rendered = try message(text: "Café = 5€\nSecond line").rendered()
        let text = String(decoding: rendered, as: UTF8.self)
        #expect(text.hasSuffix("\r\n"))
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        let lines = text.components(separatedBy: "\r\n")
        #expect(lines.contains("Date: Mon, 01 Dec 2025 01:40:00 +0000"))
        #expect(lines.contains("From: \"MPMP Program\" <program@mpmp.example>"))
        #expect(lines.contains("To: \"Town Clerk\" <clerk@springfield.example>"))
        #expect(lines.contains("Message-ID: <3f2c6a0e@mpmp.example>"))
        #expect(lines.contains("Content-Type: text/plain; charset=utf-8"))
        #expect(lines.contains("Caf=C3=A9 =3D 5=E2=82=AC"))
        #expect(lines.contains("Second line"))
    }

    @Test("a subject or a name cannot add a header: line breaks are encoded, never written")
    func noHeaderInjection() throws {
        let lines = lines(of: try message(subject: "Hi\r\nBcc: everyone@example.com", text: "x", name: "Eve\r\nBcc: x@y.example"))
        #expect(!lines.contains { $0.hasPrefix("Bcc:") })
        #expect(lines.contains { $0.hasPrefix("Subject: =?UTF-8?B?") })
    }

    @Test("a non-ASCII subject and name become encoded words; quotes in a name are escaped")
    func encodedWords() throws {
        let lines = lines(of: try message(subject: "Données dues — juillet", text: "x", name: "Zoë \"Z\" Ñ"))
        let subject = try #require(lines.first { $0.hasPrefix("Subject: ") })
        #expect(subject.hasPrefix("Subject: =?UTF-8?B?"))
        let word = subject.dropFirst("Subject: =?UTF-8?B?".count).dropLast(2)
        #expect(Data(base64Encoded: String(word)).map { String(decoding: $0, as: UTF8.self) } == "Données dues — juillet")
        #expect(HeaderText.phrase("O'Brien \"Bob\" \\") == #""O'Brien \"Bob\" \\""#)
    }

    @Test("quoted-printable lines stay within 76 characters and keep no trailing space", arguments: [200, 75, 76, 77])
    func softBreaks(length: Int) {
        let text = String(repeating: "é", count: length / 2) + String(repeating: "a", count: length) + " "
        let encoded = QuotedPrintable.encode(text)
        #expect(encoded.allSatisfy { $0.utf8.count <= 76 })
        #expect(encoded.last?.hasSuffix("=20") == true)
        // Decoding gives the text back.
        var bytes: [UInt8] = []
        for line in encoded {
            var characters = Array(line.utf8)
            let soft = characters.last == UInt8(ascii: "=")
            if soft { characters.removeLast() }
            var index = 0
            while index < characters.count {
                if characters[index] == UInt8(ascii: "="), index + 2 < characters.count + 1,
                    let byte = UInt8(String(decoding: characters[(index + 1)...(index + 2)], as: UTF8.self), radix: 16)
                {
                    bytes.append(byte)
                    index += 3
                } else {
                    bytes.append(characters[index])
                    index += 1
                }
            }
            if !soft { bytes += [10] }
        }
        #expect(String(decoding: bytes.dropLast(), as: UTF8.self) == text)
    }

    @Test("with HTML, a multipart/alternative whose boundary never occurs in the parts")
    func alternative() throws {
        let lines = lines(of: try message(text: "Plain", html: "<p>Rich &amp; =</p>"))
        let type = try #require(lines.first { $0.hasPrefix("Content-Type: multipart/alternative; boundary=\"") })
        let boundary = String(type.split(separator: "\"")[1])
        #expect(lines.filter { $0 == "--\(boundary)" }.count == 2)
        #expect(lines.last { !$0.isEmpty } == "--\(boundary)--")
        #expect(lines.contains("<p>Rich &amp; =3D</p>"))
    }

    @Test(
        "addresses: one @, no space, no angle bracket, ASCII",
        arguments: [
            ("clerk@springfield.example", true), ("a@b", true), ("no-at.example", false), ("two@@example.org", false),
            ("sp ace@example.org", false), ("<x>@example.org", false), ("zoë@example.org", false), ("@example.org", false),
            ("x@", false),
        ]
    )
    func addresses(address: String, valid: Bool) {
        #expect((MailAddress(address) != nil) == valid)
    }

    @Test("DATA: a line starting with a dot gets another, and a lone dot ends it")
    func dotStuffing() {
        let stuffed = Dialogue.dotStuffed(Array("Subject: x\r\n\r\n.hidden\r\n..two\r\nend".utf8))
        #expect(String(decoding: stuffed, as: UTF8.self) == "Subject: x\r\n\r\n..hidden\r\n...two\r\nend\r\n.\r\n")
    }

    @Test("replies: continuation lines make one reply; a line that is no reply ends the conversation")
    func replies() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(SMTPReplyDecoder()))
        try channel.writeInbound(ByteBuffer(string: "250-mail.example\r\n250-STARTTLS\r\n250 AUTH PLAIN LOGIN\r\n220 ready\r\n"))
        let first = try #require(try channel.readInbound(as: SMTPReply.self))
        #expect(first == SMTPReply(code: 250, lines: ["mail.example", "STARTTLS", "AUTH PLAIN LOGIN"]))
        #expect(try channel.readInbound(as: SMTPReply.self) == SMTPReply(code: 220, lines: ["ready"]))
        #expect(throws: SMTPReplyDecoder.Malformed.self) { try channel.writeInbound(ByteBuffer(string: "hello there\r\n")) }
        _ = try? channel.finish()
    }
}
