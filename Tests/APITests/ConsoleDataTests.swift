import API
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Services
import TestSupport
import Testing

/// An analyst's data-completeness grid in the console, a month's values entered together,
/// and the escaping of what people type into names.
@Suite("Console: data completeness")
struct ConsoleDataTests {
    typealias Browser = ConsoleTests.Browser

    @Test("the completeness grid: months by measure, what is in and what is missing, as CSV; a month's values saved together, all or nothing")
    func grid() async throws {
        try await withWorld { client, world, _ in
            let measure = try await PerformanceTests.measure(client, world, name: "Pothole repair days")
            let quarterly = try await PerformanceTests.measure(client, world, name: "Library visits", extra: ["frequency": "quarterly"])
            let entered = try await client.call(
                .post, "/v1/tenants/\(world.tenantA)/measures/\(measure)/data", as: world.ceoA, json: ["period": "2014-07-01", "value": 4]
            )
            #expect(entered.status == .created || entered.status == .ok, "\(entered.text)")
            let tenant = world.tenantA.uuidString.lowercased()
            let analyst = try await ConsoleBillingTests.signedIn(client, world.analystA)

            let grid = try await analyst.get("/tenants/\(tenant)/completeness?fy=2015")
            #expect(grid.status == .ok)
            #expect(grid.text.contains("Amherst: data completeness, FY2015"))
            #expect(grid.text.contains("<th scope=\"col\"><a href=\"/tenants/\(tenant)/completeness/2014-08-01\">Aug 2014"))
            #expect(grid.text.contains("1 of 12") && grid.text.contains("0 of 4"))
            #expect(grid.text.contains("Not asked"))  // a quarterly measure's months between quarters

            let csv = try await analyst.get("/tenants/\(tenant)/completeness.csv?fy=2015")
            let lines = csv.text.split(separator: "\r\n").map(String.init)
            #expect(lines.first?.hasPrefix("department,measure,unit,frequency,2014-07-01,2014-08-01,") == true)
            #expect(lines.contains { $0.hasPrefix("Public Works,Pothole repair days,minutes,monthly,4,missing,missing,") })
            #expect(lines.contains { $0.hasPrefix("Public Works,Library visits,minutes,quarterly,missing,not_a_period,not_a_period,missing,") })

            let form = try await analyst.get("/tenants/\(tenant)/completeness/2014-10-01")
            #expect(form.text.contains("name=\"value-\(measure.lowercased())\"") && form.text.contains("name=\"value-\(quarterly.lowercased())\""))
            let august = try await analyst.get("/tenants/\(tenant)/completeness/2014-08-01")
            #expect(!august.text.contains("value-\(quarterly.lowercased())"))  // no quarter starts in August

            let bad = try await analyst.post(
                "/tenants/\(tenant)/completeness/2014-10-01", ["value-\(measure.lowercased())": "7", "value-\(quarterly.lowercased())": "lots"]
            )
            #expect(bad.status == .unprocessableContent)
            #expect(bad.text.contains("id=\"field-value-\(quarterly.lowercased())-error\""))
            #expect(bad.text.contains("must be a number below 10^15 in magnitude, such as 12.5"))
            #expect(bad.text.contains("value=\"lots\""))
            #expect(try await analyst.get("/tenants/\(tenant)/completeness?fy=2015").text.contains("1 of 12"))  // nothing written

            let saved = try await analyst.post(
                "/tenants/\(tenant)/completeness/2014-10-01", ["value-\(measure.lowercased())": "7", "value-\(quarterly.lowercased())": "1,250"]
            )
            #expect(saved.status == .seeOther)
            #expect(saved.headers[.location] == "/tenants/\(tenant)/completeness?fy=2015&saved=2")
            let after = try await analyst.get("/tenants/\(tenant)/completeness?fy=2015&saved=2")
            #expect(after.text.contains("Saved: 2 values new or changed."))
            #expect(after.text.contains("2 of 12") && after.text.contains("1 of 4") && after.text.contains(">1250<"))

            // A department head enters their department's; another town sees nothing; no CSRF, nothing.
            let head = try await ConsoleBillingTests.signedIn(client, world.headA)
            #expect(try await head.get("/tenants/\(tenant)/completeness/2014-11-01").status == .ok)
            let other = try await ConsoleBillingTests.signedIn(client, world.ceoB)
            #expect(try await other.get("/tenants/\(tenant)/completeness").status == .notFound)
            let forged = try await analyst.post("/tenants/\(tenant)/completeness/2014-11-01", ["value-\(measure.lowercased())": "9"], csrf: false)
            #expect(forged.status == .forbidden)
            #expect(try await analyst.get("/tenants/\(tenant)/completeness/2014-13-01").status == .notFound)
            #expect(try await analyst.get("/tenants/\(tenant)/completeness?fy=1800").status == .badRequest)
        }
    }

    @Test("a measure's page: its definition, the year's values in one form (all or nothing), the target with its tolerance; linked from the dashboard")
    func measurePage() async throws {
        try await withWorld { client, world, _ in
            let measure = try await PerformanceTests.measure(client, world, name: "Pothole repair days", extra: ["definition": "Days from report to repair"])
            let tenant = world.tenantA.uuidString.lowercased()
            let path = "/tenants/\(tenant)/measures/\(measure.lowercased())"
            let analyst = try await ConsoleBillingTests.signedIn(client, world.analystA)
            #expect(try await analyst.get("/tenants/\(tenant)/dashboard?fy=2015").text.contains("<a href=\"\(path)\">Pothole repair days</a>"))

            let page = try await analyst.get("\(path)?fy=2015")
            #expect(page.status == .ok)
            #expect(page.text.contains("Days from report to repair") && page.text.contains("Lower is better"))
            #expect(page.text.contains("name=\"value-2014-07-01\"") && page.text.contains("name=\"value-2015-06-01\""))

            let bad = try await analyst.post("\(path)/values", ["fy": "2015", "value-2014-07-01": "5", "value-2014-08-01": "five"])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.text.contains("id=\"field-value-2014-08-01-error\"") && bad.text.contains("value=\"five\""))
            #expect(try await client.call(.get, "/v1/tenants/\(world.tenantA)/measures/\(measure)/data", as: world.ceoA).text.contains("2014-07-01") == false)
            let saved = try await analyst.post("\(path)/values", ["fy": "2015", "value-2014-07-01": "5", "value-2014-08-01": "7.5"])
            #expect(saved.headers[.location] == "\(path)?fy=2015&saved=2")
            let after = try await analyst.get("\(path)?fy=2015&saved=2")
            #expect(after.text.contains("Saved: 2 values new or changed.") && after.text.contains("value=\"7.5\""))

            let badTarget = try await analyst.post("\(path)/target", ["fy": "2015", "value": "10", "tolerance": "250"])
            #expect(badTarget.status == .unprocessableContent && badTarget.text.contains("id=\"field-tolerance-target-error\""))
            let target = try await analyst.post("\(path)/target", ["fy": "2015", "value": "10", "tolerance": "2.5"])
            #expect(target.headers[.location] == "\(path)?fy=2015&saved=target")
            let withTarget = try await analyst.get("\(path)?fy=2015")
            #expect(withTarget.text.contains("target 10") && withTarget.text.contains("value=\"2.5\""))

            let head = try await ConsoleBillingTests.signedIn(client, world.headA)
            #expect(try await head.get(path).status == .ok)
            let other = try await ConsoleBillingTests.signedIn(client, world.ceoB)
            #expect(try await other.get(path).status == .notFound)
            #expect(try await other.post("\(path)/values", ["fy": "2015", "value-2014-09-01": "1"]).status == .notFound)
            #expect(try await analyst.post("\(path)/values", ["fy": "2015", "value-2014-09-01": "1"], csrf: false).status == .forbidden)
        }
    }

    @Test("what people type is shown as text: a measure named <script>alert(1)</script> is escaped on every page that names it")
    func escaping() async throws {
        try await withWorld { client, world, _ in
            let hostile = "<script>alert(1)</script>"
            let hostileID = try await PerformanceTests.measure(client, world, name: hostile)
            let tenant = world.tenantA.uuidString.lowercased()
            let ceo = try await ConsoleBillingTests.signedIn(client, world.ceoA)
            for path in [
                "/tenants/\(tenant)/dashboard", "/tenants/\(tenant)/completeness", "/tenants/\(tenant)/updates", "/tenants/\(tenant)/completeness/2014-10-01",
                "/tenants/\(tenant)/measures/\(hostileID.lowercased())",
            ] {
                let page = try await ceo.get(path)
                #expect(page.status == .ok, "\(path)")
                #expect(!page.text.contains(hostile), "\(path) carries the raw tag")
                #expect(page.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "\(path) does not name the measure")
            }
        }
    }
}
