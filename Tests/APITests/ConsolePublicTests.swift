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

/// A town's public page: the CEO's settings, and what anyone reads without signing in.
@Suite("Console: the public page of a town")
struct ConsolePublicTests {
    @Test("a CEO turns the public page on with chosen measures; anyone reads those, cacheable, as CSV too; nothing else shows")
    func publicPage() async throws {
        try await withWorld { client, world, database in
            let shown = try await PerformanceTests.measure(client, world, name: "Pothole repair days")
            _ = try await PerformanceTests.measure(client, world, name: "Overtime hours, internal")
            let tenant = world.tenantA.uuidString.lowercased()
            #expect(try await ConsoleTests.Browser(client).get("/public/amherst").status == .notFound)

            let ceo = try await ConsoleBillingTests.signedIn(client, world.ceoA)
            let form = try await ceo.get("/tenants/\(tenant)/public-page")
            #expect(form.status == .ok && form.text.contains("value=\"amherst\""))  // suggested from the name
            let bad = try await ceo.post("/tenants/\(tenant)/public-page", ["enabled": "on", "slug": "Amherst MA!"])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.text.contains("id=\"field-slug-error\"") && bad.text.contains("Address must be 2 to 60 lower-case letters"))
            let saved = try await ceo.post("/tenants/\(tenant)/public-page", ["enabled": "on", "slug": "amherst", "publish-\(shown.lowercased())": "on"])
            #expect(saved.status == .seeOther)

            let reader = ConsoleTests.Browser(client)
            let page = try await reader.get("/public/amherst")
            #expect(page.status == .ok)
            #expect(page.text.contains("Amherst: performance") && page.text.contains("Pothole repair days"))
            #expect(!page.text.contains("Overtime hours"))
            #expect(page.headers[.setCookie] == nil)
            #expect(page.headers[.cacheControl] == "public, max-age=300")
            let tag = try #require(page.headers[.eTag])
            let again = try await client.execute(uri: "/public/amherst", method: .get, headers: [.ifNoneMatch: tag])
            #expect(again.status == .notModified && again.headers[.eTag] == tag)
            #expect(try await reader.get("/public/amherst?fy=2015").text.contains("fiscal year 2015"))
            #expect(try await reader.get("/public/amherst?fy=1800").status == .badRequest)
            let csv = try await reader.get("/public/amherst/data.csv")
            #expect(csv.status == .ok && csv.text.contains("Pothole repair days") && !csv.text.contains("Overtime"))
            #expect(csv.headers[.eTag] != nil)

            // Another town cannot take the address; a department head may not change it.
            let other = try await ConsoleBillingTests.signedIn(client, world.ceoB)
            let taken = try await other.post("/tenants/\(world.tenantB.uuidString.lowercased())/public-page", ["enabled": "on", "slug": "amherst"])
            #expect(taken.status == .conflict && taken.text.contains("is taken by another town"))
            let head = try await ConsoleBillingTests.signedIn(client, world.headA)
            #expect(try await head.get("/tenants/\(tenant)/public-page").status == .forbidden)

            // Without the page's setting, a transaction sees no tenant, public or not.
            let visible = try await database.serviceURL.withConnection(logger: TestDatabases.logger) { connection in
                try await connection.inTenantTransaction(.none, logger: TestDatabases.logger) { connection in
                    let rows = try await connection.query("SELECT count(*)::int FROM tenants", logger: TestDatabases.logger)
                    for try await count in rows.decode(Int.self) { return count }
                    return -1
                }
            }
            #expect(visible == 0)

            // With the address set, the database itself shows only the published measure and its values.
            let seen = try await database.serviceURL.withConnection(logger: TestDatabases.logger) { connection in
                try await connection.inTenantTransaction(.none, logger: TestDatabases.logger) { connection in
                    _ = try await connection.query("SELECT * FROM app_open_public_page('amherst')", logger: TestDatabases.logger).collect()
                    let rows = try await connection.query("SELECT name FROM measures ORDER BY name", logger: TestDatabases.logger)
                    var names: [String] = []
                    for try await name in rows.decode(String.self) { names.append(name) }
                    return names
                }
            }
            #expect(seen == ["Pothole repair days"])

            // Off again: gone.
            #expect(try await ceo.post("/tenants/\(tenant)/public-page", ["slug": "amherst"]).status == .seeOther)
            #expect(try await reader.get("/public/amherst").status == .notFound)
            #expect(try await reader.get("/public/Not-A-Slug").status == .notFound)
            let missing = try await ConsoleTests.Browser(client).get("/public/no-such-town")
            #expect(missing.status == .notFound && missing.headers[.setCookie] == nil)
        }
    }
}
