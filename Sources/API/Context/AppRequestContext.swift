import Domain
import Foundation
import Hummingbird
import Web
import Logging
import NIOCore
import Storage

/// The context of every request: Hummingbird's core storage, the client's address, and
/// the hash of the bearer token the authentication middleware found (the session itself
/// is opened by the use case, in its transaction).
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The peer's IP address (or the first `X-Forwarded-For` hop behind a trusted proxy).
    public var clientAddress: String?
    /// The SHA-256 of the bearer token, to end this very session on logout.
    public var sessionTokenHash: String?
    /// `GET /v1/tenants/{t}`: the method and the route's template, which carries no secret.
    public var route: String = ""

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.clientAddress = source.channel.remoteAddress?.ipAddress
    }

    /// Bodies above this size are refused with 413 before they are read.
    public var maxUploadSize: Int { 64 * 1024 }

    public var responseEncoder: JSONEncoder { makeResponseEncoder() }
}

/// JSON answers with sorted keys and ISO 8601 dates: the same data, the same bytes.
func makeResponseEncoder() -> JSONEncoder {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .iso8601
    return encoder
}

extension AppRequestContext: ConsoleRequestContext {}
