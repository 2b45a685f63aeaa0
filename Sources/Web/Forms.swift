import Crypto
import Foundation
import Hummingbird
import Services

/// A submitted form (`application/x-www-form-urlencoded`), at most 64 KiB.
struct Form: Sendable {
    let values: [String: String]

    subscript(name: String) -> String? { values[name] }

    static func read(_ request: Request, context: some RequestContext) async throws -> Form {
        guard request.headers[.contentType]?.lowercased().hasPrefix("application/x-www-form-urlencoded") == true else {
            return Form(values: [:])
        }
        let buffer = try await request.body.collect(upTo: 64 * 1024)
        return Form(values: parse(String(buffer: buffer)))
    }

    /// `a=1&b=x+y%21` → ["a": "1", "b": "x y!"]; the first of repeated names counts.
    static func parse(_ text: String) -> [String: String] {
        var values: [String: String] = [:]
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ part: Substring) -> String {
                String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            let name = decode(parts[0])
            if values[name] == nil { values[name] = parts.count > 1 ? decode(parts[1]) : "" }
        }
        return values
    }
}

/// A form field as the templates draw it: a label, the input, a hint, and its error beside
/// it (`aria-describedby`, `aria-invalid`).
struct Field {
    var name: String
    var label: String
    var type = "text"
    var value = ""
    var autocomplete: String?
    var hint: String?
    var error: String?
    var required = true
    /// Told apart from the same field of another form on the page.
    var idSuffix = ""
    /// A choice among these (value, label) instead of free text.
    var options: [(value: String, label: String)] = []

    var id: String { "field-\(name)\(idSuffix)" }

    var values: [String: Any] {
        var values: [String: Any] = ["name": name, "id": id, "label": label, "type": type, "value": value, "required": required]
        if let autocomplete { values["autocomplete"] = autocomplete }
        if !options.isEmpty {
            values["isSelect"] = true
            values["options"] = options.map { ["value": $0.value, "label": $0.label, "selected": $0.value == value] }
        }
        var described: [String] = []
        if let hint {
            values["hint"] = hint
            described.append("\(id)-hint")
        }
        if let error {
            values["error"] = error
            described.append("\(id)-error")
        }
        if !described.isEmpty { values["describedBy"] = described.joined(separator: " ") }
        return values
    }

    /// The fields with the errors of `failures` set beside them; errors for fields not on
    /// the form come back as general ones.
    static func placing(_ failures: [FieldError], on fields: inout [Field]) -> [String] {
        var general: [String] = []
        for failure in failures {
            if let index = fields.firstIndex(where: { $0.name == failure.field }) {
                fields[index].error = fields[index].error.map { "\($0); \(failure.reason)" } ?? Self.sentence(failure.reason, field: fields[index].label)
            } else {
                general.append("\(failure.field) \(failure.reason)")
            }
        }
        return general
    }

    /// "must be 8 to 1,024 characters long" beside "New password" reads "New password must be…".
    static func sentence(_ reason: String, field label: String) -> String {
        "\(label) \(reason)."
    }
}

extension Form {
    /// A money form's `Idempotency-Key`: the random `key` its page drew (a UUID), and what
    /// makes two submissions the same (the action and every other field). A form sent twice
    /// (a double click, a reload after the answer was lost) is done once.
    func idempotency(action: String) -> IdempotencyKey? {
        guard let key = self["key"], UUID(uuidString: key) != nil else { return nil }
        var hasher = SHA256()
        hasher.update(data: Data("POST \(action)\n".utf8))
        for (name, value) in values.sorted(by: { $0.key < $1.key }) where name != "csrf" && name != "key" {
            hasher.update(data: Data("\(name)=\(value)\n".utf8))
        }
        let fingerprint = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        return IdempotencyKey(key: "console-\(key.lowercased())", fingerprint: fingerprint)
    }
}
