import API
import Domain
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import Services
import Storage
import TestSupport
import Testing

/// The request path of DESIGN §1: one use case, one transaction; no lost edits.
@Suite("One request, one transaction")
struct RequestPathTests {
    /// The world and the application, with the pool's counters in reach.
    func withCountedWorld(
        _ body: @Sendable @escaping (any TestClientProtocol, World, DatabaseStatistics) async throws -> Void
    ) async throws {
        try await withTestDatabase { testDatabase in
            let world = try await withDatabase(testDatabase.serviceURL) { try await World.seed($0) }
            let client = PostgresClient(
                configuration: try testDatabase.serviceURL.clientConfiguration(maximumConnections: 4),
                backgroundLogger: TestDatabases.logger
            )
            let database = Database(client: client, logger: TestDatabases.logger)
            let application = buildApplication(
                settings: ServerSettings(readinessTimeout: .seconds(2)),
                dependencies: AppDependencies(
                    database: database, metrics: testMetrics, logger: TestDatabases.logger,
                    auth: AuthSettings(trustForwardedFor: true)
                )
            )
            try await application.test(.router) { client in try await body(client, world, database.statistics) }
        }
    }

    /// Sends a request and answers it with the number of transactions it began.
    func transactions(
        of statistics: DatabaseStatistics,
        _ request: () async throws -> TestResponse
    ) async throws -> (TestResponse, Int) {
        let (response, transactions, _) = try await counts(of: statistics, request)
        return (response, transactions)
    }

    /// Sends a request and answers it with the transactions it began and the statements it sent.
    func counts(
        of statistics: DatabaseStatistics,
        _ request: () async throws -> TestResponse
    ) async throws -> (TestResponse, transactions: Int, statements: Int) {
        let before = (statistics.transactions, statistics.statements)
        let response = try await request()
        return (response, statistics.transactions - before.0, statistics.statements - before.1)
    }

    @Test("the dashboard, data entry, a refusal and finalizing an invoice each open exactly one transaction")
    func oneTransactionPerRequest() async throws {
        try await withCountedWorld { client, world, statistics in
            let measure = try await client.call(
                .post, "/v1/tenants/\(world.tenantA)/measures", as: world.ceoA,
                json: ["departmentId": world.departmentA.uuidString, "name": "Pothole repair days", "unit": "days", "direction": "lower", "frequency": "monthly"]
            )
            #expect(measure.status == .created)
            let measureID = try #require(try measure.object()["id"] as? String)

            let (entered, enterCount) = try await transactions(of: statistics) {
                try await client.call(
                    .post, "/v1/tenants/\(world.tenantA)/measures/\(measureID)/data", as: world.headA,
                    json: ["period": "2015-01-01", "value": 4.5]
                )
            }
            #expect(entered.status == .created)
            #expect(enterCount == 1)

            let (dashboard, dashboardCount) = try await transactions(of: statistics) {
                try await client.call(.get, "/v1/tenants/\(world.tenantA)/dashboard?fy=2015", as: world.ceoA)
            }
            #expect(dashboard.status == .ok)
            #expect(dashboardCount == 1)

            // A refusal commits its audit record in the request's own transaction.
            let (hidden, hiddenCount) = try await transactions(of: statistics) {
                try await client.call(.get, "/v1/tenants/\(world.tenantB)/dashboard", as: world.ceoA)
            }
            #expect(hidden.status == .notFound)
            #expect(hiddenCount == 1)

            try await BillingAPITests.setUpProgram(client, world)
            #expect(try await client.call(.post, "/v1/programs/MPMP/years/2015/invoice-runs", as: world.admin).status == .created)
            let invoice = try #require(try await BillingAPITests.invoices(client, world, tenant: world.tenantA).first)
            let invoiceID = try #require(invoice["id"] as? String)
            let (finalized, finalizeCount) = try await transactions(of: statistics) {
                try await client.call(.post, "/v1/tenants/\(world.tenantA)/invoices/\(invoiceID)/finalize", as: world.admin)
            }
            #expect(finalized.status == .ok)
            #expect(finalizeCount == 1)
        }
    }

    @Test("the dashboard is one statement, refused or not: one round trip to PostgreSQL")
    func dashboardInOneStatement() async throws {
        try await withCountedWorld { client, world, statistics in
            // The first request of a connection prepares the statement; count the ones after.
            #expect(try await client.call(.get, "/v1/tenants/\(world.tenantA)/dashboard?fy=2015", as: world.ceoA).status == .ok)
            for (tenant, status) in [(world.tenantA, HTTPResponse.Status.ok), (world.tenantB, .notFound)] {
                let (answer, transactions, statements) = try await counts(of: statistics) {
                    try await client.call(.get, "/v1/tenants/\(tenant)/dashboard?fy=2015", as: world.ceoA)
                }
                #expect(answer.status == status)
                #expect(transactions == 1)
                #expect(statements == 1)
            }
            // A list of measures, for comparison: BEGIN, the session, the query, COMMIT.
            let (_, _, entry) = try await counts(of: statistics) {
                try await client.call(.get, "/v1/tenants/\(world.tenantA)/measures", as: world.ceoA)
            }
            #expect(entry == 4)
        }
    }

    @Test("two simultaneous edits of one measure both land: neither field is lost")
    func concurrentEditsKeepBothFields() async throws {
        try await withWorld { client, world, _ in
            for round in 0..<10 {
                let created = try await client.call(
                    .post, "/v1/tenants/\(world.tenantA)/measures", as: world.ceoA,
                    json: ["departmentId": world.departmentA.uuidString, "name": "Measure \(round)", "unit": "days", "direction": "lower", "frequency": "monthly"]
                )
                let id = try #require(try created.object()["id"] as? String)
                let path = "/v1/tenants/\(world.tenantA)/measures/\(id)"
                async let renamed = client.call(.patch, path, as: world.ceoA, json: ["name": "Renamed \(round)"])
                async let reunited = client.call(.patch, path, as: world.analystA, json: ["unit": "hours", "definition": "Defined \(round)"])
                let answers = try await [renamed.status, reunited.status]
                #expect(answers == [.ok, .ok])
                let measure = try await client.call(.get, path, as: world.ceoA).object()
                #expect(measure["name"] as? String == "Renamed \(round)")
                #expect(measure["unit"] as? String == "hours")
                #expect(measure["definition"] as? String == "Defined \(round)")
            }
        }
    }
}
