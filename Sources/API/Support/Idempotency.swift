import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import PostgresNIO
import Services
import Storage

/// `Idempotency-Key` for POSTs that move money: a repeat gets the first answer, the same
/// key with another request gets 422. Runs inside the transaction of the work it guards.
struct Idempotency: Sendable {
    static let header = HTTPField.Name("Idempotency-Key")!
    static let replayedHeader = HTTPField.Name("Idempotent-Replayed")!

    let store: IdempotencyStore

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

    func respond<Body: Encodable>(
        to request: Request,
        body: ByteBuffer,
        context: AuthenticatedContext,
        status: HTTPResponse.Status,
        on connection: PostgresConnection,
        _ work: () async throws -> Body
    ) async throws -> Response {
        let key = try Self.key(of: request)
        if let key {
            let claim = try await store.claim(
                userID: context.userID, key: key, requestHash: Self.fingerprint(of: request, body: body), on: connection
            )
            switch claim {
            case .proceed:
                break
            case .replay(let status, let body):
                return Response(
                    status: .init(code: status),
                    headers: [.contentType: "application/json; charset=utf-8", Self.replayedHeader: "true"],
                    body: .init(byteBuffer: ByteBuffer(string: body))
                )
            case .mismatch:
                throw Problem.validation([.init(field: "Idempotency-Key", reason: "was used before with another request")])
            }
        }
        let result = try await work()
        let data = try makeResponseEncoder().encode(result)
        let text = String(decoding: data, as: UTF8.self)
        if let key {
            try await store.complete(userID: context.userID, key: key, status: status.code, body: text, on: connection)
        }
        return Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: text))
        )
    }
}
