import Foundation
import Hummingbird
import NIOCore

/// `/openapi.json`: the OpenAPI 3.1 document of this API, shipped as a resource and
/// checked against the router by a test, so that the two cannot drift apart.
public enum OpenAPIDocument {
    /// The document's bytes, read once.
    public static let data: Data = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json"),
            let data = try? Data(contentsOf: url)
        else {
            fatalError("openapi.json is missing from the API bundle")
        }
        return data
    }()

    static func register(on router: Router<AppRequestContext>) {
        let body = ByteBuffer(bytes: data)
        router.get("/openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: body))
        }
    }
}
