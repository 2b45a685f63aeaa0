import API
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Storage
import TestSupport
import Testing

/// Malformed requests get a problem+json 4xx that names the field, never a 500, and write nothing.
@Suite("Bad input")
struct BadInputTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let method: HTTPRequest.Method
        let path: String
        let body: String
        let status: HTTPResponse.Status
        let field: String?
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "login without a password", method: .post, path: "/v1/auth/login", body: #"{"email":"a@b.org"}"#, status: .unprocessableContent, field: "password"),
        Case(name: "login with a number for an e-mail", method: .post, path: "/v1/auth/login", body: #"{"email":42,"password":"x"}"#, status: .unprocessableContent, field: "email"),
        Case(name: "login with an e-mail without @", method: .post, path: "/v1/auth/login", body: #"{"email":"nobody.example.org","password":"whatever1"}"#, status: .unprocessableContent, field: "email"),
        Case(name: "login with a body that is not JSON", method: .post, path: "/v1/auth/login", body: "email=a@b.org", status: .badRequest, field: nil),
        Case(name: "user without an e-mail", method: .post, path: "/v1/users", body: #"{"password":"long enough"}"#, status: .unprocessableContent, field: "email"),
        Case(name: "user with a short password", method: .post, path: "/v1/users", body: #"{"email":"new@example.org","password":"short"}"#, status: .unprocessableContent, field: "password"),
        Case(name: "user with a 1,025-character password", method: .post, path: "/v1/users", body: #"{"email":"new@example.org","password":"\#(String(repeating: "x", count: 1025))"}"#, status: .unprocessableContent, field: "password"),
        Case(name: "user with a field the document does not have", method: .post, path: "/v1/users", body: #"{"email":"new@example.org","password":"long enough","isCenterAdmin":true}"#, status: .unprocessableContent, field: "isCenterAdmin"),
        Case(name: "user with centerAdmin as text", method: .post, path: "/v1/users", body: #"{"email":"new@example.org","password":"long enough","centerAdmin":"yes"}"#, status: .unprocessableContent, field: "centerAdmin"),
        Case(name: "tenant with an empty name and negative population", method: .post, path: "/v1/tenants", body: #"{"name":"  ","kind":"municipality","jurisdiction":"MA","population":-5}"#, status: .unprocessableContent, field: "name"),
        Case(name: "tenant of an unknown kind", method: .post, path: "/v1/tenants", body: #"{"name":"Atlantis","kind":"city_state","jurisdiction":"MA"}"#, status: .conflict, field: "kind"),
        Case(name: "tenant with population as text", method: .post, path: "/v1/tenants", body: #"{"name":"Atlantis","kind":"municipality","jurisdiction":"MA","population":"many"}"#, status: .unprocessableContent, field: "population"),
        Case(name: "invitation with an unknown role", method: .post, path: "/v1/tenants/A/invitations", body: #"{"email":"x@example.org","role":"mayor"}"#, status: .unprocessableContent, field: "role"),
        Case(name: "department-head invitation without a department", method: .post, path: "/v1/tenants/A/invitations", body: #"{"email":"x@example.org","role":"department_head"}"#, status: .unprocessableContent, field: "departmentId"),
        Case(name: "department-head invitation for another tenant's department", method: .post, path: "/v1/tenants/A/invitations", body: #"{"email":"x@example.org","role":"department_head","departmentId":"DEPT-B"}"#, status: .conflict, field: "departmentId"),
        Case(name: "jurisdiction with a lowercase code and month 13", method: .post, path: "/v1/jurisdictions", body: #"{"code":"ri","name":"Rhode Island","fiscalYearStartMonth":13}"#, status: .unprocessableContent, field: "code"),
        Case(name: "a list with limit 0", method: .get, path: "/v1/tenants?limit=0", body: "", status: .badRequest, field: "limit"),
        Case(name: "a list with a made-up cursor", method: .get, path: "/v1/users?cursor=abc", body: "", status: .notFound, field: nil),
        Case(name: "a list with a cursor of the wrong form", method: .get, path: "/v1/users?cursor=a%2Bb", body: "", status: .badRequest, field: "cursor"),
        Case(name: "audit events of a tenant id that is not a UUID", method: .get, path: "/v1/audit-events?tenantId=42", body: "", status: .badRequest, field: "tenantId"),
        Case(name: "text with a NUL character", method: .post, path: "/v1/tenant-kinds", body: #"{"code":"district","name":"D","executiveTitle":"Super\u0000intendent"}"#, status: .badRequest, field: "body"),
        Case(name: "a tenant of a kind named with a NUL", method: .post, path: "/v1/tenants", body: #"{"name":"X","kind":"\u0000","jurisdiction":"MA"}"#, status: .badRequest, field: "body"),
        Case(name: "a tenant id that is not a UUID", method: .get, path: "/v1/tenants/not-a-uuid", body: "", status: .notFound, field: nil),
    ]

    @Test("answers a clear 4xx", arguments: cases)
    func clearAnswer(testCase: Case) async throws {
        try await withWorld { client, world, _ in
            let path = testCase.path.replacingOccurrences(of: "/A/", with: "/\(world.tenantA)/")
            let body = testCase.body.replacingOccurrences(of: "DEPT-B", with: world.departmentB.uuidString)
            let response = try await client.call(testCase.method, path, as: world.admin, rawBody: body.isEmpty ? nil : body)
            #expect(response.status == testCase.status, "\(response.text)")
            let problem = try Problem.decode(from: response)
            #expect(problem.statusCode == testCase.status.code)
            if let field = testCase.field {
                #expect(problem.errors?.contains { $0.field == field } == true, "\(response.text)")
            }
            // Nothing half-written: still two tenants, one user per seeded person.
            let tenants = try await client.call(.get, "/v1/tenants", as: world.admin)
            #expect((try tenants.object()["items"] as? [Any])?.count == 2)
        }
    }

    @Test("a method the document does not list on a path it lists answers 405 with Allow; an unknown path 404")
    func undeclaredMethod() async throws {
        try await withWorld { client, world, _ in
            let trace = try await client.call(.trace, "/v1/tenants/\(world.tenantA)", as: world.admin)
            #expect(trace.status == .methodNotAllowed)
            #expect(trace.headers[.allow] == "GET, PATCH")
            #expect(try Problem.decode(from: trace).statusCode == 405)
            let delete = try await client.call(.delete, "/v1/jurisdictions", as: world.admin)
            #expect(delete.status == .methodNotAllowed)
            #expect(delete.headers[.allow] == "GET, POST")
            #expect(try await client.call(.get, "/v1/nowhere/\(world.tenantA)", as: world.admin).status == .notFound)
        }
    }

    @Test("a password longer than bcrypt's 72 bytes counts in full")
    func longPasswords() async throws {
        try await withWorld { client, world, _ in
            let password = String(repeating: "correct horse ", count: 10)
            let created = try await client.call(.post, "/v1/users", as: world.admin, json: ["email": "long@example.org", "password": password])
            #expect(created.status == .created)
            let login = try await client.call(.post, "/v1/auth/login", json: ["email": "long@example.org", "password": password])
            #expect(login.status == .ok)
            // Same first 72 bytes, another ending: refused.
            let other = String(password.dropLast()) + "!"
            #expect(try await client.call(.post, "/v1/auth/login", json: ["email": "long@example.org", "password": other]).status == .unauthorized)
        }
    }

    @Test("measure values at the edges of the documented range: tiny ones round to 0, subnormal and huge ones are refused")
    func valueEdges() async throws {
        try await withWorld { client, world, _ in
            let measure = try await PerformanceTests.measure(client, world, name: "Response minutes")
            let data = "/v1/tenants/\(world.tenantA)/measures/\(measure)/data"
            let tiny = try await client.call(.post, data, as: world.analystA, rawBody: #"{"period":"2014-07-01","value":-1e-300}"#)
            #expect(tiny.status == .created, "\(tiny.text)")
            #expect(try tiny.object()["value"] as? Int == 0)
            for (value, field) in [("5e-324", "value"), ("1e15", "value"), ("\"12\"", "value")] {
                let refused = try await client.call(.post, data, as: world.analystA, rawBody: #"{"period":"2014-08-01","value":\#(value)}"#)
                #expect(refused.status == .unprocessableContent, "\(value): \(refused.text)")
                #expect(try Problem.decode(from: refused).errors?.first?.field == field)
            }
            let target = try await client.call(
                .put, "/v1/tenants/\(world.tenantA)/measures/\(measure)/targets/2015", as: world.analystA, rawBody: #"{"value":2.5e-7}"#
            )
            #expect(target.status == .ok, "\(target.text)")
            // The fiscal year is the path's: a body naming one is refused, never half-read.
            let named = try await client.call(
                .put, "/v1/tenants/\(world.tenantA)/measures/\(measure)/targets/2015", as: world.analystA,
                rawBody: #"{"fiscalYear":2016,"value":3}"#
            )
            #expect(named.status == .unprocessableContent, "\(named.text)")
            #expect(try Problem.decode(from: named).errors?.first?.field == "fiscalYear")
        }
    }

    @Test("a body of 10 MB is refused with 413")
    func hugeBody() async throws {
        try await withWorld { client, world, _ in
            let huge = #"{"name":""# + String(repeating: "x", count: 10 * 1024 * 1024) + #""}"#
            let response = try await client.call(.post, "/v1/tenants/\(world.tenantA)/departments", as: world.ceoA, rawBody: huge)
            #expect(response.status == .contentTooLarge)
            #expect(try Problem.decode(from: response).statusCode == 413)
        }
    }

    @Test("a body that is not JSON by its media type is refused with 415")
    func wrongMediaType() async throws {
        try await withWorld { client, world, _ in
            let response = try await client.call(
                .post, "/v1/tenants/\(world.tenantA)/departments", as: world.ceoA,
                rawBody: "name=Parks", headers: [.contentType: "application/x-www-form-urlencoded"]
            )
            #expect(response.status == .unsupportedMediaType)
        }
    }

    @Test(
        "malformed tokens get 401",
        arguments: ["Bearer", "Bearer short", "Basic dXNlcjpwYXNz", "Bearer \(String(repeating: "!", count: 43))", "bearer  \(SecretToken.generate())"]
    )
    func malformedToken(header: String) async throws {
        try await withWorld { client, _, _ in
            let response = try await client.call(.get, "/v1/me", headers: [.authorization: header])
            #expect(response.status == .unauthorized)
            #expect(try Problem.decode(from: response).statusCode == 401)
        }
    }

    @Test("a well-formed token that was never issued gets 401")
    func unknownToken() async throws {
        try await withWorld { client, _, _ in
            let response = try await client.call(.get, "/v1/me", headers: [.authorization: "Bearer \(SecretToken.generate())"])
            #expect(response.status == .unauthorized)
        }
    }

    @Test("users are listed a page at a time")
    func pagination() async throws {
        try await withWorld { client, world, _ in
            var seen: [String] = []
            var cursor: String?
            repeat {
                let path = "/v1/users?limit=3" + (cursor.map { "&cursor=\($0)" } ?? "")
                let page = try await client.call(.get, path, as: world.admin).object()
                seen += (page["items"] as? [[String: Any]] ?? []).compactMap { $0["email"] as? String }
                cursor = page["nextCursor"] as? String
            } while cursor != nil
            #expect(seen.count == 7)
            #expect(seen == seen.sorted())
        }
    }
}
