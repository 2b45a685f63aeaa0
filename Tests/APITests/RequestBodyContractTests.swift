@testable import API
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Testing

/// The OpenAPI document and the Swift request types are one: every documented JSON body has
/// the type `RequestBodies` names, that type decodes an instance holding every documented
/// field, and it reads each of them (spoiling any one makes the decode fail at that field).
@Suite("Request bodies: the document and the Swift types")
struct RequestBodyContractTests {
    /// Every operation of the document with a JSON body, as `METHOD /path`, with its raw
    /// schema (references resolved as they are met).
    static func documentedBodies() throws -> [(operation: String, method: HTTPRequest.Method, path: String, schema: JSONValue)] {
        let root = try JSONDecoder().decode(JSONValue.self, from: OpenAPIDocument.data)
        guard case .object(let paths) = root["paths"] else { return [] }
        var found: [(String, HTTPRequest.Method, String, JSONValue)] = []
        for (path, item) in paths {
            guard case .object(let operations) = item else { continue }
            for (name, operation) in operations {
                guard let method = HTTPRequest.Method(name.uppercased()),
                    let schema = operation["requestBody"]?["content"]?["application/json"]?["schema"]
                else { continue }
                found.append(("\(method.rawValue) \(path)", method, path, schema))
            }
        }
        return found.sorted { $0.0 < $1.0 }
    }

    @Test("every documented JSON body has its Swift type, and every type a documented body")
    func everyBodyHasItsType() throws {
        let documented = Set(try Self.documentedBodies().map(\.operation))
        #expect(documented.count >= 29)
        #expect(Set(RequestBodies.types.keys) == documented)
    }

    @Test("each type decodes a body with every documented field, and reads every one of them")
    func everyDocumentedFieldIsRead() throws {
        let examples = try ExampleBuilder(document: OpenAPIDocument.data)
        for body in try Self.documentedBodies() {
            let type = try #require(RequestBodies.types[body.operation], "\(body.operation) has no Swift type")
            let schema = try #require(OpenAPIContract.bundled.bodySchema(body.method, body.path))
            let example = try examples.example(of: body.schema, at: body.operation)
            let problems = schema.problems(of: example)
            #expect(problems.isEmpty, "the example of \(body.operation) is not valid: \(problems) \(example)")
            do {
                try Self.decode(example, as: type)
            } catch {
                Issue.record("\(type) cannot decode the documented body of \(body.operation): \(error)")
                continue
            }
            let probe = try Self.probe(type, with: example)
            for path in probe.unread {
                Issue.record("\(type) never reads \(path), which the document describes for \(body.operation)")
            }
            for (path, failure) in probe.misplaced {
                Issue.record("spoiling \(path) of \(body.operation) failed elsewhere: at \(failure)")
            }
        }
    }

    struct Partial: Decodable {
        var name: String
        var nested: Inner
        var list: [Inner]

        struct Inner: Decodable {
            var read: Int
        }
    }

    @Test("the probe finds the fields a type never reads, nested and in arrays too")
    func probeFindsUnreadFields() throws {
        let example = JSONValue.object([
            "name": .string("x"), "extra": .integer(1),
            "nested": .object(["read": .integer(1), "unread": .integer(2)]),
            "list": .array([.object(["read": .integer(1), "ignored": .bool(true)])]),
        ])
        let probe = try Self.probe(Partial.self, with: example)
        #expect(probe.unread == ["extra", "list.0.ignored", "nested.unread"])
        #expect(probe.misplaced.isEmpty)
    }

    /// Decodes `example`, then each variant of it with one field spoiled: the fields whose
    /// spoiling the type does not notice, and those whose spoiling fails at another place.
    static func probe<Body: Decodable>(_ type: Body.Type, with example: JSONValue) throws -> (unread: [String], misplaced: [(String, String)]) {
        try decode(example, as: type)
        var unread: [String] = []
        var misplaced: [(String, String)] = []
        for path in fieldPaths(in: example) {
            let name = path.joined(separator: ".")
            do {
                try decode(spoil(example, at: path[...]), as: type)
                unread.append(name)
            } catch let error as DecodingError {
                let failedAt = codingPath(of: error)
                if Array(failedAt.prefix(path.count)) != path { misplaced.append((name, failedAt.joined(separator: "."))) }
            }
        }
        return (unread, misplaced)
    }

    static func decode<Body: Decodable>(_ value: JSONValue, as type: Body.Type) throws {
        _ = try Request.decodeJSON(as: type, from: ByteBuffer(bytes: try JSONEncoder().encode(value)))
    }

    /// The path of every field and array element, outermost first.
    static func fieldPaths(in value: JSONValue, at prefix: [String] = []) -> [[String]] {
        switch value {
        case .object(let members):
            members.keys.sorted().flatMap { key in [prefix + [key]] + fieldPaths(in: members[key] ?? .null, at: prefix + [key]) }
        case .array(let elements):
            elements.indices.flatMap { index in [prefix + ["\(index)"]] + fieldPaths(in: elements[index], at: prefix + ["\(index)"]) }
        default:
            []
        }
    }

    /// `value` with the field at `path` replaced by a value no field's type reads: an object
    /// where a scalar belongs, a string where an object or an array does.
    static func spoil(_ value: JSONValue, at path: ArraySlice<String>) -> JSONValue {
        guard let key = path.first else {
            switch value {
            case .object, .array: return .string("spoiled")
            default: return .object(["spoiled": .bool(true)])
            }
        }
        switch value {
        case .object(var members):
            members[key] = spoil(members[key] ?? .null, at: path.dropFirst())
            return .object(members)
        case .array(var elements):
            if let index = Int(key), elements.indices.contains(index) {
                elements[index] = spoil(elements[index], at: path.dropFirst())
            }
            return .array(elements)
        default:
            return value
        }
    }

    static func codingPath(of error: DecodingError) -> [String] {
        let context: DecodingError.Context? =
            switch error {
            case .typeMismatch(_, let context), .valueNotFound(_, let context), .keyNotFound(_, let context), .dataCorrupted(let context):
                context
            @unknown default:
                nil
            }
        return (context?.codingPath ?? []).map { $0.intValue.map(String.init) ?? $0.stringValue }
    }
}

/// Builds an instance of a schema holding every property it describes, from the schema's
/// own words: an example or a constant, the first allowed value, a format, or a value
/// that its pattern and bounds accept.
struct ExampleBuilder {
    let schemas: [String: JSONValue]

    /// Texts tried, in order, against a string's pattern and length.
    static let candidates = [
        "Public Works", "MA", "USD", "MPMP", "municipality", "STATE_GRANT", "2015-07-01", "clerk@springfield.example",
        "correct horse battery staple",
    ]

    init(document: Data) throws {
        let root = try JSONDecoder().decode(JSONValue.self, from: document)
        guard case .object(let schemas) = root["components"]?["schemas"] else { throw Unbuildable(description: "no schemas") }
        self.schemas = schemas
    }

    struct Unbuildable: Error, CustomStringConvertible {
        let description: String
    }

    func example(of schema: JSONValue, at place: String) throws -> JSONValue {
        if case .string(let reference) = schema["$ref"] {
            let name = String(reference.split(separator: "/").last ?? "")
            guard let target = schemas[name] else { throw Unbuildable(description: "\(place): no schema \(name)") }
            return try example(of: target, at: place)
        }
        if case .array(let examples) = schema["examples"], let first = examples.first { return first }
        if let constant = schema["const"] { return constant }
        if case .array(let allowed) = schema["enum"], let first = allowed.first(where: { $0 != .null }) { return first }
        if case .array(let choices) = schema["anyOf"] ?? schema["oneOf"] {
            // The last choice is the widest (a quantity's is any number in range).
            guard let choice = choices.last else { throw Unbuildable(description: "\(place): an empty anyOf") }
            return try example(of: choice, at: place)
        }
        let types: [String] =
            switch schema["type"] {
            case .string(let type): [type]
            case .array(let list): list.compactMap { if case .string(let type) = $0 { type } else { nil } }
            default: ["object"]
            }
        switch types.first(where: { $0 != "null" }) ?? "null" {
        case "object":
            guard case .object(let properties) = schema["properties"] else { return .object([:]) }
            var members: [String: JSONValue] = [:]
            for (name, property) in properties {
                members[name] = try example(of: property, at: "\(place).\(name)")
            }
            return .object(members)
        case "array":
            let count = max(1, Int(schema["minItems"]?.numericValue ?? 1))
            let items = schema["items"] ?? .object([:])
            var elements = try (0..<count).map { _ in try example(of: items, at: "\(place)[]") }
            // An item the array must contain: the first, with the contained schema's fields.
            if let contained = schema["contains"], case .object(var first) = elements[0],
                case .object(let required) = try example(of: contained, at: "\(place)[]")
            {
                first.merge(required) { _, new in new }
                elements[0] = .object(first)
            }
            return .array(elements)
        case "string":
            return .string(try text(for: schema, at: place))
        case "integer":
            return .integer(Int64(Self.number(in: schema)))
        case "number":
            return .number(Self.number(in: schema))
        case "boolean":
            return .bool(true)
        default:
            return .null
        }
    }

    /// 1 when the bounds allow it, else the nearest bound.
    static func number(in schema: JSONValue) -> Double {
        let minimum = schema["minimum"]?.numericValue ?? -Double.greatestFiniteMagnitude
        let maximum = schema["maximum"]?.numericValue ?? Double.greatestFiniteMagnitude
        return Swift.min(Swift.max(1, minimum), maximum)
    }

    func text(for schema: JSONValue, at place: String) throws -> String {
        switch schema["format"] {
        case .string("uuid"): return "3f2c6a0e-8d1b-4c55-9e0a-2b7d4f6c1a90"
        case .string("date"): return "2015-07-01"
        case .string("email"): return "clerk@springfield.example"
        default: break
        }
        let minimum = Int(schema["minLength"]?.numericValue ?? 0)
        let maximum = Int(schema["maxLength"]?.numericValue ?? 1e9)
        let fits = Self.candidates.filter { (minimum...maximum).contains($0.unicodeScalars.count) }
        guard case .string(let pattern) = schema["pattern"] else {
            guard let text = fits.first else { throw Unbuildable(description: "\(place): no text of \(minimum) to \(maximum) characters") }
            return text
        }
        let expression = try NSRegularExpression(pattern: pattern)
        let matching = fits.first { candidate in
            expression.firstMatch(in: candidate, range: NSRange(candidate.startIndex..., in: candidate)) != nil
        }
        guard let matching else { throw Unbuildable(description: "\(place): no example text matches \(pattern)") }
        return matching
    }
}

extension JSONValue: Encodable {
    subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { members[key] } else { nil }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .integer(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let elements): try container.encode(elements)
        case .object(let members): try container.encode(members)
        }
    }
}
