import Foundation
import Storage

/// A mail written once and rendered twice (DESIGN §12): as plain text, and as an HTML
/// alternative in which every value (a name, an address, a measure, a link) is escaped.
struct MailContent: Sendable {
    enum Block: Sendable {
        /// A paragraph of text.
        case paragraph(String)
        /// A link on a line of its own: its label, then the address.
        case link(String, url: String)
        /// A heading of a section.
        case heading(String)
        /// A bulleted list.
        case list([String])
        /// Labelled values, one a line (an invoice's figures).
        case facts([(label: String, value: String)])
        /// A table: a header row and rows of the same width; numbers right-aligned where
        /// `numeric` says so.
        case table(header: [String], rows: [[String]], numeric: Set<Int> = [])
    }

    var subject: String
    var blocks: [Block]

    /// The plain-text body: blocks apart by a blank line, a link's address on its own line
    /// (mail programs make it clickable), tables in aligned columns.
    var text: String {
        blocks.map(Self.text).joined(separator: "\n\n") + "\n"
    }

    /// The HTML alternative: a small document, readable without its styles.
    var html: String {
        let body = blocks.map(Self.html).joined(separator: "\n")
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>\(HTMLText.escape(subject))</title></head>
            <body style="font-family: system-ui, sans-serif; line-height: 1.5; color: #1a1a1a; max-width: 40em;">
            \(body)
            </body>
            </html>

            """
    }

    func entry(to recipient: String, kind: String) -> OutboxEntry {
        OutboxEntry(recipient: recipient, subject: subject, text: text, html: html, kind: kind)
    }

    static func text(_ block: Block) -> String {
        switch block {
        case .paragraph(let text): return wrapped(text)
        case .link(let label, let url): return "\(wrapped(label)):\n\(url)"
        case .heading(let text): return "\(text)\n\(String(repeating: "-", count: min(text.count, 72)))"
        case .list(let items): return items.map { "- \($0)" }.joined(separator: "\n")
        case .facts(let facts):
            let width = facts.map(\.label.count).max() ?? 0
            return facts.map { $0.label + ":" + String(repeating: " ", count: width - $0.label.count + 2) + $0.value }
                .joined(separator: "\n")
        case .table(let header, let rows, let numeric):
            let all = [header] + rows
            let widths = header.indices.map { column in all.map { $0.indices.contains(column) ? $0[column].count : 0 }.max() ?? 0 }
            func line(_ cells: [String]) -> String {
                header.indices.map { column in
                    let cell = cells.indices.contains(column) ? cells[column] : ""
                    let padding = String(repeating: " ", count: max(widths[column] - cell.count, 0))
                    return numeric.contains(column) ? padding + cell : cell + padding
                }
                .joined(separator: "  ")
                .replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
            }
            return ([line(header)] + rows.map(line)).joined(separator: "\n")
        }
    }

    /// Lines of at most `width` characters, broken between words (a longer word keeps its
    /// own line); the text's own line breaks stay.
    static func wrapped(_ text: String, width: Int = 72) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            var lines: [String] = []
            var current = ""
            for word in line.split(separator: " ") {
                if !current.isEmpty, current.count + 1 + word.count > width {
                    lines.append(current)
                    current = ""
                }
                current += current.isEmpty ? String(word) : " \(word)"
            }
            lines.append(current)
            return lines.joined(separator: "\n")
        }
        .joined(separator: "\n")
    }

    static func html(_ block: Block) -> String {
        switch block {
        case .paragraph(let text):
            return "<p>\(HTMLText.escape(text).replacingOccurrences(of: "\n", with: "<br>"))</p>"
        case .link(let label, let url):
            return "<p><a href=\"\(HTMLText.escape(url))\">\(HTMLText.escape(label))</a></p>"
        case .heading(let text):
            return "<h2 style=\"font-size: 1.15em;\">\(HTMLText.escape(text))</h2>"
        case .list(let items):
            return "<ul>" + items.map { "<li>\(HTMLText.escape($0))</li>" }.joined() + "</ul>"
        case .facts(let facts):
            let rows = facts.map {
                "<tr><th scope=\"row\" style=\"text-align: left; padding-right: 1em;\">\(HTMLText.escape($0.label))</th>"
                    + "<td>\(HTMLText.escape($0.value))</td></tr>"
            }
            return "<table cellpadding=\"4\"><tbody>" + rows.joined() + "</tbody></table>"
        case .table(let header, let rows, let numeric):
            func align(_ column: Int) -> String { numeric.contains(column) ? " style=\"text-align: right;\"" : "" }
            let head = header.enumerated().map { "<th scope=\"col\"\(align($0.offset))>\(HTMLText.escape($0.element))</th>" }.joined()
            let body = rows.map { row in
                "<tr>" + row.enumerated().map { "<td\(align($0.offset))>\(HTMLText.escape($0.element))</td>" }.joined() + "</tr>"
            }
            return "<table style=\"border-collapse: collapse;\" cellpadding=\"4\"><thead><tr>\(head)</tr></thead><tbody>"
                + body.joined() + "</tbody></table>"
        }
    }
}

/// Text made safe to put in HTML, in an element or a quoted attribute.
enum HTMLText {
    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return escaped
    }
}
