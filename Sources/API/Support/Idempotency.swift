import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Services
import Storage

/// `Idempotency-Key` for POSTs that move money, on the HTTP side: reading the header (400
/// when malformed), the fingerprint of the request, and the answer. The claim and the
/// stored answer live in the use case's one transaction (Services' `Work.idempotent`).
enum Idempotency {
    static let header = HTTPField.Name("Idempotency-Key")!
    static let replayedHeader = HTTPField.Name("Idempotent-Replayed")!

    /// The key of a request, if it has one; 400 when it is empty or too long.
    static func key(of request: Request) throws -> String? {
        guard let key = request.headers[header] else { return nil }
        guard (1...255).contains(key.utf8.count), key.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
            throw Problem.badRequest(field: "Idempotency-Key", reason: "must be 1 to 255 visible ASCII characters")
        }
        return key
    }

    /// What makes two requests the same: method, path and body bytes.
    static func fingerprint(of request: Request, body: ByteBuffer) -> String {
        var hasher = SHA256()
        hasher.update(data: Data("\(request.method.rawValue) \(request.uri.path)\n".utf8))
        hasher.update(data: Data(body.readableBytesView))
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// The request's key and fingerprint for the use case, nil without a key.
    static func command(of request: Request, body: ByteBuffer) throws -> IdempotencyKey? {
        try key(of: request).map { IdempotencyKey(key: $0, fingerprint: fingerprint(of: request, body: body)) }
    }

    /// The JSON body of `value`, as the response encoder writes it: a first answer is
    /// stored in these bytes and a repeat gets them back.
    static func render<Body: Encodable>(_ value: Body) throws -> String {
        String(decoding: try makeResponseEncoder().encode(value), as: UTF8.self)
    }

    /// The answer of a money-moving use case; a replay says so in `Idempotent-Replayed`.
    static func response<Value>(_ outcome: Idempotent<Value>) -> Response {
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if outcome.isReplay { headers[replayedHeader] = "true" }
        return Response(
            status: .init(code: outcome.status),
            headers: headers,
            body: .init(byteBuffer: ByteBuffer(string: outcome.body))
        )
    }
}
