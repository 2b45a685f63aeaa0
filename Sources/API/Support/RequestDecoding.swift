import Foundation
import Hummingbird
import NIOCore

extension Request {
    /// Decodes a JSON body, refusing other media types with 415, bodies above the context's
    /// limit with 413 and bodies the document calls invalid with 422 (`collectJSONBody`);
    /// what still fails to decode becomes a 400 naming the field.
    func decodeJSON<Body: Decodable>(as type: Body.Type, context: some RequestContext) async throws -> Body {
        let buffer = try await collectJSONBody(context: context)
        return try decodeJSON(as: type, from: buffer, context: context)
    }

    /// Decodes the bytes of `collectJSONBody` as `type`, which must be the type
    /// `RequestBodies` names for this route's operation (otherwise `RequestBodies.Mismatch`).
    func decodeJSON<Body: Decodable>(as type: Body.Type, from buffer: ByteBuffer, context: some RequestContext) throws -> Body {
        if let template = context.endpointPath {
            let documented = RequestBodies.type(method, template)
            guard let documented, ObjectIdentifier(documented) == ObjectIdentifier(type) else {
                throw RequestBodies.Mismatch(
                    operation: "\(method.rawValue) \(template)", decoded: String(describing: type),
                    documented: documented.map { String(describing: $0) } ?? "no type"
                )
            }
        }
        return try Self.decodeJSON(as: type, from: buffer)
    }

    /// The body's bytes, refusing other media types with 415 and bodies above the
    /// context's limit with 413 (for requests whose bytes are hashed as well as decoded),
    /// and a body the OpenAPI document calls invalid with 422 naming each field: the
    /// document's schema is the door's one rule for the body's shape.
    func collectJSONBody(context: some RequestContext) async throws -> ByteBuffer {
        if let contentType = headers[.contentType], !contentType.lowercased().hasPrefix("application/json") {
            throw Problem(.unsupportedMediaType, detail: "Send the body as application/json.")
        }
        let buffer = try await body.collect(upTo: context.maxUploadSize)
        if buffer.readableBytes > 0, let template = context.endpointPath,
            let schema = OpenAPIContract.bundled.bodySchema(method, template)
        {
            try Self.check(buffer, against: schema)
        }
        return buffer
    }

    /// Refuses a body that is not an instance of `schema` (422, every field named).
    static func check(_ buffer: ByteBuffer, against schema: BodySchema) throws {
        try rejectNUL(in: buffer)
        let value = try JSONDecoder().decode(JSONValue.self, from: Data(buffer.readableBytesView))
        let problems = schema.problems(of: value)
        if !problems.isEmpty {
            throw Problem.validation(problems)
        }
    }

    /// Decodes JSON bytes; DecodingError reaches ProblemMiddleware, which names the field.
    /// Text with a NUL character is refused: PostgreSQL cannot store it.
    static func decodeJSON<Body: Decodable>(as type: Body.Type, from buffer: ByteBuffer) throws -> Body {
        try rejectNUL(in: buffer)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(Body.self, from: Data(buffer.readableBytesView))
    }

    /// Text with a NUL character is refused: PostgreSQL cannot store it (the document's
    /// text patterns exclude it too).
    static func rejectNUL(in buffer: ByteBuffer) throws {
        if buffer.readableBytesView.firstRange(of: Array(#"\u0000"#.utf8)) != nil {
            throw Problem.badRequest(field: "body", reason: "text must not contain NUL characters (\\u0000)")
        }
    }

    /// A UUID path parameter, or a 404: an id that cannot exist names nothing.
    func uuidParameter(_ name: String, context: some RequestContext) throws -> UUID {
        guard let text = context.parameters.get(name), let id = UUID(uuidString: text) else {
            throw Problem.notFound()
        }
        return id
    }
}

/// A page of a list, and the cursor of the next page (absent on the last page).
struct Page<Item: Encodable & Sendable>: ResponseEncodable, Sendable {
    var items: [Item]
    var nextCursor: String?
}

/// `limit` (1 to 100, default 50) and an opaque `cursor` from a previous page.
struct PageRequest {
    static let maximumLimit = 100

    var limit: Int
    var cursor: String?

    init(_ request: Request) throws {
        let query = request.uri.queryParameters
        if let text = query["limit"].map(String.init) {
            guard let limit = Int(text), (1...Self.maximumLimit).contains(limit) else {
                throw Problem.badRequest(field: "limit", reason: "must be a whole number from 1 to \(Self.maximumLimit)")
            }
            self.limit = limit
        } else {
            self.limit = 50
        }
        if let text = query["cursor"].map(String.init) {
            guard (1...512).contains(text.utf8.count), text.utf8.allSatisfy(Cursor.isCursorByte) else {
                throw Problem.badRequest(field: "cursor", reason: "must be 1 to 512 letters, digits, - and _ (a nextCursor)")
            }
            guard let decoded = Cursor.decode(text) else { throw Cursor.noSuchPage }
            self.cursor = decoded
        }
    }

    /// A page of a short list read whole (meetings, action items, grants, data points): the
    /// cursor is a position in it. Keyset cursors serve the long lists.
    func page<Item: Encodable & Sendable>(ofWhole items: [Item]) throws -> Page<Item> {
        var start = 0
        if let cursor {
            guard let position = Int(cursor), position >= 0 else { throw Cursor.noSuchPage }
            start = min(position, items.count)
        }
        let end = min(items.count, start + limit)
        return Page(items: Array(items[start..<end]), nextCursor: end < items.count ? Cursor.encode(String(end)) : nil)
    }

    /// Fetches one more than the limit to learn whether there is a next page.
    func page<Item: Encodable & Sendable>(_ fetched: [Item], cursorOf: (Item) -> String) -> Page<Item> {
        guard fetched.count > limit else { return Page(items: fetched, nextCursor: nil) }
        let items = Array(fetched.prefix(limit))
        return Page(items: items, nextCursor: items.last.map { Cursor.encode(cursorOf($0)) })
    }
}

/// Cursors are base64url of a sort key: opaque to clients, checked on the way back.
enum Cursor {
    static func encode(_ key: String) -> String {
        Data(("v1:" + key).utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// A cursor of the documented form that this list did not give out: the page it names
    /// does not exist.
    static let noSuchPage = Problem.notFound("There is no such page: send the nextCursor of a previous page of this list.")

    /// Base64url's alphabet, the cursor's documented form.
    static func isCursorByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "_"):
            true
        default:
            false
        }
    }

    static func decode(_ text: String) -> String? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard text.count <= 512, let data = Data(base64Encoded: base64), let key = String(data: data, encoding: .utf8),
            key.hasPrefix("v1:"), !key.contains("\u{0}")
        else { return nil }
        return String(key.dropFirst(3))
    }
}
