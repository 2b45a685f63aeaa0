import API
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Services
import Spreadsheets
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

            // A past year shows that year's values, not the latest ones.
            let earlier = try await client.call(
                .post, "/v1/tenants/\(world.tenantA)/measures/\(measure)/data", as: world.ceoA, json: ["period": "2013-08-01", "value": 3]
            )
            #expect(earlier.status == .created || earlier.status == .ok)
            let past = try await analyst.get("\(path)?fy=2014")
            #expect(past.text.contains("latest 3 (2013-08-01)") && past.text.contains("value=\"3\"") && !past.text.contains("value=\"7.5\""))
            #expect(try await analyst.get("/tenants/\(tenant)/completeness?fy=2014").text.contains("1 of 12"))

            // The measure's values and their changes, as a workbook.
            let history = try await analyst.get("\(path)/data.xlsx")
            #expect(history.status == .ok)
            let values = try XLSXReader.sheet(from: Array(history.body.readableBytesView), named: "Values Pothole repair days")
            #expect(values.cells.contains { $0.value == .number("7.5") })
            let changes = try XLSXReader.sheet(from: Array(history.body.readableBytesView), named: "Changes Pothole repair days")
            #expect(changes.cells.contains { $0.value == .text("Measure page") })
            let historyCSV = try await analyst.get("\(path)/data.csv")
            #expect(
                historyCSV.text.contains("value,2014-08-01,7.5,") && historyCSV.text.contains("change,2014-08-01,7.5,,Measure page,"),
                "\(historyCSV.text)"
            )
            let dashboardBook = try await analyst.get("/tenants/\(tenant)/dashboard.xlsx?fy=2015")
            let dashboardSheet = try XLSXReader.sheet(from: Array(dashboardBook.body.readableBytesView))
            #expect(dashboardSheet.name == "FY2015" && dashboardSheet.cells.contains { $0.value == .text("Pothole repair days") })

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

    @Test("a town's dashboard by department: status in words and shape, a chart with a text alternative, the values; CSV; a department head sees their department only")
    func dashboard() async throws {
        try await withWorld { client, world, _ in
            let formula = "=HYPERLINK(\"http://evil.example\")"
            let measure = try await PerformanceTests.measure(client, world, name: "Pothole repair time")
            _ = try await PerformanceTests.measure(client, world, name: formula)
            let target = try await client.call(
                .put, "/v1/tenants/\(world.tenantA)/measures/\(measure)/targets/2015", as: world.ceoA, json: ["value": 10]
            )
            #expect(target.status == .ok || target.status == .created, "\(target.text)")
            for (month, value) in [("2014-07-01", 14), ("2014-08-01", 12), ("2014-09-01", 9)] {
                let entered = try await client.call(
                    .post, "/v1/tenants/\(world.tenantA)/measures/\(measure)/data", as: world.ceoA, json: ["period": month, "value": value]
                )
                #expect(entered.status == .created, "\(entered.text)")
            }
            let path = "/tenants/\(world.tenantA.uuidString.lowercased())/dashboard?fy=2015"
            #expect(try await ConsoleTests.Browser(client).get(path).headers[.location] == "/login")

            let ceo = ConsoleTests.Browser(client)
            try await ceo.get("/login")
            try await ceo.post("/login", ["email": world.ceoA.email, "password": worldPassword])
            let page = try await ceo.get(path)
            #expect(page.status == .ok, "\(page.text)")
            #expect(page.text.contains("<h2 id=\"department-0\">Public Works</h2>"))
            #expect(page.text.contains("Pothole repair time"))
            #expect(page.text.contains("On target"))
            #expect(page.text.contains("role=\"img\""))
            #expect(page.text.contains("Pothole repair time: from 14 minutes (2014-07-01) to 9 minutes (2014-09-01); target 10 minutes, lower is better."))
            #expect(page.text.contains("<td>2014-08-01</td><td class=\"number\">12</td>"))
            #expect(page.text.contains("=HYPERLINK(&quot;http://evil.example&quot;)"))
            #expect(try await ceo.get("/tenants/\(world.tenantA.uuidString.lowercased())/dashboard?fy=99").status == .badRequest)

            let csv = try await ceo.get("/tenants/\(world.tenantA.uuidString.lowercased())/dashboard.csv?fy=2015")
            #expect(csv.status == .ok)
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(csv.headers[.contentDisposition] == "attachment; filename=\"dashboard-fy2015.csv\"")
            let lines = csv.text.split(separator: "\r\n").map(String.init)
            #expect(lines.first == "department,measure,unit,direction,latest period,latest value,target,status,trend")
            #expect(lines.contains("Public Works,Pothole repair time,minutes,lower,2014-09-01,9,10,green,improving"))
            #expect(lines.contains("Public Works,\"'=HYPERLINK(\"\"http://evil.example\"\")\",minutes,lower,,,,grey,unknown"))

            let otherTown = ConsoleTests.Browser(client)
            try await otherTown.get("/login")
            try await otherTown.post("/login", ["email": world.ceoB.email, "password": worldPassword])
            #expect(try await otherTown.get(path).status == .notFound)

            // The department head reads their department's dashboard, and is told so.
            let head = ConsoleTests.Browser(client)
            try await head.get("/login")
            try await head.post("/login", ["email": world.headA.email, "password": worldPassword])
            let headPage = try await head.get(path)
            #expect(headPage.status == .ok)
            #expect(headPage.text.contains("of your department"))
        }
    }

    @Test("my updates: the values due now, each entered from its own form; a bad value is named beside its field; a department head sees their department's")
    func myUpdates() async throws {
        try await withWorld { client, world, _ in
            let measure = try await PerformanceTests.measure(client, world, name: "Updates potholes", extra: ["ownerId": world.headA.id.uuidString])
            let head = ConsoleTests.Browser(client)
            try await head.get("/login")
            try await head.post("/login", ["email": world.headA.email, "password": worldPassword])
            let path = "/tenants/\(world.tenantA.uuidString.lowercased())/updates"
            let page = try await head.get(path)
            #expect(page.status == .ok, "\(page.text)")
            #expect(page.text.contains("Updates potholes"))
            let id = measure.lowercased()
            #expect(page.text.contains("id=\"field-value-\(id)\""))
            let period = try #require(
                page.text.components(separatedBy: "name=\"period\" value=\"").dropFirst().first?.prefix(10).description
            )
            let bad = try await head.post(path, ["measure": id, "period": period, "value": "twelve"])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.text.contains("id=\"field-value-\(id)-error\""))
            #expect(bad.text.contains("value=\"twelve\""))
            let saved = try await head.post(path, ["measure": id, "period": period, "value": "12.5", "note": "Two crews out sick"])
            #expect(saved.headers[.location] == "\(path)?saved=\(id)")
            let after = try await head.get("\(path)?saved=\(id)")
            #expect(after.text.contains("Saved."))
            #expect(!after.text.contains("field-value-\(id)"))
            let data = try await client.call(.get, "/v1/tenants/\(world.tenantA)/measures/\(measure)/data", as: world.ceoA).object()
            let items = try #require(data["items"] as? [[String: Any]])
            #expect(items.first?["note"] as? String == "Two crews out sick")
            #expect(items.first?["period"] as? String == period)
        }
    }

    @Test("an analyst's home is their portfolio: a row per town with its figures, linked to its dashboard; a CEO's home has no portfolio")
    func analystHome() async throws {
        try await withWorld { client, world, _ in
            _ = try await PerformanceTests.measure(client, world, name: "Portfolio potholes")
            let analyst = ConsoleTests.Browser(client)
            try await analyst.get("/login")
            try await analyst.post("/login", ["email": world.analystA.email, "password": worldPassword])
            let home = try await analyst.get("/")
            #expect(home.text.contains("Your towns"))
            #expect(home.text.contains("<a href=\"/tenants/\(world.tenantA.uuidString.lowercased())/dashboard\">"))
            #expect(home.text.contains("<td class=\"number\">1</td>"))
            let ceo = ConsoleTests.Browser(client)
            try await ceo.get("/login")
            try await ceo.post("/login", ["email": world.ceoA.email, "password": worldPassword])
            #expect(!(try await ceo.get("/").text.contains("Your towns")))
        }
    }
}
