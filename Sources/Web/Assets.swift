import Foundation
import Hummingbird
import NIOCore

/// The console's static files: its one stylesheet and its icon, read once, served with a
/// day's cache.
struct Assets: Sendable {
    let files: [(path: String, type: String, bytes: ByteBuffer)]

    init() {
        func read(_ name: String, _ ext: String) -> ByteBuffer {
            let url = Bundle.module.url(forResource: "Assets/\(name)", withExtension: ext)
            return ByteBuffer(bytes: url.flatMap { try? Data(contentsOf: $0) } ?? Data())
        }
        files = [
            ("/assets/console.css", "text/css; charset=utf-8", read("console", "css")),
            ("/assets/favicon.svg", "image/svg+xml", read("favicon", "svg")),
        ]
    }

    func register<Context: RequestContext>(on router: Router<Context>) {
        for file in files {
            router.get(RouterPath(file.path)) { _, _ in
                var response = Response(
                    status: .ok, headers: [.contentType: file.type, .cacheControl: "public, max-age=86400"], body: .init(byteBuffer: file.bytes)
                )
                response.headers[.xContentTypeOptions] = "nosniff"
                return response
            }
        }
    }
}
