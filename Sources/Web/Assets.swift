import Foundation
import Hummingbird
import NIOCore

/// The console's static files: its one stylesheet, read once, served with a day's cache.
struct Assets: Sendable {
    let stylesheet: ByteBuffer

    init() {
        let url = Bundle.module.url(forResource: "Assets/console", withExtension: "css")
        stylesheet = ByteBuffer(bytes: url.flatMap { try? Data(contentsOf: $0) } ?? Data())
    }

    func register<Context: RequestContext>(on router: Router<Context>) {
        let stylesheet = stylesheet
        router.get("/assets/console.css") { _, _ in
            var response = Response(
                status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=86400"],
                body: .init(byteBuffer: stylesheet)
            )
            response.headers[.xContentTypeOptions] = "nosniff"
            return response
        }
    }
}
