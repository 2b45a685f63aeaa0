import API
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// Issue 11, section 1: no value a request can store may make a later request fail.
@Suite("Dates at the edges of the range")
struct DateEdgeTests {
    @Test("dates beyond 1900-01-01 to 2199-12-31 are refused where they enter, and nothing is written")
    func outOfRangeIsRefused() async throws {
        try await withWorld { client, world, _ in
            let measure = try await PerformanceTests.measure(client, world, name: "Response minutes")
            let data = "/v1/tenants/\(world.tenantA)/measures/\(measure)/data"
            for period in ["9999-11-01", "0001-01-01", "1899-12-01", "2200-01-01"] {
                let response = try await client.call(.post, data, as: world.analystA, json: ["period": period, "value": 1])
                #expect(response.status == .unprocessableContent, "\(period): \(response.status)")
                #expect(try Problem.decode(from: response).errors?.first?.field == "period")
            }
            let meeting = try await client.call(
                .post, "/v1/tenants/\(world.tenantA)/meetings", as: world.analystA, json: ["heldOn": "0001-01-01", "title": "Year one stat"]
            )
            #expect(meeting.status == .unprocessableContent)
            let csv = "measure,period,value\nResponse minutes,9999-11-01,3\n"
            #expect(try await PerformanceTests.post(client, "/v1/tenants/\(world.tenantA)/data-imports", as: world.analystA, csv: csv).status == .unprocessableContent)
            let items = try await client.call(.get, data, as: world.analystA).object()["items"] as? [Any]
            #expect(items?.isEmpty == true)
            #expect(try await client.call(.get, "/v1/portfolio?asOf=9999-12-31", as: world.analystA).status == .badRequest)
        }
    }

    @Test("the first and last days of the range, stored by an analyst, leave every read answering, benchmarks included")
    func edgesLeaveEveryReadAnswering() async throws {
        try await withWorld { client, world, _ in
            let tenant = "/v1/tenants/\(world.tenantA)"
            // A measure of the library, shared by name, so that its benchmark reads the edges too.
            let template = try await client.call(
                .post, "/v1/library/measures", as: world.admin,
                json: ["name": "Potholes", "unit": "days", "direction": "lower", "frequency": "monthly"]
            )
            #expect(template.status == .created, "\(template.text)")
            let templateID = try #require(try template.object()["id"] as? String)
            let measure = try await PerformanceTests.measure(
                client, world, name: "Potholes", extra: ["templateId": templateID, "sharing": "named"]
            )
            for period in ["1900-01-01", "2199-12-01"] {
                let entered = try await client.call(.post, "\(tenant)/measures/\(measure)/data", as: world.analystA, json: ["period": period, "value": 7])
                #expect(entered.status == .created, "\(period): \(entered.text)")
            }
            var meetings: [String] = []
            for day in ["1900-01-01", "2199-12-31"] {
                let meeting = try await client.call(.post, "\(tenant)/meetings", as: world.analystA, json: ["heldOn": day, "title": "Stat \(day)"])
                #expect(meeting.status == .created, "\(day): \(meeting.text)")
                meetings.append(try #require(try meeting.object()["id"] as? String))
                let item = try await client.call(.post, "\(tenant)/action-items", as: world.analystA, json: ["title": "Follow up \(day)", "dueOn": day])
                #expect(item.status == .created, "\(day): \(item.text)")
            }
            var reads: [(Person, String)] = [
                (world.analystA, "/v1/portfolio"), (world.analystA, "/v1/portfolio?asOf=1900-01-01"), (world.analystA, "/v1/portfolio?asOf=2199-12-31"),
                (world.admin, "/v1/portfolio?asOf=2199-12-31"), (world.ceoA, "\(tenant)/dashboard"), (world.ceoA, "\(tenant)/dashboard?fy=2200"),
                (world.ceoA, "\(tenant)/dashboard?fy=2000"), (world.analystA, "\(tenant)/measures/\(measure)/data"),
                (world.analystA, "\(tenant)/action-items"), (world.admin, "/v1/reports/aging?asOf=2199-12-31"),
                (world.admin, "/v1/reports/aging?asOf=1900-01-01"), (world.ceoA, "\(tenant)/statement"),
                (world.analystA, "/v1/benchmarks/\(templateID)?fy=2200"), (world.analystA, "/v1/benchmarks/\(templateID)?fy=2000"),
                (world.ceoB, "/v1/benchmarks/\(templateID)?fy=2200"), (world.admin, "/v1/benchmarks/\(templateID)?fy=2100"),
            ]
            reads += meetings.map { (world.analystA, "\(tenant)/meetings/\($0)/agenda") }
            for (person, path) in reads {
                let response = try await client.call(.get, path, as: person)
                #expect(response.status == .ok, "\(path): \(response.status) \(response.text.prefix(300))")
            }
        }
    }
}
