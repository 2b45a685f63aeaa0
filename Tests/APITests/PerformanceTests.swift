import API
import Domain
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import PostgresNIO
import Storage
import TestSupport
import Testing

/// What the towns come for: measures, data, dashboards, stat meetings, benchmarks.
@Suite("Performance management")
struct PerformanceTests {
    static let csv: HTTPFields = [.contentType: "text/csv"]

    /// Creates a measure in town A's department through the API; returns its id.
    static func measure(
        _ client: any TestClientProtocol, _ world: World, name: String, direction: String = "lower",
        department: UUID? = nil, as person: Person? = nil, extra: [String: Any] = [:]
    ) async throws -> String {
        var body: [String: Any] = [
            "departmentId": (department ?? world.departmentA).uuidString, "name": name, "unit": "minutes",
            "direction": direction, "frequency": "monthly",
        ]
        body.merge(extra) { _, new in new }
        let response = try await client.call(.post, "/v1/tenants/\(world.tenantA)/measures", as: person ?? world.ceoA, json: body)
        #expect(response.status == .created, "\(response.text)")
        return try #require(try response.object()["id"] as? String)
    }

    static func post(_ client: any TestClientProtocol, _ path: String, as person: Person, csv text: String) async throws -> TestResponse {
        try await client.execute(uri: path, method: .post, headers: person.authorization + csv, body: ByteBuffer(string: text))
    }

    @Test("the dashboard shows each measure's latest value, target, status, trend and last periods")
    func dashboard() async throws {
        try await withWorld { client, world, _ in
            let id = try await Self.measure(client, world, name: "Police response time")
            #expect(try await client.call(.put, "/v1/tenants/\(world.tenantA)/measures/\(id)/targets/2015", as: world.ceoA, json: ["value": 8]).status == .ok)
            let file = "measure,period,value\n" + ["2014-07-01,7.5", "2014-08-01,7.9", "2014-09-01,8.1", "2014-10-01,8.6"]
                .map { "Police response time,\($0)" }.joined(separator: "\n")
            #expect(try await Self.post(client, "/v1/tenants/\(world.tenantA)/data-imports", as: world.analystA, csv: file).status == .created)
            let dashboard = try await client.call(.get, "/v1/tenants/\(world.tenantA)/dashboard?fy=2015", as: world.ceoA).object()
            let row = try #require((dashboard["measures"] as? [[String: Any]])?.first)
            #expect(row["latest"] as? Double == 8.6)
            #expect(row["target"] as? Double == 8)
            #expect(row["status"] as? String == "yellow")  // 0.6 worse, within the 0.8 band
            #expect(row["trend"] as? String == "worsening")  // 8.6 against the mean of 7.5, 7.9, 8.1
            #expect((row["points"] as? [Any])?.count == 4)
        }
    }

    @Test("one bad row among 1,000 good ones writes nothing and names that row")
    func badRowWritesNothing() async throws {
        try await withWorld { client, world, _ in
            _ = try await Self.measure(client, world, name: "Potholes filled", direction: "higher")
            var lines = ["measure,period,value,note"]
            for index in 0..<1_000 {
                let year = 1940 + index / 12
                let month = index % 12 + 1
                lines.append("Potholes filled,\(year)-\(month < 10 ? "0" : "")\(month)-01,\(index),")
            }
            lines[501] = "Potholes filled,1981-13-01,5,"  // line 502: no such month
            let response = try await Self.post(client, "/v1/tenants/\(world.tenantA)/data-imports", as: world.ceoA, csv: lines.joined(separator: "\n"))
            #expect(response.status == .unprocessableContent)
            let problem = try Problem.decode(from: response)
            #expect(problem.errors?.count == 1)
            #expect(problem.errors?.first?.field == "line 502")
            let measures = try await client.call(.get, "/v1/tenants/\(world.tenantA)/measures", as: world.ceoA).object()
            let id = try #require((measures["items"] as? [[String: Any]])?.first?["id"] as? String)
            let data = try await client.call(.get, "/v1/tenants/\(world.tenantA)/measures/\(id)/data", as: world.ceoA).object()
            #expect((data["items"] as? [Any])?.isEmpty == true)
        }
    }

    @Test("every bad row is listed with its reason")
    func everyBadRowListed() async throws {
        try await withWorld { client, world, _ in
            _ = try await Self.measure(client, world, name: "Permit days")
            let file = """
                measure,period,value
                Permit days,2015-01-01,4
                No such measure,2015-01-01,4
                Permit days,2015-01-15,4
                Permit days,2015-02-01,four
                Permit days,2015-01-01,5
                Permit days,2015-03-01
                """
            let response = try await Self.post(client, "/v1/tenants/\(world.tenantA)/data-imports", as: world.ceoA, csv: file)
            let errors = try #require(try Problem.decode(from: response).errors)
            #expect(errors.map(\.field) == ["line 3", "line 4", "line 5", "line 6", "line 7"])
            #expect(errors[0].reason.contains("does not exist"))
            #expect(errors[1].reason.contains("first day"))
            #expect(errors[2].reason.contains("not a number"))
            #expect(errors[3].reason.contains("repeats"))
            let wrongType = try await client.call(.post, "/v1/tenants/\(world.tenantA)/data-imports", as: world.ceoA, rawBody: "{}")
            #expect(wrongType.status == .unsupportedMediaType)
            let badHeader = try await Self.post(client, "/v1/tenants/\(world.tenantA)/data-imports", as: world.ceoA, csv: "name,when,amount\nx,y,z")
            #expect(try Problem.decode(from: badHeader).errors?.first?.field == "line 1")
        }
    }

    @Test("a file as spreadsheets save it imports: byte order mark, CRLF, semicolons")
    func spreadsheetFlavours() async throws {
        try await withWorld { client, world, _ in
            _ = try await Self.measure(client, world, name: "Permit days")
            let semicolons = "\u{FEFF}measure;period;value;note\r\nPermit days;2015-01-01;4;\"first; of the year\"\r\nPermit days;2015-02-01;3.5;\r\n"
            let response = try await Self.post(client, "/v1/tenants/\(world.tenantA)/data-imports", as: world.ceoA, csv: semicolons)
            #expect(response.status == .created, "\(response.text)")
            #expect(try response.object()["rows"] as? Int == 2)
            let commas = "\u{FEFF}measure,period,value\r\nPermit days,2015-03-01,5\r\n"
            let again = try await Self.post(client, "/v1/tenants/\(world.tenantA)/data-imports", as: world.ceoA, csv: commas)
            #expect(try again.object()["written"] as? Int == 1)
            let measures = try await client.call(.get, "/v1/tenants/\(world.tenantA)/measures", as: world.ceoA).object()
            let id = try #require((measures["items"] as? [[String: Any]])?.first?["id"] as? String)
            let data = try await client.call(.get, "/v1/tenants/\(world.tenantA)/measures/\(id)/data", as: world.ceoA).object()
            let items = try #require(data["items"] as? [[String: Any]])
            #expect(items.compactMap { $0["value"] as? Double } == [4, 3.5, 5])
            #expect(items.first?["note"] as? String == "first; of the year")
            // A date outside 1900 to 2199 is a bad row like any other.
            let early = try await Self.post(client, "/v1/tenants/\(world.tenantA)/data-imports", as: world.ceoA, csv: "measure,period,value\nPermit days,1899-12-01,1\n")
            #expect(try Problem.decode(from: early).errors?.map(\.field) == ["line 2"])
        }
    }

    @Test("a 100,000-row file imports; importing a period again makes a revision, not a duplicate")
    func largeImportAndRevisions() async throws {
        try await withWorld { client, world, database in
            var names: [String] = []
            for index in 0..<100 {
                names.append("Measure \(index)")
                _ = try await Self.measure(client, world, name: "Measure \(index)")
            }
            var text = "measure,period,value\n"
            text.reserveCapacity(3_500_000)
            for name in names {
                for month in 0..<1_000 {
                    let year = 1930 + month / 12
                    let monthOfYear = month % 12 + 1
                    text += "\(name),\(year)-\(monthOfYear < 10 ? "0" : "")\(monthOfYear)-01,\(month % 97).5\n"
                }
            }
            let response = try await Self.post(client, "/v1/tenants/\(world.tenantA)/data-imports", as: world.ceoA, csv: text)
            #expect(response.status == .created, "\(response.text.prefix(500))")
            #expect(try response.object()["rows"] as? Int == 100_000)
            #expect(try response.object()["written"] as? Int == 100_000)

            let again = try await Self.post(client, "/v1/tenants/\(world.tenantA)/data-imports", as: world.ceoA, csv: "measure,period,value\nMeasure 7,1930-01-01,42\nMeasure 7,1930-02-01,1.5\n")
            #expect(try again.object()["written"] as? Int == 1)
            #expect(try again.object()["unchanged"] as? Int == 1)

            let counts = try await withDatabase(database.serviceURL) { db in
                try await db.withTenantTransaction(.tenant(world.tenantA)) { connection in
                    let rows = try await connection.query(
                        """
                        SELECT (SELECT count(*) FROM data_points)::int,
                               (SELECT count(*) FROM data_point_revisions r JOIN measures m ON m.tenant_id = r.tenant_id AND m.id = r.measure_id
                                WHERE m.name = 'Measure 7' AND r.period = '1930-01-01')::int,
                               (SELECT value::text FROM data_points d JOIN measures m ON m.tenant_id = d.tenant_id AND m.id = d.measure_id
                                WHERE m.name = 'Measure 7' AND d.period = '1930-01-01')
                        """,
                        logger: TestDatabases.logger
                    )
                    for try await row in rows.decode((Int, Int, String).self) { return row }
                    return (0, 0, "")
                }
            }
            #expect(counts.0 == 100_000)
            #expect(counts.1 == 2)  // created, then changed
            #expect(counts.2 == "42")
        }
    }

    @Test("a department head reads and writes only their department's measures")
    func departmentHeadScope() async throws {
        try await withWorld { client, world, _ in
            let other = try await client.call(.post, "/v1/tenants/\(world.tenantA)/departments", as: world.ceoA, json: ["name": "Police"])
            let otherText = try #require(try other.object()["id"] as? String)
            let otherDepartment = try #require(UUID(uuidString: otherText))
            let own = try await Self.measure(client, world, name: "Potholes filled", direction: "higher", as: world.headA)
            let foreign = try await Self.measure(client, world, name: "Response time", department: otherDepartment)

            let listed = try await client.call(.get, "/v1/tenants/\(world.tenantA)/measures", as: world.headA).object()
            #expect((listed["items"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [own])
            let dashboard = try await client.call(.get, "/v1/tenants/\(world.tenantA)/dashboard", as: world.headA).object()
            #expect((dashboard["measures"] as? [Any])?.count == 1)

            #expect(try await client.call(.get, "/v1/tenants/\(world.tenantA)/measures/\(foreign)", as: world.headA).status == .forbidden)
            #expect(try await client.call(.post, "/v1/tenants/\(world.tenantA)/measures/\(foreign)/data", as: world.headA, json: ["period": "2015-01-01", "value": 3]).status == .forbidden)
            #expect(try await client.call(.post, "/v1/tenants/\(world.tenantA)/measures/\(own)/data", as: world.headA, json: ["period": "2015-01-01", "value": 3]).status == .created)
            let denied = try await Self.post(client, "/v1/tenants/\(world.tenantA)/data-imports", as: world.headA, csv: "measure,period,value\nResponse time,2015-01-01,3\n")
            #expect(try Problem.decode(from: denied).errors?.first?.reason.contains("another department") == true)
            // Sign-off and sharing are not theirs.
            #expect(try await client.call(.post, "/v1/tenants/\(world.tenantA)/measures/\(own)/data/validations", as: world.headA, json: ["periods": ["2015-01-01"]]).status == .forbidden)
            #expect(try await client.call(.patch, "/v1/tenants/\(world.tenantA)/measures/\(own)", as: world.headA, json: ["sharing": "named"]).status == .forbidden)
            let validated = try await client.call(.post, "/v1/tenants/\(world.tenantA)/measures/\(own)/data/validations", as: world.analystA, json: ["periods": ["2015-01-01"]]).object()
            #expect((validated["items"] as? [[String: Any]])?.first?["status"] as? String == "validated")
            #expect((validated["items"] as? [[String: Any]])?.first?["validatedBy"] as? String == world.analystA.id.uuidString)
        }
    }

    @Test("an analyst sees only their portfolio's measures, and the portfolio overview")
    func analystScope() async throws {
        try await withWorld { client, world, _ in
            let id = try await Self.measure(client, world, name: "Response time")
            #expect(try await client.call(.get, "/v1/tenants/\(world.tenantA)/measures/\(id)", as: world.analystA).status == .ok)
            #expect(try await client.call(.get, "/v1/tenants/\(world.tenantA)/measures/\(id)", as: world.analystB).status == .notFound)
            #expect(try await client.call(.get, "/v1/tenants/\(world.tenantA)/dashboard", as: world.analystB).status == .notFound)
            _ = try await client.call(.post, "/v1/tenants/\(world.tenantA)/action-items", as: world.analystA, json: ["title": "Pull the CAD data", "dueOn": "2014-01-01"])
            let portfolio = try await client.call(.get, "/v1/portfolio", as: world.analystA).object()
            let tenants = try #require(portfolio["tenants"] as? [[String: Any]])
            #expect(tenants.count == 1)
            #expect(tenants.first?["tenantId"] as? String == world.tenantA.uuidString)
            #expect(tenants.first?["measures"] as? Int == 1)
            #expect(tenants.first?["measuresDue"] as? Int == 1)
            #expect(tenants.first?["overdueActionItems"] as? Int == 1)
        }
    }

    @Test("the portfolio judges each tenant against the targets of its own jurisdiction's fiscal year")
    func portfolioFiscalYears() async throws {
        try await withWorld { client, world, _ in
            let admin = world.admin
            // A state whose fiscal year is the calendar year: on 2014-10-15 it is in FY2014,
            // while Massachusetts is in FY2015.
            #expect(try await client.call(.post, "/v1/jurisdictions", as: admin, json: ["code": "ZZ", "name": "Calendaria", "fiscalYearStartMonth": 1]).status == .created)
            let tenant = try await client.call(.post, "/v1/tenants", as: admin, json: ["name": "Zenith", "kind": "municipality", "jurisdiction": "ZZ", "population": 9_000]).object()
            let tenantID = try #require(tenant["id"] as? String)
            #expect(try await client.call(.put, "/v1/analysts/\(world.analystA.id)/portfolio/\(tenantID)", as: admin).status == .noContent)
            let department = try await client.call(.post, "/v1/tenants/\(tenantID)/departments", as: admin, json: ["name": "Public Works"]).object()
            let departmentID = try #require(department["id"] as? String)
            let measure = try await client.call(.post, "/v1/tenants/\(tenantID)/measures", as: admin, json: [
                "departmentId": departmentID, "name": "Response time", "unit": "minutes", "direction": "lower", "frequency": "monthly",
            ]).object()
            let measureID = try #require(measure["id"] as? String)
            #expect(try await client.call(.put, "/v1/tenants/\(tenantID)/measures/\(measureID)/targets/2014", as: admin, json: ["value": 8]).status == .ok)
            #expect(try await client.call(.post, "/v1/tenants/\(tenantID)/measures/\(measureID)/data", as: admin, json: ["period": "2014-09-01", "value": 11]).status == .created)

            let portfolio = try await client.call(.get, "/v1/portfolio?asOf=2014-10-15", as: world.analystA).object()
            #expect(portfolio["asOf"] as? String == "2014-10-15")
            let zenith = try #require((portfolio["tenants"] as? [[String: Any]])?.first { $0["tenantId"] as? String == tenantID })
            #expect(zenith["measures"] as? Int == 1)
            #expect(zenith["measuresInRed"] as? Int == 1)  // 11 against FY2014's 8; FY2015 has no target
            #expect(zenith["measuresDue"] as? Int == 0)  // September's value; October has not ended
            // An explicit fiscal year applies to every tenant.
            let later = try await client.call(.get, "/v1/portfolio?asOf=2014-10-15&fy=2015", as: world.analystA).object()
            let zenithLater = try #require((later["tenants"] as? [[String: Any]])?.first { $0["tenantId"] as? String == tenantID })
            #expect(zenithLater["measuresInRed"] as? Int == 0)
        }
    }

    @Test("a department head's portfolio: their department's measures, their action items, no meetings, no invoices")
    func departmentHeadPortfolio() async throws {
        try await withWorld { client, world, _ in
            let police = try await client.call(.post, "/v1/tenants/\(world.tenantA)/departments", as: world.ceoA, json: ["name": "Police"]).object()
            let policeID = try #require((police["id"] as? String).flatMap(UUID.init(uuidString:)))
            _ = try await Self.measure(client, world, name: "Potholes filled", direction: "higher")
            _ = try await Self.measure(client, world, name: "Response time", department: policeID)
            for (title, owner) in [("Fill the potholes on Main", world.headA.id.uuidString), ("Review overtime", world.ceoA.id.uuidString)] {
                let created = try await client.call(.post, "/v1/tenants/\(world.tenantA)/action-items", as: world.analystA, json: ["title": title, "ownerId": owner, "dueOn": "2014-01-01"])
                #expect(created.status == .created)
            }
            #expect(try await client.call(.post, "/v1/tenants/\(world.tenantA)/meetings", as: world.analystA, json: ["heldOn": "2014-11-04", "title": "DPW stat"]).status == .created)

            let ceo = try #require((try await client.call(.get, "/v1/portfolio?asOf=2014-10-15", as: world.ceoA).object()["tenants"] as? [[String: Any]])?.first)
            #expect(ceo["measures"] as? Int == 2)
            #expect(ceo["openActionItems"] as? Int == 2)
            #expect(ceo["overdueActionItems"] as? Int == 2)
            #expect(ceo["nextMeeting"] as? String == "2014-11-04")
            #expect(ceo["openInvoices"] as? Int == 0)

            let head = try #require((try await client.call(.get, "/v1/portfolio?asOf=2014-10-15", as: world.headA).object()["tenants"] as? [[String: Any]])?.first)
            #expect(head["tenantId"] as? String == world.tenantA.uuidString)
            #expect(head["measures"] as? Int == 1)
            #expect(head["openActionItems"] as? Int == 1)
            #expect(head["overdueActionItems"] as? Int == 1)
            #expect(head["nextMeeting"] == nil)
            #expect(head["openInvoices"] == nil)
        }
    }

    @Test("a meeting's agenda carries the open action items of the one before, measures in red, and new items")
    func agendaCarriesOpenItems() async throws {
        try await withWorld { client, world, _ in
            let measure = try await Self.measure(client, world, name: "Response time")
            _ = try await client.call(.put, "/v1/tenants/\(world.tenantA)/measures/\(measure)/targets/2015", as: world.ceoA, json: ["value": 8])
            _ = try await client.call(.post, "/v1/tenants/\(world.tenantA)/measures/\(measure)/data", as: world.ceoA, json: ["period": "2014-09-01", "value": 11])
            let first = try await client.call(.post, "/v1/tenants/\(world.tenantA)/meetings", as: world.analystA, json: ["heldOn": "2014-10-01", "title": "DPW stat", "attendees": ["Town Manager", "DPW Director"]]).object()
            let firstID = try #require(first["id"] as? String)
            let open = try await client.call(.post, "/v1/tenants/\(world.tenantA)/action-items", as: world.analystA, json: ["title": "Add a second crew", "ownerId": world.headA.id.uuidString, "meetingId": firstID, "measureId": measure]).object()
            let done = try await client.call(.post, "/v1/tenants/\(world.tenantA)/action-items", as: world.analystA, json: ["title": "Fix the radio", "meetingId": firstID]).object()
            let doneID = try #require(done["id"] as? String)
            #expect(try await client.call(.patch, "/v1/tenants/\(world.tenantA)/action-items/\(doneID)", as: world.ceoA, json: ["status": "done"]).status == .ok)

            let second = try await client.call(.post, "/v1/tenants/\(world.tenantA)/meetings", as: world.analystA, json: ["heldOn": "2014-11-01", "title": "DPW stat"]).object()
            let secondID = try #require(second["id"] as? String)
            #expect(try await client.call(.post, "/v1/tenants/\(world.tenantA)/meetings/\(secondID)/agenda-items", as: world.ceoA, json: ["title": "Snow plan"]).status == .created)

            let agenda = try await client.call(.get, "/v1/tenants/\(world.tenantA)/meetings/\(secondID)/agenda", as: world.ceoA).object()
            let followUps = try #require(agenda["followUps"] as? [[String: Any]])
            #expect(followUps.compactMap { $0["id"] as? String } == [open["id"] as? String].compactMap { $0 })
            let standing = try #require(agenda["standingItems"] as? [[String: Any]])
            #expect(standing.first?["status"] as? String == "red")
            #expect((agenda["newItems"] as? [[String: Any]])?.first?["title"] as? String == "Snow plan")
            // The first meeting's own agenda does not list what was raised at it.
            let firstAgenda = try await client.call(.get, "/v1/tenants/\(world.tenantA)/meetings/\(firstID)/agenda", as: world.ceoA).object()
            #expect((firstAgenda["followUps"] as? [Any])?.isEmpty == true)

            // The owner reports on their item; they may not reassign it, and see only theirs.
            let openID = try #require(open["id"] as? String)
            #expect(try await client.call(.patch, "/v1/tenants/\(world.tenantA)/action-items/\(openID)", as: world.headA, json: ["ownerId": world.ceoA.id.uuidString]).status == .forbidden)
            #expect(try await client.call(.patch, "/v1/tenants/\(world.tenantA)/action-items/\(openID)", as: world.headA, json: ["status": "done"]).status == .ok)
            let mine = try await client.call(.get, "/v1/tenants/\(world.tenantA)/action-items", as: world.headA).object()
            #expect((mine["items"] as? [Any])?.count == 1)
            #expect(try await client.call(.get, "/v1/tenants/\(world.tenantA)/meetings", as: world.headA).status == .forbidden)
        }
    }
}
