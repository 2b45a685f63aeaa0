import Domain
import Foundation
import HTTPTypes
import HummingbirdTesting
import PostgresNIO
import Services
import Storage
import TestSupport
import Testing

/// The dashboard's one statement (migrations 0021 and 0022): the session, the measures and the
/// refusals' audit records in one round trip, with "today" pinned.
@Suite("The dashboard in one statement")
struct DashboardReadTests {
    static let route = "GET /v1/tenants/{t}/dashboard"

    static func caller(token: String) -> Caller {
        Caller(sessionTokenHash: SecretToken.hash(token), clientAddress: "192.0.2.7", route: route)
    }

    /// The services of the test database with "today" pinned.
    static func services(_ database: Database, today: String) throws -> Services {
        Services(database: database, clock: .fixed(try #require(CivilDate(iso8601: today))))
    }

    /// A measure of tenant A with targets 8 for FY2015 and 6 for FY2016 (Massachusetts:
    /// FY2016 runs from July 2015 to June 2016).
    static func measureWithTwoTargets(_ client: any TestClientProtocol, _ world: World) async throws {
        let created = try await client.call(
            .post, "/v1/tenants/\(world.tenantA)/measures", as: world.ceoA,
            json: ["departmentId": world.departmentA.uuidString, "name": "Pothole repair days", "unit": "days", "direction": "lower", "frequency": "monthly"]
        )
        let id = try #require(created.object()["id"] as? String)
        for (year, value) in [(2015, 8), (2016, 6)] {
            let put = try await client.call(.put, "/v1/tenants/\(world.tenantA)/measures/\(id)/targets/\(year)", as: world.ceoA, json: ["value": value])
            #expect(put.status == .ok)
        }
        let entered = try await client.call(
            .post, "/v1/tenants/\(world.tenantA)/measures/\(id)/data", as: world.ceoA, json: ["period": "2015-05-01", "value": 7]
        )
        #expect(entered.status == .created)
    }

    @Test(
        "without a year, the targets are those of the fiscal year that holds today where the tenant is",
        arguments: [
            ("2015-06-30", nil, 2015, 8), ("2015-07-01", nil, 2016, 6), ("2016-06-30", nil, 2016, 6),
            ("2015-06-30", 2016, 2016, 6), ("2015-07-01", 2015, 2015, 8), ("2015-07-01", 2014, 2014, nil),
        ] as [(String, Int?, Int, Int?)]
    )
    func fiscalYearByJurisdiction(today: String, requested: Int?, year: Int, target: Int?) async throws {
        try await withWorld { client, world, testDatabase in
            try await Self.measureWithTwoTargets(client, world)
            try await withDatabase(testDatabase.serviceURL) { database in
                let services = try Self.services(database, today: today)
                let dashboard = try await services.dashboards.dashboard(Self.caller(token: world.ceoA.token), world.tenantA, fiscalYear: requested)
                #expect(dashboard.fiscalYear == year)
                let row = try #require(dashboard.rows.first)
                #expect(dashboard.rows.count == 1)
                #expect(row.target == target.flatMap(Quantity.init))
                #expect(row.toleranceBasisPoints == (target == nil ? nil : 1_000))
                #expect(row.points.map(\.value) == [Quantity(7)].compactMap { $0 })
                // 7 days against 8 (lower is better) is on target; against 6, off by more than 10 %.
                #expect(row.status == (target == nil ? .grey : target == 8 ? .green : .red))
            }
        }
    }

    @Test(
        "the year holding today is the one of the tenant's jurisdiction, whatever month it starts in",
        arguments: [
            (1, "2015-12-31", 2015, 8), (1, "2016-01-01", 2016, 6), (10, "2015-09-30", 2015, 8), (10, "2015-10-01", 2016, 6),
            (12, "2014-12-01", 2015, 8),
        ] as [(Int16, String, Int, Int)]
    )
    func fiscalYearByStartMonth(startMonth: Int16, today: String, year: Int, target: Int) async throws {
        try await withWorld { client, world, testDatabase in
            try await Self.measureWithTwoTargets(client, world)
            _ = try await testDatabase.ownerURL.withConnection(logger: TestDatabases.logger) { connection in
                try await connection.query(
                    "UPDATE jurisdictions SET fiscal_year_start_month = \(startMonth) WHERE code = 'MA'", logger: TestDatabases.logger
                )
            }
            try await withDatabase(testDatabase.serviceURL) { database in
                let services = try Self.services(database, today: today)
                let dashboard = try await services.dashboards.dashboard(Self.caller(token: world.ceoA.token), world.tenantA, fiscalYear: nil)
                #expect(dashboard.fiscalYear == year)
                #expect(dashboard.rows.map(\.target) == [Quantity(target)])
            }
        }
    }

    @Test("a refused read writes its one audit record in its statement, the caller as actor when known")
    func refusalsAreRecorded() async throws {
        try await withWorld { _, world, testDatabase in
            try await withDatabase(testDatabase.serviceURL) { database in
                let services = try Self.services(database, today: "2015-07-01")
                let before = database.statistics.transactions
                await #expect(throws: ServiceError.sessionEnded) {
                    try await services.dashboards.dashboard(Self.caller(token: SecretToken.generate()), world.tenantA, fiscalYear: nil)
                }
                await #expect(throws: ServiceError.notFound) {
                    try await services.dashboards.dashboard(Self.caller(token: world.ceoA.token), world.tenantB, fiscalYear: nil)
                }
                await #expect(throws: ServiceError.notFound) {
                    try await services.dashboards.dashboard(Self.caller(token: world.ceoA.token), UUID(), fiscalYear: 2015)
                }
                #expect(database.statistics.transactions - before == 3)
            }
            let rows = try await testDatabase.ownerURL.withConnection(logger: TestDatabases.logger) { connection in
                var rows: [(UUID?, String, String, String, String?)] = []
                let query: PostgresQuery = """
                    SELECT actor_id, action, target, outcome, client_address FROM platform_audit_events
                    WHERE client_address = '192.0.2.7' ORDER BY occurred_at
                    """
                for try await row in try await connection.query(query, logger: TestDatabases.logger)
                    .decode((UUID?, String, String, String, String?).self)
                {
                    rows.append(row)
                }
                return rows
            }
            #expect(rows.count == 3)
            #expect(rows.map(\.0) == [nil, world.ceoA.id, world.ceoA.id])
            #expect(rows.map(\.1) == ["auth.session", Action.readTenantProfile.rawValue, Action.readTenantProfile.rawValue])
            #expect(rows.first?.2 == "\(Self.route): unknown or ended token")
            #expect(rows.dropFirst().first?.2 == "tenants/\(world.tenantB)/dashboard")
            #expect(rows.allSatisfy { $0.3 == "denied" && $0.4 == "192.0.2.7" })
        }
    }

    @Test("a Center admin's dashboard of a tenant comes in the same statement; a department head's holds their department only")
    func rolesThroughTheStatement() async throws {
        try await withWorld { client, world, testDatabase in
            try await Self.measureWithTwoTargets(client, world)
            let police = try await client.call(.post, "/v1/tenants/\(world.tenantA)/departments", as: world.ceoA, json: ["name": "Police"])
            let policeID = try #require(try police.object()["id"] as? String)
            let foreign = try await client.call(
                .post, "/v1/tenants/\(world.tenantA)/measures", as: world.ceoA,
                json: ["departmentId": policeID, "name": "Response time", "unit": "minutes", "direction": "lower", "frequency": "monthly"]
            )
            #expect(foreign.status == .created)
            try await withDatabase(testDatabase.serviceURL) { database in
                let services = try Self.services(database, today: "2015-07-01")
                let whole = try await services.dashboards.dashboard(Self.caller(token: world.admin.token), world.tenantA, fiscalYear: nil)
                #expect(whole.rows.map(\.measure.name) == ["Pothole repair days", "Response time"])
                let own = try await services.dashboards.dashboard(Self.caller(token: world.headA.token), world.tenantA, fiscalYear: nil)
                #expect(own.rows.map(\.measure.name) == ["Pothole repair days"])
                #expect(own.rows.first?.target == Quantity(6))
            }
        }
    }
}
