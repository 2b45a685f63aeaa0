import Hummingbird
import Logging
import NIOCore

/// The context of every request: Hummingbird's core storage and a request id, which the
/// access log, problem documents and the `X-Request-Id` header share.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
    }

    /// Bodies above this size are refused with 413 before they are read.
    public var maxUploadSize: Int { 1024 * 1024 }

    /// The id Hummingbird gave the request (also in every log line of it).
    public var requestID: String { id }
}
