@testable import API
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Storage
import TestSupport
import Testing
import Web

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
                    router.routes.filter { !Console.owns(path: $0.path.description) }.map { route in
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

    @Test("is the door's one rule for bodies: every JSON request body's schema compiles, and each path's methods are known")
    func contractCompiles() throws {
        let contract = try OpenAPIContract(document: OpenAPIDocument.data)
        let root = try #require(try JSONSerialization.jsonObject(with: OpenAPIDocument.data) as? [String: Any])
        let paths = try #require(root["paths"] as? [String: [String: Any]])
        var bodies = 0
        for (path, item) in paths {
            for (method, value) in item {
                let content = ((value as? [String: Any])?["requestBody"] as? [String: Any])?["content"] as? [String: Any]
                guard content?["application/json"] != nil, let method = HTTPRequest.Method(method.uppercased()) else { continue }
                bodies += 1
                #expect(contract.bodySchema(method, path) != nil, "\(method) \(path)")
            }
        }
        #expect(bodies > 25)
        #expect(OpenAPIContract.bundled.bodies.count == contract.bodies.count)
        #expect(contract.methods(matching: "/v1/tenants/28a7c332-2ebc-44f5-8fd5-6814d5a317b4") == [.get, .patch])
        #expect(contract.methods(matching: "/v1/nowhere") == nil)
        // One schema, checked as the server checks it: unknown fields, lengths, the
        // department a department head's invitation needs.
        let invitation = try #require(contract.bodySchema(.post, "/v1/tenants/{t}/invitations"))
        let problems = invitation.problems(of: .object(["email": .string("x@town.gov"), "role": .string("department_head"), "extra": .bool(true)]))
        #expect(problems.map(\.field).sorted() == ["extra"])
        let missing = invitation.problems(of: .object(["email": .string("x@town.gov"), "role": .string("department_head")]))
        #expect(missing.map(\.field) == ["departmentId"])
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

    @Test("every list (a GET answering a page) takes limit and cursor; every operation but the open ones needs the bearer token")
    func listsArePaginated() throws {
        let document = try #require(try JSONSerialization.jsonObject(with: OpenAPIDocument.data) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        let open: Set<String> = ["/health/live", "/health/ready", "/openapi.json", "/v1/auth/login", "/v1/auth/password-reset", "/v1/auth/password-reset/{token}", "/v1/invitations/{token}/accept"]
        for (path, item) in paths {
            for (method, value) in item {
                guard let operation = value as? [String: Any] else { continue }
                // Open: no requirement, or an empty one among others (a session is optional).
                let security = operation["security"] as? [[String: Any]]
                let anonymousAllowed = security.map { $0.isEmpty || $0.contains { $0.isEmpty } } ?? false
                #expect(anonymousAllowed == open.contains(path), "\(method) \(path) security")
                let ok = (operation["responses"] as? [String: Any])?["200"] as? [String: Any]
                let schema = ((ok?["content"] as? [String: Any])?["application/json"] as? [String: Any])?["schema"] as? [String: Any]
                guard method == "get", let reference = schema?["$ref"] as? String, reference.hasSuffix("Page") else { continue }
                let names = (operation["parameters"] as? [[String: Any]] ?? []).compactMap { $0["$ref"] as? String }
                #expect(names.contains("#/components/parameters/Limit") && names.contains("#/components/parameters/Cursor"), "\(method) \(path) is a list without limit and cursor")
            }
        }
    }
}
