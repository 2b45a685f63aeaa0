import API
import Domain
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import PostgresNIO
import Services
import Storage
import TestSupport
import Testing

/// The program as it grew: new states and kinds of tenant are data, and the demo tells
/// the poster's story.
@Suite("The program as it grew")
struct ProgramGrowthTests {
    @Test("a new jurisdiction, tenant kind and program through the API alone: onboard, invoice, dashboard")
    func growthThroughTheAPI() async throws {
        try await withWorld { client, world, _ in
            let admin = world.admin
            #expect(try await client.call(.post, "/v1/jurisdictions", as: admin, json: ["code": "CT", "name": "Connecticut", "fiscalYearStartMonth": 7]).status == .created)
            #expect(try await client.call(.post, "/v1/tenant-kinds", as: admin, json: ["code": "regional_authority", "name": "Regional authority", "executiveTitle": "Executive Director", "unitName": "Division", "sizeMeasure": "population"]).status == .created)
            #expect(try await client.call(.post, "/v1/funding-sources", as: admin, json: ["code": "CT-OPM", "name": "Connecticut Office of Policy and Management", "jurisdiction": "CT"]).status == .created)
            #expect(try await client.call(.post, "/v1/programs", as: admin, json: ["code": "CTPMP", "name": "Connecticut pilot", "jurisdiction": "CT", "tenantKinds": ["regional_authority"]]).status == .created)
            #expect(try await client.call(.put, "/v1/programs/CTPMP/years/2016", as: admin, json: ["budgetCents": 20_000_000, "targetStateShareBasisPoints": 5_000, "analystHeadcount": 1]).status == .ok)
            #expect(try await client.call(.put, "/v1/programs/CTPMP/years/2016/fee-schedule", as: admin, json: ["tiers": [["minimumSize": 0, "feeCents": 3_660_000]]]).status == .ok)
            #expect(try await client.call(.post, "/v1/programs/CTPMP/years/2016/grants", as: admin, json: ["fundingSource": "CT-OPM", "amountCents": 10_000_000, "awardedOn": "2015-07-01"]).status == .created)

            let tenant = try await client.call(.post, "/v1/tenants", as: admin, json: ["name": "Capitol Region Council", "kind": "regional_authority", "jurisdiction": "CT", "population": 970_000]).object()
            let tenantID = try #require(tenant["id"] as? String)
            // A municipality may not join the program; the regional authority may, mid-year.
            #expect(try await client.call(.post, "/v1/tenants/\(world.tenantA)/enrollments", as: admin, json: ["program": "CTPMP", "fiscalYear": 2016, "joinedOn": "2015-07-01"]).status == .unprocessableContent)
            #expect(try await client.call(.post, "/v1/tenants/\(tenantID)/enrollments", as: admin, json: ["program": "CTPMP", "fiscalYear": 2016, "joinedOn": "2016-01-01"]).status == .created)
            let run = try await client.call(.post, "/v1/programs/CTPMP/years/2016/invoice-runs", as: admin).object()
            #expect(run["draftsCreated"] as? Int == 1)
            let invoice = try #require((try await client.call(.get, "/v1/tenants/\(tenantID)/invoices", as: admin).object()["items"] as? [[String: Any]])?.first)
            // FY2016 has 366 days; January 1 leaves 182: 3 660 000 × 182 ÷ 366 = 1 820 000.
            #expect(invoice["yearDays"] as? Int == 366)
            #expect(invoice["amountCents"] as? Int == 1_820_000)
            let invoiceID = try #require(invoice["id"] as? String)
            let finalized = try await client.call(.post, "/v1/tenants/\(tenantID)/invoices/\(invoiceID)/finalize", as: admin).object()
            #expect(finalized["number"] as? String == "CTPMP-FY2016-0001")

            let department = try await client.call(.post, "/v1/tenants/\(tenantID)/departments", as: admin, json: ["name": "Transportation"]).object()
            let departmentID = try #require(department["id"] as? String)
            #expect(try await client.call(.post, "/v1/tenants/\(tenantID)/measures", as: admin, json: ["departmentId": departmentID, "name": "Bus on-time rate", "unit": "percent", "direction": "higher", "frequency": "monthly"]).status == .created)
            let dashboard = try await client.call(.get, "/v1/tenants/\(tenantID)/dashboard", as: admin).object()
            #expect((dashboard["measures"] as? [[String: Any]])?.first?["status"] as? String == "grey")
            let report = try await client.call(.get, "/v1/programs/CTPMP/years/2016/funding-report", as: admin).object()
            #expect(report["feesInvoicedCents"] as? Int == 1_820_000)
        }
    }

    @Test("the demo's funding reports tell the poster's story, each share within one percentage point")
    func demoMatchesThePoster() async throws {
        try await withTestDatabase { database in
            let loaded = try await database.serviceURL.withConnection(logger: TestDatabases.logger) { connection in
                try await DemoLoader(logger: TestDatabases.logger).loadIfMissing(on: connection)
            }
            #expect(loaded)
            let again = try await database.serviceURL.withConnection(logger: TestDatabases.logger) { connection in
                try await DemoLoader(logger: TestDatabases.logger).loadIfMissing(on: connection)
            }
            #expect(!again)
            try await withApplication(databaseURL: database.serviceURL) { client in
                let login = try await client.call(.post, "/v1/auth/login", json: ["email": "director@mpmp.demo", "password": "demo-director-2015"]).object()
                let director = Person(id: UUID(), email: "director@mpmp.demo", token: try #require(login["token"] as? String))
                let poster: [(year: Int, minimumTowns: Int, analysts: Int, budget: Int, stateShare: Int)] = [
                    (2013, 20, 5, 30_000_000, 10_000), (2014, 35, 6, 55_000_000, 6_000), (2015, 40, 7, 75_000_000, 3_300),
                ]
                for expected in poster {
                    let report = try await client.call(.get, "/v1/programs/MPMP/years/\(expected.year)/funding-report", as: director).object()
                    let towns = try #require(report["enrolledTenants"] as? Int)
                    #expect(expected.year == 2013 ? towns == 20 : towns >= expected.minimumTowns)
                    #expect(report["analystHeadcount"] as? Int == expected.analysts)
                    #expect(report["budgetCents"] as? Int == expected.budget)
                    let share = try #require(report["actualStateShareBasisPoints"] as? Int)
                    #expect(abs(share - expected.stateShare) <= 100, "FY\(expected.year): \(share) bp against \(expected.stateShare)")
                }
                // SDPMP launches with one analyst; Rhode Island considers a pilot.
                let pilot = try await client.call(.get, "/v1/programs/SDPMP/years/2015/funding-report", as: director).object()
                #expect(pilot["analystHeadcount"] as? Int == 1)
                #expect(pilot["enrolledTenants"] as? Int == 3)
                let rhodeIsland = try await client.call(.get, "/v1/programs/RIPMP/years/2015/funding-report", as: director).object()
                #expect(rhodeIsland["grantsAwardedCents"] as? Int == 15_000_000)
                #expect(rhodeIsland["enrolledTenants"] as? Int == 0)
                let grants = try await client.call(.get, "/v1/programs/RIPMP/years/2015/grants", as: director).object()
                #expect((grants["items"] as? [[String: Any]])?.first?["fundingSource"] as? String == "RI-DMF")
                let aging = try await client.call(.get, "/v1/reports/aging?asOf=2015-03-31", as: director).object()
                #expect((aging["totalCents"] as? Int ?? 0) > 0)
                #expect(((aging["buckets"] as? [String: Int]) ?? [:]).values.filter { $0 > 0 }.count >= 3)

                // The SDPMP analyst's portfolio spans both states and both kinds.
                let analystLogin = try await client.call(.post, "/v1/auth/login", json: ["email": "analyst8@mpmp.demo", "password": "demo-analyst-2015"]).object()
                let analyst = Person(id: UUID(), email: "analyst8@mpmp.demo", token: try #require(analystLogin["token"] as? String))
                let tenants = try #require(try await client.call(.get, "/v1/tenants", as: analyst).object()["items"] as? [[String: Any]])
                #expect(Set(tenants.compactMap { $0["jurisdiction"] as? String }) == ["MA", "RI"])
                #expect(Set(tenants.compactMap { $0["kind"] as? String }) == ["municipality", "school_district"])
            }
        }
    }
}
