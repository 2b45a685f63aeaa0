import Crypto
import Foundation
import Hummingbird
import NIOCore
import Prometheus

/// `/metrics`: the Prometheus text exposition of every metric the service records, for a
/// scraper holding the metrics token (DESIGN.md section 7: not public). Without a token
/// configured, the route answers 404: nothing is exposed by default.
struct MetricsRoutes {
    let registry: PrometheusCollectorRegistry
    let token: String?

    func register(on router: Router<AppRequestContext>) {
        router.get("/metrics") { request, _ in
            guard let token else {
                throw Problem.notFound("Metrics are off: start the service with METRICS_TOKEN to serve them.")
            }
            guard Self.matches(request.headers[.authorization], token: token) else {
                throw Problem.unauthenticated("Send the metrics token as `Authorization: Bearer …`.")
            }
            var buffer: [UInt8] = []
            buffer.reserveCapacity(16 * 1024)
            registry.emit(into: &buffer)
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: buffer))
            )
        }
    }

    /// `Bearer <token>`, compared through SHA-256 digests so that the time taken says nothing
    /// of how much of a guess was right.
    static func matches(_ header: String?, token: String) -> Bool {
        guard let header, header.hasPrefix("Bearer ") else { return false }
        let given = SHA256.hash(data: Data(header.dropFirst("Bearer ".count).utf8))
        let expected = SHA256.hash(data: Data(token.utf8))
        return given == expected
    }
}
