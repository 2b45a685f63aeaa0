import API
import Foundation
import Hummingbird
import HummingbirdTesting
import Storage
import TestSupport
import Testing

/// The document and the router list the same operations: a route added without its
/// description fails here, and so does a described route that does not exist.
@Suite("OpenAPI document")
struct OpenAPIDocumentTests {
    struct Document: Decodable {
        let openapi: String
        let paths: [String: [String: OperationObject]]
    }

    struct OperationObject: Decodable {
        let operationId: String?
        let responses: [String: AnyDecodable]?
    }

    struct AnyDecodable: Decodable {
        init(from decoder: any Decoder) throws {}
    }

    static let httpMethods: Set<String> = ["get", "put", "post", "delete", "patch", "head", "options"]

    func documentedOperations() throws -> Set<String> {
        let document = try JSONDecoder().decode(Document.self, from: OpenAPIDocument.data)
        var operations: Set<String> = []
        for (path, item) in document.paths {
            for method in item.keys where Self.httpMethods.contains(method) {
                operations.insert("\(method.uppercased()) \(path)")
            }
        }
        return operations
    }

    func routedOperations() async throws -> Set<String> {
        try await withTestDatabase { database in
            try await withDatabase(database.serviceURL) { db in
                let router = buildRouter(
                    settings: ServerSettings(),
                    dependencies: AppDependencies(database: db, metrics: testMetrics, logger: TestDatabases.logger)
                )
                return Set(
                    router.routes.map { route in
                        // Hummingbird writes parameters as {name}, as OpenAPI does.
                        "\(route.method.rawValue) \(route.path.description)"
                    }
                )
            }
        }
    }

    @Test("is OpenAPI 3.1 with an id and responses for every operation")
    func isWellFormed() throws {
        let document = try JSONDecoder().decode(Document.self, from: OpenAPIDocument.data)
        #expect(document.openapi.hasPrefix("3.1"))
        for (path, item) in document.paths {
            for (method, operation) in item where Self.httpMethods.contains(method) {
                #expect(operation.operationId != nil, "\(method) \(path) has no operationId")
                #expect(operation.responses?.isEmpty == false, "\(method) \(path) has no responses")
            }
        }
    }

    @Test("describes exactly the routes of the router")
    func matchesRouter() async throws {
        let documented = try documentedOperations()
        let routed = try await routedOperations()
        #expect(routed.subtracting(documented) == [], "routes missing from openapi.json")
        #expect(documented.subtracting(routed) == [], "documented operations with no route")
    }

    @Test("is served at /openapi.json")
    func isServed() async throws {
        try await withApplication { client in
            try await client.execute(uri: "/openapi.json", method: .get) { response in
                #expect(response.status == .ok)
                #expect(Data(response.body.readableBytesView) == OpenAPIDocument.data)
            }
        }
    }
}
