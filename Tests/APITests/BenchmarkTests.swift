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

/// Peer benchmarks through the API: shared rows only, named or anonymized by DESIGN §5.
@Suite("Peer benchmarks")
struct BenchmarkTests {
    /// Every number a benchmark answer shows: named values and anonymized aggregates.
    static func values(in benchmark: [String: Any]) -> [Double] {
        let named = (benchmark["named"] as? [[String: Any]] ?? []).flatMap { ($0["values"] as? [[String: Any]] ?? []).compactMap { $0["value"] as? Double } }
        let anonymized = (benchmark["anonymized"] as? [[String: Any]] ?? []).flatMap { period in
            ["minimum", "maximum", "mean", "median"].compactMap { period[$0] as? Double }
        }
        return named + anonymized
    }

    /// Publishes the pothole template and creates five more towns ("Peer 0" … "Peer 4"),
    /// each with a department; returns the template id and the towns.
    static func peers(_ client: any TestClientProtocol, _ world: World, _ database: TestDatabase) async throws -> (String, [(UUID, UUID)]) {
        let template = try await client.call(.post, "/v1/library/measures", as: world.admin, json: ["name": "Pothole repair days", "unit": "days", "direction": "lower", "frequency": "monthly"]).object()
        let templateID = try #require(template["id"] as? String)
        let towns = try await withDatabase(database.serviceURL) { db in
            try await db.withTenantTransaction(.center) { connection in
                try await connection.assumeCenterAdminRole(logger: TestDatabases.logger)
                var towns: [(UUID, UUID)] = []
                for index in 0..<5 {
                    let tenant = Tenant(id: UUID(), name: "Peer \(index)", kindCode: "municipality", jurisdictionCode: "MA", population: 5_000)
                    try await TenantStore(logger: TestDatabases.logger).create(tenant, on: connection)
                    let department = Department(tenantID: tenant.id, id: UUID(), name: "DPW")
                    try await TenantStore(logger: TestDatabases.logger).createDepartment(department, on: connection)
                    towns.append((tenant.id, department.id))
                }
                return towns
            }
        }
        return (templateID, towns)
    }

    /// The town adopts the template with `sharing` and reports `value` for October 2014.
    static func adopt(_ town: (UUID, UUID), templateID: String, sharing: Sharing, value: Int, world: World, database: TestDatabase) async throws {
        let (tenant, department) = town
        try await withDatabase(database.serviceURL) { db in
            try await db.withTenantTransaction(.tenant(tenant)) { connection in
                let store = MeasureStore(logger: TestDatabases.logger)
                let measure = MeasureRecord(
                    tenantID: tenant, id: UUID(), departmentID: department, name: "Pothole repair days", definition: "", unit: "days",
                    direction: .lowerIsBetter, frequency: .monthly, ownerID: nil, templateID: UUID(uuidString: templateID), sharing: sharing
                )
                _ = try await store.create(measure, on: connection)
                try await store.write([ImportRow(measureID: measure.id, period: CivilDate(year: 2014, month: 10, day: 1)!, value: try #require(Quantity(value)), note: "")], tenantID: tenant, by: world.admin.id, reason: "test", on: connection)
            }
        }
    }

    @Test("benchmarks: private measures never appear, anonymized ones never name their tenant, fewer than three show nothing")
    func benchmarks() async throws {
        try await withWorld { client, world, database in
            #expect(try await client.call(.post, "/v1/library/measures", as: world.ceoA, json: ["name": "Mine", "unit": "x", "direction": "lower", "frequency": "monthly"]).status == .forbidden)
            // Five more towns; each adopts the template with some sharing and one value.
            let (templateID, towns) = try await Self.peers(client, world, database)
            func adopt(_ index: Int, _ sharing: Sharing, _ value: Int) async throws {
                try await Self.adopt(towns[index], templateID: templateID, sharing: sharing, value: value, world: world, database: database)
            }
            try await adopt(0, .named, 3)
            try await adopt(1, .private, 4_242)
            try await adopt(2, .anonymized, 5)
            try await adopt(3, .anonymized, 7)

            var benchmark = try await client.call(.get, "/v1/benchmarks/\(templateID)?fy=2015", as: world.ceoA).object()
            #expect((benchmark["named"] as? [[String: Any]])?.compactMap { $0["tenantName"] as? String } == ["Peer 0"])
            #expect(benchmark["anonymizedSharers"] as? Int == 2)
            #expect((benchmark["anonymized"] as? [Any])?.isEmpty == true)
            #expect(Self.values(in: benchmark) == [3])
            #expect(!(try await client.call(.get, "/v1/benchmarks/\(templateID)?fy=2015", as: world.ceoA).text.contains(towns[1].0.uuidString)))

            try await adopt(4, .anonymized, 6)
            let response = try await client.call(.get, "/v1/benchmarks/\(templateID)?fy=2015", as: world.headA)
            benchmark = try response.object()
            #expect(benchmark["anonymizedSharers"] as? Int == 3)
            let anonymized = try #require(benchmark["anonymized"] as? [[String: Any]])
            #expect(anonymized.count == 1)
            let october = try #require(anonymized.first)
            // Aggregates only: no list of values, no order that could give a tenant away.
            #expect(Set(october.keys) == ["period", "sharers", "count", "minimum", "maximum", "mean", "median"])
            #expect(october["period"] as? String == "2014-10-01")
            #expect(october["sharers"] as? Int == 3)
            #expect(october["count"] as? Int == 3)
            #expect(october["minimum"] as? Double == 5)
            #expect(october["maximum"] as? Double == 7)
            #expect(october["mean"] as? Double == 6)
            #expect(october["median"] as? Double == 6)
            for (tenant, _) in towns[1...4] {
                #expect(!response.text.contains(tenant.uuidString))
            }
            #expect(!response.text.contains("Peer 2") && !response.text.contains("Peer 3") && !response.text.contains("Peer 4"))
            #expect(Self.values(in: benchmark).sorted() == [3, 5, 6, 6, 7])
            #expect(!Self.values(in: benchmark).contains(4_242))

            // The wall below: without the benchmark setting, other tenants' shared rows stay hidden.
            let leaked = try await withDatabase(database.serviceURL) { db in
                try await db.withTenantTransaction(.tenant(world.tenantA)) { connection in
                    let rows = try await connection.query("SELECT count(*)::int FROM measures", logger: TestDatabases.logger)
                    for try await count in rows.decode(Int.self) { return count }
                    return -1
                }
            }
            #expect(leaked == 0)
        }
    }

    @Test("an analyst who holds two of the three anonymized sharers gets no anonymized figures")
    func benchmarkSharersMustBeHidden() async throws {
        try await withWorld { client, world, database in
            let (templateID, towns) = try await Self.peers(client, world, database)
            for (index, sharing, value) in [(0, Sharing.named, 3), (2, .anonymized, 5), (3, .anonymized, 7), (4, .anonymized, 6)] {
                try await Self.adopt(towns[index], templateID: templateID, sharing: sharing, value: value, world: world, database: database)
            }
            // Someone who sees none of the three gets their aggregates...
            let outsider = try await client.call(.get, "/v1/benchmarks/\(templateID)?fy=2015", as: world.ceoA).object()
            #expect(outsider["anonymizedSharers"] as? Int == 3)
            #expect((outsider["anonymized"] as? [[String: Any]])?.first?["sharers"] as? Int == 3)

            // ...but an analyst with two of them in their portfolio could take their own values
            // back out of any figure over the three, and so learn the third town's value.
            for town in [towns[2].0, towns[3].0] {
                #expect(try await client.call(.put, "/v1/analysts/\(world.analystA.id)/portfolio/\(town)", as: world.admin).status == .noContent)
            }
            let response = try await client.call(.get, "/v1/benchmarks/\(templateID)?fy=2015", as: world.analystA)
            #expect(response.status == .ok)
            let benchmark = try response.object()
            #expect(benchmark["anonymizedSharers"] as? Int == 1)
            #expect((benchmark["anonymized"] as? [Any])?.isEmpty == true)
            #expect((benchmark["named"] as? [[String: Any]])?.compactMap { $0["tenantName"] as? String } == ["Peer 0"])
            #expect(Self.values(in: benchmark) == [3])
            #expect(!response.text.contains(towns[4].0.uuidString) && !response.text.contains("Peer 4"))

            // A Center admin sees every tenant: nobody is hidden from them, so no aggregates either.
            let admin = try await client.call(.get, "/v1/benchmarks/\(templateID)?fy=2015", as: world.admin).object()
            #expect(admin["anonymizedSharers"] as? Int == 0)
            #expect((admin["anonymized"] as? [Any])?.isEmpty == true)
        }
    }
}
