import Foundation

/// One schema of the OpenAPI document, compiled for checking request bodies: the part of
/// JSON Schema 2020-12 the document uses (types, properties, required, additional
/// properties, lengths, patterns, enumerations, ranges, array sizes and prefix items).
/// Formats (uuid, date, e-mail) are left to decoding, which names the field as well.
final class BodySchema: Sendable {
    let types: [String]
    let properties: [String: BodySchema]
    let required: [String]
    /// nil: any; a schema: each additional property's; `.closed`: none allowed.
    let additionalProperties: Additional
    let minLength: Int?
    let maxLength: Int?
    let pattern: (source: String, expression: NSRegularExpression)?
    let allowedValues: [JSONValue]?
    let minimum: Double?
    let maximum: Double?
    let minItems: Int?
    let maxItems: Int?
    let prefixItems: [BodySchema]
    let items: BodySchema?
    /// At least one item must be an instance of it.
    let contains: BodySchema?
    /// `if`, `then`, `else`: a rule that holds when another does (a department head's
    /// invitation names the department).
    let condition: BodySchema?
    let consequence: BodySchema?
    let alternative: BodySchema?
    /// `anyOf`: an instance of at least one of them.
    let choices: [BodySchema]
    let summaryText: String?

    enum Additional: Sendable {
        case open
        case closed
        case schema(BodySchema)
    }

    struct Invalid: Error, CustomStringConvertible {
        let description: String
    }

    /// Compiles `node`; `resolve` answers a `$ref`.
    static func compile(_ node: [String: Any], resolve: (String) throws -> [String: Any]) throws -> BodySchema {
        var node = node
        var hops = 0
        while let reference = node["$ref"] as? String {
            hops += 1
            guard hops <= 16 else { throw Invalid(description: "\(reference) refers in a circle") }
            node = try resolve(reference)
        }
        return try BodySchema(resolved: node, resolve: resolve)
    }

    private init(resolved node: [String: Any], resolve: (String) throws -> [String: Any]) throws {
        switch node["type"] {
        case let type as String: types = [type]
        case let list as [String]: types = list
        default: types = []
        }
        var properties: [String: BodySchema] = [:]
        for (name, value) in node["properties"] as? [String: Any] ?? [:] {
            guard let child = value as? [String: Any] else { throw Invalid(description: "property \(name) is not a schema") }
            properties[name] = try BodySchema.compile(child, resolve: resolve)
        }
        self.properties = properties
        required = node["required"] as? [String] ?? []
        switch node["additionalProperties"] {
        case let allowed as Bool: additionalProperties = allowed ? .open : .closed
        case let schema as [String: Any]: additionalProperties = .schema(try BodySchema.compile(schema, resolve: resolve))
        default: additionalProperties = .open
        }
        minLength = node["minLength"] as? Int
        maxLength = node["maxLength"] as? Int
        if let source = node["pattern"] as? String {
            pattern = (source, try NSRegularExpression(pattern: source))
        } else {
            pattern = nil
        }
        if let constant = node["const"] {
            allowedValues = Self.value(constant).map { [$0] }
        } else {
            allowedValues = (node["enum"] as? [Any]).map { $0.compactMap(Self.value) }
        }
        minimum = (node["minimum"] as? NSNumber)?.doubleValue
        maximum = (node["maximum"] as? NSNumber)?.doubleValue
        minItems = node["minItems"] as? Int
        maxItems = node["maxItems"] as? Int
        prefixItems = try (node["prefixItems"] as? [[String: Any]] ?? []).map { try BodySchema.compile($0, resolve: resolve) }
        items = try (node["items"] as? [String: Any]).map { try BodySchema.compile($0, resolve: resolve) }
        contains = try (node["contains"] as? [String: Any]).map { try BodySchema.compile($0, resolve: resolve) }
        condition = try (node["if"] as? [String: Any]).map { try BodySchema.compile($0, resolve: resolve) }
        consequence = try (node["then"] as? [String: Any]).map { try BodySchema.compile($0, resolve: resolve) }
        alternative = try (node["else"] as? [String: Any]).map { try BodySchema.compile($0, resolve: resolve) }
        choices = try (node["anyOf"] as? [[String: Any]] ?? []).map { try BodySchema.compile($0, resolve: resolve) }
        summaryText = node["description"] as? String
    }

    /// JSON's equality: numbers by value (0 and 0.0 are the same).
    private static func same(_ lhs: JSONValue, _ rhs: JSONValue) -> Bool {
        if let left = lhs.numericValue, let right = rhs.numericValue { return left == right }
        return lhs == rhs
    }

    private static func value(_ any: Any) -> JSONValue? {
        switch any {
        case let text as String: .string(text)
        case let number as Int: .integer(Int64(number))
        default: nil
        }
    }

    /// What is wrong with `value`, each with the field's path (`tiers[0].minimumSize`);
    /// empty when it is an instance of this schema.
    func problems(of value: JSONValue, at path: String = "") -> [Problem.FieldError] {
        let field = path.isEmpty ? "body" : path
        if !types.isEmpty, !types.contains(where: value.isInstance(of:)) {
            return [.init(field: field, reason: "must be \(Self.describe(types))")]
        }
        if !choices.isEmpty, !choices.contains(where: { $0.problems(of: value, at: path).isEmpty }) {
            return [.init(field: field, reason: "must be \(summaryText.map { $0.prefix(1).lowercased() + $0.dropFirst() } ?? "of a documented form")")]
        }
        if let allowedValues, !allowedValues.contains(where: { Self.same($0, value) }) {
            let names = allowedValues.compactMap { if case .string(let text) = $0 { text } else { nil } }
            return [.init(field: field, reason: "must be one of: \(names.joined(separator: ", "))")]
        }
        let own = ownProblems(of: value, at: path, field: field)
        guard own.isEmpty, let condition else { return own }
        let branch = condition.problems(of: value, at: path).isEmpty ? consequence : alternative
        return branch?.problems(of: value, at: path) ?? []
    }

    private func ownProblems(of value: JSONValue, at path: String, field: String) -> [Problem.FieldError] {
        switch value {
        case .string(let text):
            return problems(ofText: text, field: field)
        case .integer, .number:
            return problems(ofNumber: value.numericValue ?? 0, field: field)
        case .array(let elements):
            return problems(ofArray: elements, at: path, field: field)
        case .object(let members):
            return problems(ofObject: members, at: path)
        case .null, .bool:
            return []
        }
    }

    private func problems(ofText text: String, field: String) -> [Problem.FieldError] {
        // JSON Schema counts characters as code points, as PostgreSQL's length() does.
        let length = text.unicodeScalars.count
        if let minLength, length < minLength {
            return [.init(field: field, reason: minLength == 1 ? "must not be empty" : "must be at least \(minLength) characters long")]
        }
        if let maxLength, length > maxLength {
            return [.init(field: field, reason: "must be at most \(maxLength) characters long")]
        }
        if let pattern {
            let range = NSRange(text.startIndex..<text.endIndex, in: text)
            if pattern.expression.firstMatch(in: text, range: range) == nil {
                return [.init(field: field, reason: "does not have the form the API documents (pattern \(pattern.source))")]
            }
        }
        return []
    }

    private func problems(ofNumber number: Double, field: String) -> [Problem.FieldError] {
        if let minimum, number < minimum {
            return [.init(field: field, reason: "must be at least \(Self.format(minimum))")]
        }
        if let maximum, number > maximum {
            return [.init(field: field, reason: "must be at most \(Self.format(maximum))")]
        }
        return []
    }

    private func problems(ofArray elements: [JSONValue], at path: String, field: String) -> [Problem.FieldError] {
        if let minItems, elements.count < minItems {
            return [.init(field: field, reason: "must have at least \(minItems) item\(minItems == 1 ? "" : "s")")]
        }
        if let maxItems, elements.count > maxItems {
            return [.init(field: field, reason: "must have at most \(maxItems) items")]
        }
        var found: [Problem.FieldError] = []
        for (index, element) in elements.enumerated() {
            let schema = index < prefixItems.count ? prefixItems[index] : items
            found += schema?.problems(of: element, at: "\(path.isEmpty ? "body" : path)[\(index)]") ?? []
        }
        if let contains, found.isEmpty, !elements.contains(where: { contains.problems(of: $0).isEmpty }) {
            found.append(.init(field: field, reason: "must contain an item that \(contains.summary)"))
        }
        return found
    }

    private func problems(ofObject members: [String: JSONValue], at path: String) -> [Problem.FieldError] {
        func child(_ name: String) -> String { path.isEmpty ? name : "\(path).\(name)" }
        var found: [Problem.FieldError] = []
        for name in required where members[name] == nil {
            found.append(.init(field: child(name), reason: "is required"))
        }
        for (name, member) in members.sorted(by: { $0.key < $1.key }) {
            if let schema = properties[name] {
                found += schema.problems(of: member, at: child(name))
                continue
            }
            switch additionalProperties {
            case .open: break
            case .closed: found.append(.init(field: child(name), reason: "is not a field of this body"))
            case .schema(let schema): found += schema.problems(of: member, at: child(name))
            }
        }
        return found
    }

    /// What an instance of this schema is, in words, for `contains`: its constant fields.
    var summary: String {
        let constants = properties.sorted { $0.key < $1.key }.compactMap { name, schema -> String? in
            guard let values = schema.allowedValues, values.count == 1, case .integer(let value) = values[0] else { return nil }
            return "has \(name) \(value)"
        }
        return constants.isEmpty ? "matches the documented form" : constants.joined(separator: " and ")
    }

    private static func describe(_ types: [String]) -> String {
        let words = types.map { type in
            switch type {
            case "integer": "a whole number"
            case "number": "a number"
            case "string": "a string"
            case "boolean": "true or false"
            case "array": "an array"
            case "object": "an object"
            case "null": "null"
            default: type
            }
        }
        return words.joined(separator: " or ")
    }

    private static func format(_ number: Double) -> String {
        number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : String(number)
    }
}
