import API
import Billing
import Domain
import Foundation
import HTTPTypes
import HummingbirdTesting
import PostgresNIO
import Storage
import TestSupport
import Testing

/// The Center's money through the API: to the cent, under concurrency and retries.
@Suite("Fee billing")
struct BillingAPITests {
    /// MPMP FY2015 with a tiered schedule; Amherst (40 000: middle tier) joins July 1,
    /// Barnstable (40 000) joins January 1 and pays 181/365 of the fee.
    static func setUpProgram(_ client: any TestClientProtocol, _ world: World) async throws {
        let admin = world.admin
        #expect(try await client.call(.post, "/v1/programs", as: admin, json: ["code": "MPMP", "name": "Municipal Performance Management Program", "jurisdiction": "MA", "tenantKinds": ["municipality"]]).status == .created)
        #expect(try await client.call(.put, "/v1/programs/MPMP/years/2015", as: admin, json: ["budgetCents": 75_000_000, "targetStateShareBasisPoints": 3_300, "analystHeadcount": 7]).status == .ok)
        let tiers: [[String: Any]] = [
            ["minimumSize": 0, "feeCents": 500_000], ["minimumSize": 10_000, "feeCents": 1_000_000], ["minimumSize": 50_000, "feeCents": 1_500_000],
        ]
        // Two tiers of one minimum size: refused whole, naming `tiers` (a rule across the
        // array's items that the document states in words only).
        let twice = try await client.call(
            .put, "/v1/programs/MPMP/years/2015/fee-schedule", as: admin,
            json: ["tiers": [["minimumSize": 0, "feeCents": 500_000], ["minimumSize": 0, "feeCents": 600_000]]]
        )
        #expect(twice.status == .unprocessableContent)
        #expect(try Problem.decode(from: twice).errors?.first?.field == "tiers")
        #expect(try await client.call(.put, "/v1/programs/MPMP/years/2015/fee-schedule", as: admin, json: ["tiers": tiers]).status == .ok)
        for (tenant, joined) in [(world.tenantA, "2014-07-01"), (world.tenantB, "2015-01-01")] {
            let enrolled = try await client.call(.post, "/v1/tenants/\(tenant)/enrollments", as: admin, json: ["program": "MPMP", "fiscalYear": 2015, "joinedOn": joined])
            #expect(enrolled.status == .created, "\(enrolled.text)")
        }
    }

    static func invoices(_ client: any TestClientProtocol, _ world: World, tenant: UUID) async throws -> [[String: Any]] {
        let response = try await client.call(.get, "/v1/tenants/\(tenant)/invoices", as: world.admin)
        return try #require(try response.object()["items"] as? [[String: Any]])
    }

    @Test("an invoice run bills each enrollment once, prorated by days; a repeat bills nothing")
    func invoiceRun() async throws {
        try await withWorld { client, world, _ in
            try await Self.setUpProgram(client, world)
            let run = try await client.call(.post, "/v1/programs/MPMP/years/2015/invoice-runs", as: world.admin)
            #expect(run.status == .created)
            #expect(try run.object()["draftsCreated"] as? Int == 2)
            let again = try await client.call(.post, "/v1/programs/MPMP/years/2015/invoice-runs", as: world.admin)
            #expect(try again.object()["draftsCreated"] as? Int == 0)

            let a = try #require(try await Self.invoices(client, world, tenant: world.tenantA).first)
            #expect(a["amountCents"] as? Int == 1_000_000)
            #expect(a["billedDays"] as? Int == 365)
            let b = try #require(try await Self.invoices(client, world, tenant: world.tenantB).first)
            // 1 000 000 × 181 ÷ 365 = 495 890.41… → 495 890 cents.
            #expect(b["amountCents"] as? Int == 495_890)
            #expect(b["billedDays"] as? Int == 181)
            #expect(b["status"] as? String == "draft")
        }
    }

    @Test("two invoice runs at once bill each enrollment once")
    func concurrentRuns() async throws {
        try await withWorld { client, world, database in
            try await Self.setUpProgram(client, world)
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<2 {
                    group.addTask {
                        let response = try await client.call(.post, "/v1/programs/MPMP/years/2015/invoice-runs", as: world.admin)
                        return try response.object()["draftsCreated"] as? Int ?? -1
                    }
                }
                var created: [Int] = []
                for try await count in group { created.append(count) }
                return created
            }
            #expect(statuses.reduce(0, +) == 2)
            let count = try await withDatabase(database.serviceURL) { db in
                try await db.withTenantTransaction(.center) { connection in
                    let rows = try await connection.query("SELECT count(*)::int FROM invoices", logger: TestDatabases.logger)
                    for try await count in rows.decode(Int.self) { return count }
                    return -1
                }
            }
            #expect(count == 2)
            for tenant in [world.tenantA, world.tenantB] {
                #expect(try await Self.invoices(client, world, tenant: tenant).count == 1)
            }
        }
    }

    @Test("20 finalizations started at once get numbers 0001 to 0020, no gap, no duplicate")
    func concurrentFinalizations() async throws {
        try await withWorld { client, world, database in
            try await Self.setUpProgram(client, world)
            // Eighteen more towns, so that the program year has twenty drafts.
            let extra = try await withDatabase(database.serviceURL) { db in
                try await db.withTenantTransaction(.center) { connection in
                    try await connection.assumeCenterAdminRole(logger: TestDatabases.logger)
                    var ids: [UUID] = []
                    for index in 0..<18 {
                        let tenant = Tenant(id: UUID(), name: "Town \(index)", kindCode: "municipality", jurisdictionCode: "MA", population: 1_000 * index)
                        try await TenantStore(logger: TestDatabases.logger).create(tenant, on: connection)
                        _ = try await InvoiceStore(logger: TestDatabases.logger).enroll(
                            tenantID: tenant.id, program: "MPMP", fiscalYear: 2015, joinedOn: CivilDate(year: 2014, month: 7, day: 1)!, on: connection
                        )
                        ids.append(tenant.id)
                    }
                    return ids
                }
            }
            #expect(try await client.call(.post, "/v1/programs/MPMP/years/2015/invoice-runs", as: world.admin).object()["draftsCreated"] as? Int == 20)
            var drafts: [(UUID, String)] = []
            for tenant in [world.tenantA, world.tenantB] + extra {
                let invoice = try #require(try await Self.invoices(client, world, tenant: tenant).first)
                drafts.append((tenant, try #require(invoice["id"] as? String)))
            }
            let numbers = try await withThrowingTaskGroup(of: String?.self) { group in
                for (tenant, invoice) in drafts {
                    group.addTask {
                        let response = try await client.call(.post, "/v1/tenants/\(tenant)/invoices/\(invoice)/finalize", as: world.admin, json: ["issuedOn": "2014-08-01"])
                        return try response.object()["number"] as? String
                    }
                }
                var numbers: [String] = []
                for try await number in group { numbers.append(number ?? "missing") }
                return numbers
            }
            #expect(numbers.sorted() == (1...20).map { InvoiceNumber(programCode: "MPMP", fiscalYear: 2015, sequence: $0)?.description })
            #expect(numbers.contains("MPMP-FY2015-0001"))
        }
    }

    /// Runs invoices and finalizes town A's: $10,000.00 due 2014-08-31.
    static func finalizedInvoiceOfA(_ client: any TestClientProtocol, _ world: World) async throws -> String {
        try await setUpProgram(client, world)
        _ = try await client.call(.post, "/v1/programs/MPMP/years/2015/invoice-runs", as: world.admin)
        let invoice = try #require(try await invoices(client, world, tenant: world.tenantA).first?["id"] as? String)
        let finalized = try await client.call(.post, "/v1/tenants/\(world.tenantA)/invoices/\(invoice)/finalize", as: world.admin, json: ["issuedOn": "2014-08-01"])
        #expect(finalized.status == .ok)
        #expect(try finalized.object()["dueOn"] as? String == "2014-08-31")
        return invoice
    }

    @Test("a payment replayed with its Idempotency-Key is recorded once; the key with another body is 409")
    func idempotentPayment() async throws {
        try await withWorld { client, world, _ in
            let invoice = try await Self.finalizedInvoiceOfA(client, world)
            let path = "/v1/tenants/\(world.tenantA)/invoices/\(invoice)/payments"
            let key: HTTPFields = [.init("Idempotency-Key")!: "check-1042"]
            let body = #"{"amountCents":250000,"method":"check","reference":"Check 1042","receivedOn":"2014-09-15"}"#
            let first = try await client.call(.post, path, as: world.admin, rawBody: body, headers: key)
            #expect(first.status == .created)
            let second = try await client.call(.post, path, as: world.admin, rawBody: body, headers: key)
            #expect(second.status == .created)
            #expect(second.text == first.text)
            #expect(second.headers[.init("Idempotent-Replayed")!] == "true")
            let other = try await client.call(.post, path, as: world.admin, rawBody: body.replacingOccurrences(of: "250000", with: "250001"), headers: key)
            #expect(other.status == .conflict)
            #expect(try Problem.decode(from: other).detail?.contains("Idempotency-Key") == true)

            let statement = try await client.call(.get, "/v1/tenants/\(world.tenantA)/statement", as: world.ceoA).object()
            #expect((statement["payments"] as? [Any])?.count == 1)
            #expect(statement["paidCents"] as? Int == 250_000)
            #expect(statement["balanceCents"] as? Int == 750_000)
        }
    }

    @Test("partial payments, then the last one marks the invoice paid; the aging report follows")
    func paymentsAndAging() async throws {
        try await withWorld { client, world, _ in
            let invoice = try await Self.finalizedInvoiceOfA(client, world)
            let path = "/v1/tenants/\(world.tenantA)/invoices/\(invoice)/payments"
            let partial = try await client.call(.post, path, as: world.admin, json: ["amountCents": 400_000, "method": "ach", "receivedOn": "2014-09-01"])
            #expect(try partial.object()["status"] as? String == "finalized")
            #expect(try partial.object()["openCents"] as? Int == 600_000)

            let aging = try await client.call(.get, "/v1/reports/aging?asOf=2014-10-15", as: world.admin).object()
            // Due 2014-08-31; 45 days past due on 2014-10-15.
            #expect((aging["buckets"] as? [String: Int])?["31-60"] == 600_000)
            #expect(aging["totalCents"] as? Int == 600_000)
            let before = try await client.call(.get, "/v1/reports/aging?asOf=2014-08-15", as: world.admin).object()
            #expect((before["buckets"] as? [String: Int])?["current"] == 1_000_000)

            let last = try await client.call(.post, path, as: world.admin, json: ["amountCents": 600_000, "method": "purchase_order", "receivedOn": "2014-11-01"])
            #expect(try last.object()["status"] as? String == "paid")
            let after = try await client.call(.get, "/v1/reports/aging?asOf=2014-12-01", as: world.admin).object()
            #expect(after["totalCents"] as? Int == 0)
        }
    }

    @Test("overpayment, excess credit, voiding a paid invoice, a negative amount, an unknown program year: 4xx, nothing written")
    func refusals() async throws {
        try await withWorld { client, world, _ in
            let invoice = try await Self.finalizedInvoiceOfA(client, world)
            let base = "/v1/tenants/\(world.tenantA)/invoices/\(invoice)"
            let over = try await client.call(.post, "\(base)/payments", as: world.admin, json: ["amountCents": 1_000_001, "method": "check"])
            #expect(over.status == .conflict)
            #expect(try Problem.decode(from: over).errors?.first?.field == "amountCents")
            let negative = try await client.call(.post, "\(base)/payments", as: world.admin, json: ["amountCents": -5, "method": "check"])
            #expect(negative.status == .unprocessableContent)
            let badMethod = try await client.call(.post, "\(base)/payments", as: world.admin, json: ["amountCents": 5, "method": "bitcoin"])
            #expect(try Problem.decode(from: badMethod).errors?.first?.field == "method")
            let credit = try await client.call(.post, "\(base)/credit-notes", as: world.admin, json: ["amountCents": 1_000_001, "reason": "Too much"])
            #expect(credit.status == .conflict)
            let unknownYear = try await client.call(.post, "/v1/programs/MPMP/years/2099/invoice-runs", as: world.admin)
            #expect(unknownYear.status == .notFound)
            let unknownEnrollment = try await client.call(.post, "/v1/tenants/\(world.tenantA)/enrollments", as: world.admin, json: ["program": "MPMP", "fiscalYear": 2099, "joinedOn": "2098-07-01"])
            #expect(unknownEnrollment.status == .conflict)

            var statement = try await client.call(.get, "/v1/tenants/\(world.tenantA)/statement", as: world.admin).object()
            #expect((statement["payments"] as? [Any])?.isEmpty == true)
            #expect((statement["creditNotes"] as? [Any])?.isEmpty == true)
            #expect(statement["balanceCents"] as? Int == 1_000_000)

            #expect(try await client.call(.post, "\(base)/payments", as: world.admin, json: ["amountCents": 1_000_000, "method": "check"]).status == .created)
            let void = try await client.call(.post, "\(base)/void", as: world.admin)
            #expect(void.status == .conflict)
            statement = try await client.call(.get, "/v1/tenants/\(world.tenantA)/statement", as: world.admin).object()
            #expect((statement["invoices"] as? [[String: Any]])?.first?["status"] as? String == "paid")
            let refinalize = try await client.call(.post, "\(base)/finalize", as: world.admin)
            #expect(refinalize.status == .conflict)
        }
    }

    @Test("a credit note reduces what is owed and the funding report nets it; a voided invoice keeps its number")
    func creditsVoidsAndFunding() async throws {
        try await withWorld { client, world, _ in
            let invoice = try await Self.finalizedInvoiceOfA(client, world)
            let credit = try await client.call(.post, "/v1/tenants/\(world.tenantA)/invoices/\(invoice)/credit-notes", as: world.admin, json: ["amountCents": 100_000, "reason": "Joined late in practice"])
            #expect(credit.status == .created)
            #expect(try credit.object()["openCents"] as? Int == 900_000)

            let invoiceB = try #require(try await Self.invoices(client, world, tenant: world.tenantB).first?["id"] as? String)
            let finalizedB = try await client.call(.post, "/v1/tenants/\(world.tenantB)/invoices/\(invoiceB)/finalize", as: world.admin).object()
            let voided = try await client.call(.post, "/v1/tenants/\(world.tenantB)/invoices/\(invoiceB)/void", as: world.admin).object()
            #expect(voided["status"] as? String == "void")
            #expect(voided["number"] as? String == finalizedB["number"] as? String)

            #expect(try await client.call(.post, "/v1/funding-sources", as: world.admin, json: ["code": "MA-DLS", "name": "Massachusetts Division of Local Services", "jurisdiction": "MA"]).status == .created)
            #expect(try await client.call(.post, "/v1/programs/MPMP/years/2015/grants", as: world.admin, json: ["fundingSource": "MA-DLS", "amountCents": 24_750_000, "awardedOn": "2014-07-15"]).status == .created)
            let report = try await client.call(.get, "/v1/programs/MPMP/years/2015/funding-report", as: world.admin).object()
            #expect(report["feesInvoicedCents"] as? Int == 900_000)
            #expect(report["grantsAwardedCents"] as? Int == 24_750_000)
            #expect(report["enrolledTenants"] as? Int == 2)
            // 24 750 000 ÷ 25 650 000 = 96.49 % → 9 649 bp.
            #expect(report["actualStateShareBasisPoints"] as? Int == 9_649)
            #expect(report["targetStateShareBasisPoints"] as? Int == 3_300)
            #expect(report["fundingGapCents"] as? Int == 75_000_000 - 25_650_000)
        }
    }

    @Test("billing is never visible across tenants; a department head gets 403 on their own tenant's invoices")
    func billingAccess() async throws {
        try await withWorld { client, world, _ in
            let invoice = try await Self.finalizedInvoiceOfA(client, world)
            for (_, person) in [("analyst", world.analystB), ("CEO", world.ceoB), ("head", world.headB)] {
                #expect(try await client.call(.get, "/v1/tenants/\(world.tenantA)/invoices", as: person).status == .notFound)
                #expect(try await client.call(.get, "/v1/tenants/\(world.tenantA)/invoices/\(invoice)", as: person).status == .notFound)
                #expect(try await client.call(.get, "/v1/tenants/\(world.tenantA)/statement", as: person).status == .notFound)
                #expect(try await client.call(.post, "/v1/tenants/\(world.tenantA)/invoices/\(invoice)/payments", as: person, json: ["amountCents": 1, "method": "check"]).status == .notFound)
            }
            // Someone else's invoice id under one's own tenant is simply not there.
            #expect(try await client.call(.get, "/v1/tenants/\(world.tenantB)/invoices/\(invoice)", as: world.ceoB).status == .notFound)
            #expect(try await client.call(.get, "/v1/tenants/\(world.tenantA)/invoices", as: world.headA).status == .forbidden)
            #expect(try await client.call(.get, "/v1/tenants/\(world.tenantA)/statement", as: world.headA).status == .forbidden)
            #expect(try await client.call(.get, "/v1/tenants/\(world.tenantA)/invoices", as: world.ceoA).status == .ok)
            #expect(try await client.call(.get, "/v1/tenants/\(world.tenantA)/invoices", as: world.analystA).status == .ok)
            #expect(try await client.call(.post, "/v1/tenants/\(world.tenantA)/invoices/\(invoice)/payments", as: world.ceoA, json: ["amountCents": 1, "method": "check"]).status == .forbidden)
            #expect(try await client.call(.get, "/v1/reports/aging", as: world.analystA).status == .forbidden)
            #expect(try await client.call(.get, "/v1/programs/MPMP/years/2015/funding-report", as: world.ceoA).status == .forbidden)
        }
    }

    @Test("a finalized invoice's total cannot be changed in SQL, even by the service role")
    func immutableInDatabase() async throws {
        try await withWorld { client, world, database in
            let invoice = try await Self.finalizedInvoiceOfA(client, world)
            let id = try #require(UUID(uuidString: invoice))
            try await withDatabase(database.serviceURL) { db in
                await #expect(throws: PSQLError.self) {
                    try await db.withTenantTransaction(.tenant(world.tenantA)) { connection in
                        try await connection.execute("UPDATE invoices SET amount_cents = 1 WHERE id = \(id)", logger: TestDatabases.logger)
                    }
                }
                await #expect(throws: PSQLError.self) {
                    try await db.withTenantTransaction(.tenant(world.tenantA)) { connection in
                        try await connection.execute("DELETE FROM invoices WHERE id = \(id)", logger: TestDatabases.logger)
                    }
                }
                await #expect(throws: PSQLError.self) {
                    try await db.withTenantTransaction(.tenant(world.tenantA)) { connection in
                        try await connection.execute("UPDATE invoices SET status = 'draft', number = NULL, due_on = NULL WHERE id = \(id)", logger: TestDatabases.logger)
                    }
                }
            }
            let after = try await client.call(.get, "/v1/tenants/\(world.tenantA)/invoices/\(invoice)", as: world.admin).object()
            #expect(after["amountCents"] as? Int == 1_000_000)
        }
    }
}
