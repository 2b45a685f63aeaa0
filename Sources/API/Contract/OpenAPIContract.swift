import Foundation
import HTTPTypes

/// What the OpenAPI document promises, read from the document itself: the request body
/// schemas the server checks at the door, and the methods of each path. The document is
/// the one source: a body the document calls invalid is refused before any Swift type
/// decodes it, and a method it does not list on a path answers 405 with `Allow`.
struct OpenAPIContract: Sendable {
    /// Per path template (`/v1/tenants/{t}`) and method, the JSON body's schema.
    let bodies: [String: [HTTPRequest.Method: BodySchema]]
    /// Per path template, the methods the document lists.
    let methods: [String: [HTTPRequest.Method]]
    /// Path templates split into segments, for matching a request's path.
    private let templates: [(template: String, segments: [Substring])]

    /// The contract of the bundled document.
    static let bundled: OpenAPIContract = {
        do {
            return try OpenAPIContract(document: OpenAPIDocument.data)
        } catch {
            // The document is part of this build and a test compiles it; a broken one
            // leaves the door open rather than the service down.
            return OpenAPIContract(bodies: [:], methods: [:])
        }
    }()

    init(bodies: [String: [HTTPRequest.Method: BodySchema]], methods: [String: [HTTPRequest.Method]]) {
        self.bodies = bodies
        self.methods = methods
        // A literal segment wins over a parameter: `/v1/tenants/{t}` does not shadow a
        // sibling written out in full.
        func parameters(_ template: String) -> Int { template.split(separator: "/").filter { $0.first == "{" }.count }
        self.templates = methods.keys.sorted { (parameters($0), $0) < (parameters($1), $1) }.map { ($0, $0.split(separator: "/")) }
    }

    init(document: Data) throws {
        guard let root = try JSONSerialization.jsonObject(with: document) as? [String: Any],
            let paths = root["paths"] as? [String: [String: Any]]
        else {
            throw BodySchema.Invalid(description: "the document has no paths")
        }
        let schemas = (root["components"] as? [String: Any])?["schemas"] as? [String: Any] ?? [:]
        func resolve(_ reference: String) throws -> [String: Any] {
            let prefix = "#/components/schemas/"
            guard reference.hasPrefix(prefix), let schema = schemas[String(reference.dropFirst(prefix.count))] as? [String: Any] else {
                throw BodySchema.Invalid(description: "unresolvable \(reference)")
            }
            return schema
        }
        var bodies: [String: [HTTPRequest.Method: BodySchema]] = [:]
        var methods: [String: [HTTPRequest.Method]] = [:]
        for (path, item) in paths {
            for (name, value) in item {
                guard let method = HTTPRequest.Method(name.uppercased()), let operation = value as? [String: Any] else { continue }
                methods[path, default: []].append(method)
                let content = (operation["requestBody"] as? [String: Any])?["content"] as? [String: Any]
                if let json = (content?["application/json"] as? [String: Any])?["schema"] as? [String: Any] {
                    bodies[path, default: [:]][method] = try BodySchema.compile(json, resolve: resolve)
                }
            }
        }
        self.init(bodies: bodies, methods: methods.mapValues { $0.sorted { $0.rawValue < $1.rawValue } })
    }

    /// The schema of the JSON body of `method` on the route `template`.
    func bodySchema(_ method: HTTPRequest.Method, _ template: String) -> BodySchema? {
        bodies[template]?[method]
    }

    /// The methods the document lists for the path `path` (a request's, not a template),
    /// or nil when no documented path matches it.
    func methods(matching path: String) -> [HTTPRequest.Method]? {
        let segments = path.split(separator: "/")
        for (template, parts) in templates where parts.count == segments.count {
            let matches = zip(parts, segments).allSatisfy { part, segment in
                (part.first == "{" && part.last == "}") || part == segment
            }
            if matches { return methods[template] }
        }
        return nil
    }
}
