import Foundation

/// A mail as it leaves us: plain text with an optional HTML alternative, in UTF-8.
///
/// `rendered()` writes it as RFC 5322 and MIME: every header value checked or encoded (a
/// name or subject cannot add a header), bodies in quoted-printable with CRLF line ends.
/// The `Message-ID` is the caller's: the same message sent again carries the same id, so
/// that a retry after an unknown outcome is recognisable.
public struct MailMessage: Sendable, Hashable {
    /// The id without angle brackets, such as `3f2c…@mpmp.example`.
    public var id: String
    public var from: MailAddress
    public var to: [MailAddress]
    public var subject: String
    public var text: String
    public var html: String?
    public var date: Date

    public init(id: String, from: MailAddress, to: [MailAddress], subject: String, text: String, html: String? = nil, date: Date) {
        self.id = id
        self.from = from
        self.to = to
        self.subject = subject
        self.text = text
        self.html = html
        self.date = date
    }

    /// The message's bytes, lines ending in CRLF (dot-stuffing is the transport's).
    public func rendered() -> [UInt8] {
        var lines: [String] = [
            "Date: \(Self.dateText(date))",
            "From: \(from.headerText)",
            "To: \(to.map(\.headerText).joined(separator: ", "))",
            "Subject: \(HeaderText.encoded(subject))",
            "Message-ID: <\(Self.safeID(id))>",
            "MIME-Version: 1.0",
        ]
        if let html {
            let boundary = "=_mpmp_\(Self.safeID(id).utf8.reduce(into: UInt64(14_695_981_039_346_656_037)) { $0 = ($0 ^ UInt64($1)) &* 1_099_511_628_211 })"
            lines += [
                "Content-Type: multipart/alternative; boundary=\"\(boundary)\"",
                "",
                "This is a message in plain text and HTML.",
                "--\(boundary)",
            ]
            lines += Self.part(text, type: "text/plain")
            lines.append("--\(boundary)")
            lines += Self.part(html, type: "text/html")
            lines.append("--\(boundary)--")
        } else {
            lines += Self.part(text, type: "text/plain")
        }
        return Array(lines.joined(separator: "\r\n").utf8) + [13, 10]
    }

    static func part(_ body: String, type: String) -> [String] {
        ["Content-Type: \(type); charset=utf-8", "Content-Transfer-Encoding: quoted-printable", ""]
            + QuotedPrintable.encode(body)
    }

    /// An id keeps to the characters of a dot-atom: anything else becomes `_`.
    static func safeID(_ id: String) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_@+=")
        let cleaned = String(id.map { allowed.contains($0) ? $0 : "_" })
        return cleaned.isEmpty ? "message@mpmp" : cleaned
    }

    /// RFC 5322's date, in UTC: `Tue, 01 Dec 2026 01:40:00 +0000`.
    static func dateText(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int?) -> String { String(format: "%02d", value ?? 0) }
        let weekday = days[((parts.weekday ?? 1) - 1) % 7]
        let month = months[((parts.month ?? 1) - 1) % 12]
        return "\(weekday), \(two(parts.day)) \(month) \(parts.year ?? 1970) \(two(parts.hour)):\(two(parts.minute)):\(two(parts.second)) +0000"
    }
}

/// An address with an optional display name. The address is checked (one `@`, no space or
/// control character, ASCII, at most 254 bytes): it goes into the SMTP envelope as it is.
public struct MailAddress: Sendable, Hashable {
    public let address: String
    public let name: String?

    public init?(_ address: String, name: String? = nil) {
        let bytes = Array(address.utf8)
        guard (3...254).contains(bytes.count), bytes.allSatisfy({ $0 > 32 && $0 < 127 && $0 != UInt8(ascii: "<") && $0 != UInt8(ascii: ">") }),
            bytes.filter({ $0 == UInt8(ascii: "@") }).count == 1, bytes.first != UInt8(ascii: "@"), bytes.last != UInt8(ascii: "@")
        else { return nil }
        self.address = address
        self.name = name.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// `"Name" <address>`, the name quoted or encoded.
    var headerText: String {
        guard let name else { return "<\(address)>" }
        return "\(HeaderText.phrase(name)) <\(address)>"
    }
}

/// Header values that cannot break out of their header.
enum HeaderText {
    /// ASCII text without control characters stays as it is; anything else becomes RFC 2047
    /// encoded words (UTF-8, base64), each under 76 characters, split between characters.
    static func encoded(_ text: String) -> String {
        if text.unicodeScalars.allSatisfy({ $0.value >= 32 && $0.value < 127 }) { return text }
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in text {
            // Control characters (a CR or LF above all) become spaces.
            let bytes = Array((character.unicodeScalars.allSatisfy { $0.value >= 32 } ? String(character) : " ").utf8)
            if chunk.count + bytes.count > 45 {
                words.append("=?UTF-8?B?\(Data(chunk).base64EncodedString())?=")
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append("=?UTF-8?B?\(Data(chunk).base64EncodedString())?=") }
        return words.joined(separator: "\r\n ")
    }

    /// A display name: a quoted string when it is printable ASCII, else encoded words.
    static func phrase(_ name: String) -> String {
        guard name.unicodeScalars.allSatisfy({ $0.value >= 32 && $0.value < 127 }) else { return encoded(name) }
        let escaped = name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return "\"\(escaped)\""
    }
}

/// Quoted-printable (RFC 2045) of UTF-8 text: lines of at most 76 characters, soft breaks
/// (`=`) inside long lines, `=`, bytes above 126 and trailing white space escaped.
enum QuotedPrintable {
    static func encode(_ text: String) -> [String] {
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        var output: [String] = []
        for line in normalized.split(separator: "\n", omittingEmptySubsequences: false) {
            let bytes = Array(line.utf8)
            var current = ""
            for (index, byte) in bytes.enumerated() {
                let isLast = index == bytes.count - 1
                let plain = (byte >= 33 && byte <= 126 && byte != UInt8(ascii: "=")) || ((byte == 32 || byte == 9) && !isLast)
                let piece = plain ? String(UnicodeScalar(byte)) : String(format: "=%02X", byte)
                if current.utf8.count + piece.utf8.count > 75 {
                    output.append(current + "=")
                    current = ""
                }
                current += piece
            }
            output.append(current)
        }
        return output
    }
}
