import API
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import Storage
import TestSupport
import Testing

/// Every tenant-scoped route, called by each role of town A on town B's ids, answers 404
/// (as for a tenant that does not exist) and leaves B untouched; inside A, a role that may
/// not answers 403.
@Suite("Tenant isolation through the API")
struct TenantIsolationTests {
    /// Each tenant-scoped route, with a body that would be valid.
    static func tenantRoutes(_ tenant: UUID, department: UUID) -> [(HTTPRequest.Method, String, [String: Any]?)] {
        [
            (.get, "/v1/tenants/\(tenant)", nil),
            (.patch, "/v1/tenants/\(tenant)", ["name": "Taken Over", "population": 1]),
            (.get, "/v1/tenants/\(tenant)/departments", nil),
            (.post, "/v1/tenants/\(tenant)/departments", ["name": "Intruders"]),
            (.post, "/v1/tenants/\(tenant)/invitations", ["email": "spy@example.org", "role": "ceo"]),
            (.post, "/v1/tenants/\(tenant)/invitations", ["email": "spy@example.org", "role": "department_head", "departmentId": department.uuidString]),
            (.get, "/v1/audit-events?tenantId=\(tenant)", nil),
            (.post, "/v1/tenants/\(tenant)/enrollments", ["program": "MPMP", "fiscalYear": 2015, "joinedOn": "2014-07-01"]),
            (.get, "/v1/tenants/\(tenant)/invoices", nil),
            (.get, "/v1/tenants/\(tenant)/invoices/\(department)", nil),
            (.post, "/v1/tenants/\(tenant)/invoices/\(department)/finalize", nil),
            (.post, "/v1/tenants/\(tenant)/invoices/\(department)/void", nil),
            (.post, "/v1/tenants/\(tenant)/invoices/\(department)/payments", ["amountCents": 1, "method": "check"]),
            (.post, "/v1/tenants/\(tenant)/invoices/\(department)/credit-notes", ["amountCents": 1, "reason": "x"]),
            (.get, "/v1/tenants/\(tenant)/statement", nil),
            (.get, "/v1/tenants/\(tenant)/measures", nil),
            (.post, "/v1/tenants/\(tenant)/measures", ["departmentId": department.uuidString, "name": "Spy", "unit": "x", "direction": "lower", "frequency": "monthly"]),
            (.get, "/v1/tenants/\(tenant)/measures/\(department)", nil),
            (.patch, "/v1/tenants/\(tenant)/measures/\(department)", ["name": "Renamed"]),
            (.put, "/v1/tenants/\(tenant)/measures/\(department)/targets/2015", ["value": 1]),
            (.get, "/v1/tenants/\(tenant)/measures/\(department)/data", nil),
            (.post, "/v1/tenants/\(tenant)/measures/\(department)/data", ["period": "2015-01-01", "value": 1]),
            (.post, "/v1/tenants/\(tenant)/measures/\(department)/data/validations", ["periods": ["2015-01-01"]]),
            (.post, "/v1/tenants/\(tenant)/data-imports", nil),
            (.get, "/v1/tenants/\(tenant)/data-imports/template", nil),
            (.get, "/v1/tenants/\(tenant)/dashboard", nil),
            (.get, "/v1/tenants/\(tenant)/meetings", nil),
            (.post, "/v1/tenants/\(tenant)/meetings", ["heldOn": "2015-01-01", "title": "Spy stat"]),
            (.get, "/v1/tenants/\(tenant)/meetings/\(department)/agenda", nil),
            (.post, "/v1/tenants/\(tenant)/meetings/\(department)/agenda-items", ["title": "Spy"]),
            (.get, "/v1/tenants/\(tenant)/action-items", nil),
            (.post, "/v1/tenants/\(tenant)/action-items", ["title": "Spy"]),
            (.patch, "/v1/tenants/\(tenant)/action-items/\(department)", ["status": "done"]),
        ]
    }

    /// Town B as its own CEO sees it: profile, departments, audit trail.
    func snapshot(of world: World, client: any TestClientProtocol) async throws -> [String] {
        var lines: [String] = []
        for path in ["/v1/tenants/\(world.tenantB)", "/v1/tenants/\(world.tenantB)/departments"] {
            let response = try await client.call(.get, path, as: world.ceoB)
            lines.append(response.text)
        }
        let audit = try await client.call(.get, "/v1/audit-events?tenantId=\(world.tenantB)", as: world.ceoB)
        lines.append("\(try (audit.object()["items"] as? [Any])?.count ?? -1) audit events")
        return lines
    }

    @Test("each role of one tenant gets 404 on every route of another, and nothing changes there")
    func crossTenantIsNotFound() async throws {
        try await withWorld { client, world, _ in
            let before = try await snapshot(of: world, client: client)
            for (role, person) in world.rolesOfA {
                for (method, path, body) in Self.tenantRoutes(world.tenantB, department: world.departmentB) {
                    let response = try await client.call(method, path, as: person, json: body)
                    #expect(response.status == .notFound, "\(role): \(method) \(path) answered \(response.status)")
                    #expect(response.headers[.contentType] == Problem.mediaType)
                }
            }
            let after = try await snapshot(of: world, client: client)
            #expect(after == before)
        }
    }

    @Test("a tenant that does not exist answers exactly like one that is not yours")
    func missingTenantLooksTheSame() async throws {
        try await withWorld { client, world, _ in
            let hidden = try await client.call(.get, "/v1/tenants/\(world.tenantB)", as: world.ceoA)
            let missing = try await client.call(.get, "/v1/tenants/\(UUID())", as: world.ceoA)
            var first = try Problem.decode(from: hidden)
            var second = try Problem.decode(from: missing)
            first.requestID = nil
            second.requestID = nil
            #expect(hidden.status == missing.status)
            #expect(first == second)
            #expect(try await client.call(.get, "/v1/tenants/\(UUID())", as: world.admin).status == .notFound)
        }
    }

    @Test("lists show only the caller's tenants")
    func listsAreScoped() async throws {
        try await withWorld { client, world, _ in
            for (_, person) in world.rolesOfA {
                let response = try await client.call(.get, "/v1/tenants", as: person)
                let items = try #require(try response.object()["items"] as? [[String: Any]])
                #expect(items.compactMap { $0["id"] as? String } == [world.tenantA.uuidString])
            }
            let all = try await client.call(.get, "/v1/tenants", as: world.admin)
            #expect((try all.object()["items"] as? [Any])?.count == 2)
        }
    }

    @Test(
        "inside their own tenant, a role that may not gets 403",
        arguments: [
            ("department head", HTTPRequest.Method.post, "departments", #"{"name":"Parks"}"#),
            ("department head", .patch, "", #"{"name":"Renamed"}"#),
            ("department head", .post, "invitations", #"{"email":"x@example.org","role":"department_head","departmentId":"DEPT"}"#),
            ("department head", .get, "audit", ""),
            ("analyst", .patch, "", #"{"name":"Renamed"}"#),
            ("analyst", .post, "invitations", #"{"email":"x@example.org","role":"department_head","departmentId":"DEPT"}"#),
            ("analyst", .get, "audit", ""),
            ("CEO", .post, "invitations", #"{"email":"x@example.org","role":"ceo"}"#),
        ]
    )
    func insufficientRoleIsForbidden(role: String, method: HTTPRequest.Method, route: String, body: String) async throws {
        try await withWorld { client, world, _ in
            let person = try #require(world.rolesOfA.first { $0.0 == role }?.1)
            let path =
                switch route {
                case "": "/v1/tenants/\(world.tenantA)"
                case "audit": "/v1/audit-events?tenantId=\(world.tenantA)"
                default: "/v1/tenants/\(world.tenantA)/\(route)"
                }
            let response = try await client.call(
                method, path, as: person,
                rawBody: body.isEmpty ? nil : body.replacingOccurrences(of: "DEPT", with: world.departmentA.uuidString)
            )
            #expect(response.status == .forbidden)
            #expect(try Problem.decode(from: response).statusCode == 403)
        }
    }

    @Test("global actions are the Center admin's alone")
    func globalActionsAreForbidden() async throws {
        try await withWorld { client, world, _ in
            for (_, person) in world.rolesOfA {
                let attempts: [(HTTPRequest.Method, String, [String: Any]?)] = [
                    (.post, "/v1/tenants", ["name": "Nowhere", "kind": "municipality", "jurisdiction": "MA"]),
                    (.get, "/v1/users", nil),
                    (.post, "/v1/users", ["email": "new@example.org", "password": "long enough"]),
                    (.post, "/v1/users/\(world.ceoB.id)/disable", nil),
                    (.put, "/v1/analysts/\(person.id)/portfolio/\(world.tenantB)", nil),
                    (.delete, "/v1/analysts/\(world.analystA.id)/portfolio/\(world.tenantA)", nil),
                    (.post, "/v1/jurisdictions", ["code": "RI", "name": "Rhode Island", "fiscalYearStartMonth": 7]),
                    (.post, "/v1/tenant-kinds", ["code": "school_district", "name": "School district", "executiveTitle": "Superintendent"]),
                ]
                for (method, path, body) in attempts {
                    let response = try await client.call(method, path, as: person, json: body)
                    #expect(response.status == .forbidden, "\(method) \(path) answered \(response.status)")
                }
            }
            // And nothing came of it: B is still in nobody else's portfolio.
            #expect(try await client.call(.get, "/v1/tenants/\(world.tenantB)", as: world.analystA).status == .notFound)
        }
    }

    @Test("without a token, every /v1 route but login and invitation acceptance answers 401")
    func anonymousIsUnauthorized() async throws {
        try await withWorld { client, world, _ in
            for (method, path, body) in Self.tenantRoutes(world.tenantA, department: world.departmentA) + [
                (.get, "/v1/me", nil), (.get, "/v1/tenants", nil), (.get, "/v1/users", nil), (.post, "/v1/auth/logout", nil),
            ] {
                let response = try await client.call(method, path, json: body)
                #expect(response.status == .unauthorized, "\(method) \(path) answered \(response.status)")
            }
        }
    }
}

extension TenantIsolationTests {
    /// `{t}`, `{id}`, UUIDs, numbers and days (`2015-01-01`) all become `{}`; the query goes.
    static func shape(_ method: HTTPRequest.Method, _ path: String) -> String {
        let withoutQuery = path.split(separator: "?").first.map(String.init) ?? path
        let segments = withoutQuery.split(separator: "/").map { segment -> String in
            let isDay = segment.count == 10 && segment.allSatisfy { $0.isNumber || $0 == "-" }
            return (segment.hasPrefix("{") || UUID(uuidString: String(segment)) != nil || Int(segment) != nil || isDay) ? "{}" : String(segment)
        }
        return "\(method.rawValue) /" + segments.joined(separator: "/")
    }

    @Test("the isolation test covers every tenant-scoped route of the router")
    func coversEveryTenantRoute() async throws {
        try await withTestDatabase { database in
            try await withDatabase(database.serviceURL) { db in
                let router = buildRouter(
                    settings: ServerSettings(),
                    dependencies: AppDependencies(database: db, metrics: testMetrics, logger: TestDatabases.logger)
                )
                let routed = Set(router.routes.filter { $0.path.description.contains("/tenants/{t}") }.map { Self.shape($0.method, $0.path.description) })
                let tested = Set(
                    Self.tenantRoutes(UUID(), department: UUID()).map { Self.shape($0.0, $0.1) }
                        + ConsoleTests.tenantPages(UUID(), invoice: UUID()).map { Self.shape($0.0, $0.1) }
                )
                // Audit events take the tenant as a query parameter and are tested with it.
                #expect(routed.subtracting(tested) == [], "tenant routes without an isolation check")
            }
        }
    }
}
