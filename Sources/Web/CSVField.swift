import Foundation
import Hummingbird
import NIOCore

/// A CSV field as spreadsheets read it: quoted when it holds a comma, a quote or a line
/// break; a leading `=`, `+`, `-` or `@` that is not a number is defused, so that no
/// spreadsheet runs it as a formula (CSV injection).
enum CSVField {
    static func escape(_ text: String) -> String {
        var field = text
        if let first = field.first, "=+-@".contains(first), Double(field) == nil { field = "'" + field }
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// One record: the fields escaped and joined by commas.
    static func line(_ fields: [String]) -> String {
        fields.map(escape).joined(separator: ",")
    }

    /// A download of `lines` (header first), CRLF-terminated as RFC 4180 says.
    static func response(_ lines: [String], filename: String) -> Response {
        var response = Response(
            status: .ok,
            headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(filename)\""],
            body: .init(byteBuffer: ByteBuffer(string: lines.joined(separator: "\r\n") + "\r\n"))
        )
        Pages.secure(&response.headers)
        return response
    }
}
