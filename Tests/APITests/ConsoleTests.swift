import API
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import PostgresNIO
import Services
import Storage
import TestSupport
import Testing

/// The web console's first pages over HTTP (DESIGN §11): sign in and out, a forgotten
/// password, an accepted invitation; cookies, CSRF and headers. The browser tests
/// (scripts/browser-tests.sh) walk the same pages in Chromium with axe-core.
@Suite("Console: signing in, passwords, invitations")
struct ConsoleTests {
    /// A browser's cookie jar, enough for these pages.
    final class Browser: @unchecked Sendable {
        var cookies: [String: String] = [:]
        let client: any TestClientProtocol

        init(_ client: any TestClientProtocol) {
            self.client = client
        }

        @discardableResult
        func get(_ path: String) async throws -> TestResponse {
            try await send(.get, path, body: nil)
        }

        /// Posts `fields` as a form, with the page's CSRF field unless `csrf` is false.
        @discardableResult
        func post(_ path: String, _ fields: [String: String], csrf: Bool = true, origin: String? = nil) async throws -> TestResponse {
            var all = fields
            if csrf, let token = cookies["mpmp_csrf"] { all["csrf"] = token }
            let body = all.map { "\(Self.encode($0.key))=\(Self.encode($0.value))" }.joined(separator: "&")
            return try await send(.post, path, body: body, origin: origin)
        }

        static func encode(_ text: String) -> String {
            var allowed = CharacterSet.alphanumerics
            allowed.insert(charactersIn: "-._~")
            return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
        }

        func send(_ method: HTTPRequest.Method, _ path: String, body: String?, origin: String? = nil) async throws -> TestResponse {
            var headers: HTTPFields = [:]
            if !cookies.isEmpty {
                headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; ")
            }
            if let body {
                headers[.contentType] = "application/x-www-form-urlencoded"
                _ = body
            }
            if let origin { headers[.origin] = origin }
            let response = try await client.execute(uri: path, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
            for line in response.headers[values: .setCookie] {
                let pair = line.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
                let name = String(pair[0])
                let value = pair.count > 1 ? String(pair[1]) : ""
                if value.isEmpty || line.contains("Max-Age=0") { cookies[name] = nil } else { cookies[name] = value }
            }
            return response
        }
    }

    @Test("the sign-in page: HTML with the security headers, a CSRF cookie, every field labelled; the stylesheet is ours")
    func signInPage() async throws {
        try await withWorld { client, _, _ in
            let browser = Browser(client)
            let page = try await browser.get("/login")
            #expect(page.status == .ok)
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            let policy = try #require(page.headers[.contentSecurityPolicy])
            #expect(policy.contains("frame-ancestors 'none'") && policy.contains("script-src 'self'") && !policy.contains("unsafe-inline"))
            #expect(page.headers[.xContentTypeOptions] == "nosniff")
            #expect(page.headers[HTTPField.Name("Referrer-Policy")!] == "same-origin")
            let cookie = try #require(page.headers[values: .setCookie].first { $0.hasPrefix("mpmp_csrf=") })
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"))
            #expect(page.text.contains("<label for=\"field-email\">E-mail address</label>"))
            #expect(page.text.contains("<label for=\"field-password\">Password</label>"))
            #expect(page.text.contains("href=\"/password-reset\""))
            let css = try await browser.get("/assets/console.css")
            #expect(css.status == .ok && css.headers[.contentType] == "text/css; charset=utf-8")
            #expect(css.text.contains(":focus-visible"))
        }
    }

    @Test("a form without its CSRF field, or sent from another origin, is refused (403) and signs nobody in")
    func csrf() async throws {
        try await withWorld { client, world, _ in
            let browser = Browser(client)
            try await browser.get("/login")
            let credentials = ["email": world.ceoA.email, "password": worldPassword]
            let withoutField = try await browser.post("/login", credentials, csrf: false)
            #expect(withoutField.status == .forbidden)
            #expect(browser.cookies["mpmp_session"] == nil)
            let foreign = try await browser.post("/login", credentials, origin: "https://evil.example")
            #expect(foreign.status == .forbidden)
            #expect(browser.cookies["mpmp_session"] == nil)
            // No CSRF cookie at all (a form posted from elsewhere, the first time).
            let stranger = Browser(client)
            #expect(try await stranger.post("/login", credentials).status == .forbidden)
        }
    }

    @Test("signing in sets an HttpOnly, SameSite=Lax session cookie; home greets the person by name and role; signing out ends the session")
    func signInAndOut() async throws {
        try await withWorld { client, world, _ in
            let browser = Browser(client)
            #expect(try await browser.get("/").headers[.location] == "/login")
            try await browser.get("/login")
            let wrong = try await browser.post("/login", ["email": world.ceoA.email, "password": "not the password"])
            #expect(wrong.status == .unauthorized)
            #expect(wrong.text.contains("id=\"field-password-error\""))
            #expect(wrong.text.contains("aria-invalid=\"true\""))
            #expect(wrong.text.contains("value=\"\(world.ceoA.email)\""))
            #expect(wrong.text.contains("role=\"alert\""))

            let signedIn = try await browser.post("/login", ["email": world.ceoA.email, "password": worldPassword])
            #expect(signedIn.status == .seeOther)
            #expect(signedIn.headers[.location] == "/")
            let cookie = try #require(signedIn.headers[values: .setCookie].first { $0.hasPrefix("mpmp_session=") })
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"))
            let home = try await browser.get("/")
            #expect(home.status == .ok)
            #expect(home.text.contains("Welcome, ceo-a."))
            #expect(home.text.contains("Chief executive"))
            #expect(home.text.contains("Sign out"))

            let out = try await browser.post("/logout", [:])
            #expect(out.headers[.location] == "/login?notice=signed-out")
            #expect(browser.cookies["mpmp_session"] == nil)
            #expect(try await browser.get("/").headers[.location] == "/login")
        }
    }

    @Test("a forgotten password through the console: the same page for every address, the mailed link sets a new password once")
    func forgottenPassword() async throws {
        try await withWorld { client, world, database in
            let browser = Browser(client)
            try await browser.get("/password-reset")
            let unknown = try await browser.post("/password-reset", ["email": "nobody@nowhere.example"])
            let known = try await browser.post("/password-reset", ["email": world.headA.email])
            #expect(unknown.status == .ok && known.status == .ok)
            #expect(unknown.text == known.text.replacingOccurrences(of: world.headA.email, with: "nobody@nowhere.example"))
            let malformed = try await browser.post("/password-reset", ["email": "not an address"])
            #expect(malformed.status == .unprocessableContent)
            #expect(malformed.text.contains("id=\"field-email-error\""))

            let mail = try #require(try await MailingTests.outbox(kind: "password_reset", database).first { $0.recipient == world.headA.email })
            let link = try #require(mail.text.split(whereSeparator: \.isWhitespace).first { $0.contains("/password-reset/") })
            let path = String(link[try #require(link.range(of: "/password-reset/")).lowerBound...])
            #expect(try await browser.get(path).status == .ok)
            let differ = try await browser.post(path, ["password": "a-fresh-start-2015", "confirmation": "a-fresh-start-2016"])
            #expect(differ.status == .unprocessableContent)
            #expect(differ.text.contains("id=\"field-confirmation-error\""))
            let reset = try await browser.post(path, ["password": "a-fresh-start-2015", "confirmation": "a-fresh-start-2015"])
            #expect(reset.headers[.location] == "/login?notice=reset")
            let again = try await browser.post(path, ["password": "another-start-2015", "confirmation": "another-start-2015"])
            #expect(again.status == .notFound)
            #expect(try await browser.post("/login", ["email": world.headA.email, "password": "a-fresh-start-2015"]).status == .seeOther)
        }
    }

    @Test("an invitation accepted in the console creates the account; the link works once")
    func invitation() async throws {
        try await withWorld { client, world, database in
            let invited = try await client.call(
                .post, "/v1/tenants/\(world.tenantA)/invitations", as: world.ceoA,
                json: ["email": "newhead@springfield.example", "role": "department_head", "departmentId": world.departmentA.uuidString]
            )
            #expect(invited.status == .created)
            let token = try await mailedInvitationToken(to: "newhead@springfield.example", database)
            let browser = Browser(client)
            let page = try await browser.get("/invitations/\(token)")
            #expect(page.status == .ok)
            #expect(page.text.contains("field-displayName"))
            #expect(try await browser.get("/invitations/not-a-token").status == .notFound)
            let short = try await browser.post("/invitations/\(token)", ["displayName": "Pat", "password": "short", "confirmation": "short"])
            #expect(short.status == .unprocessableContent)
            #expect(short.text.contains("id=\"field-password-error\""))
            let accepted = try await browser.post(
                "/invitations/\(token)", ["displayName": "Pat Smith", "password": "first-day-2015", "confirmation": "first-day-2015"]
            )
            #expect(accepted.headers[.location] == "/login?notice=accepted")
            #expect(try await browser.post("/login", ["email": "newhead@springfield.example", "password": "first-day-2015"]).status == .seeOther)
            let home = try await browser.get("/")
            #expect(home.text.contains("Department head"))
            let twice = try await browser.post(
                "/invitations/\(token)", ["displayName": "Pat Smith", "password": "first-day-2015", "confirmation": "first-day-2015"]
            )
            #expect(twice.status == .gone || twice.status == .notFound, "\(twice.status)")
        }
    }

    @Test("the printable invoice a finalized invoice's mail links to: the town's CEO and the Center read it; a department head may not; another town sees nothing")
    func printableInvoice() async throws {
        try await withWorld { client, world, database in
            let invoice = try await BillingAPITests.finalizedInvoiceOfA(client, world)
            let mail = try #require(try await MailingTests.outbox(kind: "invoice", database).first)
            let link = try #require(mail.text.split(whereSeparator: \.isWhitespace).first { $0.contains("/invoices/") })
            let path = String(link[try #require(link.range(of: "/tenants/")).lowerBound...])
            #expect(path == "/tenants/\(world.tenantA.uuidString.lowercased())/invoices/\(invoice.lowercased())")

            #expect(try await Browser(client).get(path).headers[.location] == "/login")
            for person in [world.ceoA, world.admin, world.analystA] {
                let browser = Browser(client)
                try await browser.get("/login")
                #expect(try await browser.post("/login", ["email": person.email, "password": worldPassword]).status == .seeOther)
                let page = try await browser.get(path)
                #expect(page.status == .ok, "\(person.email)")
                #expect(page.text.contains("Invoice MPMP-FY2015-0001"))
                #expect(page.text.contains("$10,000.00"))
                #expect(page.text.contains("Issued, awaiting payment"))
            }
            let head = Browser(client)
            try await head.get("/login")
            try await head.post("/login", ["email": world.headA.email, "password": worldPassword])
            #expect(try await head.get(path).status == .forbidden)
            let otherTown = Browser(client)
            try await otherTown.get("/login")
            try await otherTown.post("/login", ["email": world.ceoB.email, "password": worldPassword])
            #expect(try await otherTown.get(path).status == .notFound)
            #expect(try await otherTown.get("/tenants/not-a-uuid/invoices/\(invoice)").status == .notFound)
        }
    }

    /// Every console page inside a tenant (TenantIsolationTests checks that the router has
    /// no other).
    static func tenantPages(_ tenant: UUID, invoice: UUID) -> [(HTTPRequest.Method, String, [String: String]?)] {
        let t = tenant.uuidString.lowercased()
        return [
            (.get, "/tenants/\(t)/dashboard", nil), (.get, "/tenants/\(t)/dashboard.csv", nil), (.get, "/tenants/\(t)/updates", nil),
            (.post, "/tenants/\(t)/updates", ["measure": UUID().uuidString, "period": "2015-01-01", "value": "1"]),
            (.get, "/tenants/\(t)/invoices", nil), (.post, "/tenants/\(t)/enrollments", ["program": "MPMP", "fiscalYear": "2015", "joinedOn": "2015-01-01"]), (.get, "/tenants/\(t)/invoices/\(invoice.uuidString.lowercased())", nil),
            (.post, "/tenants/\(t)/invoices/\(invoice.uuidString.lowercased())/finalize", ["key": UUID().uuidString]),
            (.post, "/tenants/\(t)/invoices/\(invoice.uuidString.lowercased())/payments", ["key": UUID().uuidString, "amount": "1", "method": "check"]),
            (.post, "/tenants/\(t)/invoices/\(invoice.uuidString.lowercased())/credit-notes", ["key": UUID().uuidString, "amount": "1", "reason": "x"]),
            (.post, "/tenants/\(t)/invoices/\(invoice.uuidString.lowercased())/void", ["key": UUID().uuidString]),
            (.get, "/tenants/\(t)/invitations", nil),
            (.get, "/tenants/\(t)/completeness", nil), (.get, "/tenants/\(t)/completeness.csv", nil), (.get, "/tenants/\(t)/completeness/2015-01-01", nil),
            (.post, "/tenants/\(t)/completeness/2015-01-01", ["value-\(UUID().uuidString)": "1"]),
            (.get, "/tenants/\(t)/meetings", nil), (.post, "/tenants/\(t)/meetings", ["title": "Stat", "heldOn": "2015-03-01"]),
            (.get, "/tenants/\(t)/meetings/\(UUID().uuidString)", nil), (.get, "/tenants/\(t)/meetings/\(UUID().uuidString)/memo", nil),
            (.post, "/tenants/\(t)/meetings/\(UUID().uuidString)/agenda-items", ["title": "x"]),
            (.post, "/tenants/\(t)/meetings/\(UUID().uuidString)/action-items", ["title": "x"]),
            (.get, "/tenants/\(t)/measures/\(UUID().uuidString)", nil), (.get, "/tenants/\(t)/measures/\(UUID().uuidString)/data.xlsx", nil),
            (.get, "/tenants/\(t)/measures/\(UUID().uuidString)/data.csv", nil),
            (.get, "/tenants/\(t)/dashboard.xlsx", nil),
            (.post, "/tenants/\(t)/measures/\(UUID().uuidString)/values", ["fy": "2015", "value-2015-01-01": "1"]),
            (.post, "/tenants/\(t)/measures/\(UUID().uuidString)/target", ["fy": "2015", "value": "1"]),
            (.get, "/tenants/\(t)/public-page", nil), (.post, "/tenants/\(t)/public-page", ["enabled": "on", "slug": "taken-over"]),
            (.get, "/tenants/\(t)/action-items", nil), (.post, "/tenants/\(t)/action-items/\(UUID().uuidString)", ["status": "done"]),
            (.post, "/tenants/\(t)/invitations", ["email": "someone@elsewhere.example", "role": "ceo"]),
        ]
    }

    @Test("every console page of a tenant answers 404 to each role of another tenant, as if it did not exist, and writes nothing")
    func isolation() async throws {
        try await withWorld { client, world, database in
            let invoiceOfA = try await BillingAPITests.finalizedInvoiceOfA(client, world)
            let measureOfA = try await PerformanceTests.measure(client, world, name: "Isolated measure")
            for person in [world.analystB, world.ceoB, world.headB] {
                let browser = Browser(client)
                try await browser.get("/login")
                #expect(try await browser.post("/login", ["email": person.email, "password": worldPassword]).status == .seeOther)
                for (method, path, fields) in Self.tenantPages(world.tenantA, invoice: try #require(UUID(uuidString: invoiceOfA))) {
                    let response = method == .get ? try await browser.get(path) : try await browser.post(path, fields ?? [:])
                    #expect(response.status == .notFound, "\(person.email): \(method) \(path) answered \(response.status)")
                }
                let write = try await browser.post(
                    "/tenants/\(world.tenantA.uuidString.lowercased())/updates", ["measure": measureOfA, "period": "2015-01-01", "value": "7"]
                )
                #expect(write.status == .notFound)
            }
            let points = try await database.ownerURL.withConnection(logger: TestDatabases.logger) { connection in
                let rows = try await connection.query("SELECT count(*)::int FROM data_points", logger: TestDatabases.logger)
                for try await count in rows.decode(Int.self) { return count }
                return -1
            }
            #expect(points == 0)
        }
    }

}
