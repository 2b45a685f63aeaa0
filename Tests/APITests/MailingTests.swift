import API
@testable import Services
import Domain
import Foundation
import HTTPTypes
import HummingbirdTesting
import PostgresNIO
import SMTP
import Storage
import TestSupport
import Testing

/// The mails of DESIGN §12 beyond delivery: finalized invoices to the billing contact, the
/// analysts' weekly digest and its opt-out, the HTML alternative, and the list of mails
/// given up.
@Suite("Mails")
struct MailingTests {
    struct OutboxRow: Sendable {
        var recipient: String
        var subject: String
        var text: String
        var html: String?
    }

    static func outbox(kind: String, _ database: TestDatabase) async throws -> [OutboxRow] {
        try await database.ownerURL.withConnection(logger: TestDatabases.logger) { connection in
            let rows = try await connection.query(
                "SELECT recipient, subject, body, html FROM outbox WHERE kind = \(kind) ORDER BY recipient, created_at",
                logger: TestDatabases.logger
            )
            var found: [OutboxRow] = []
            for try await (recipient, subject, text, html) in rows.decode((String, String, String, String?).self) {
                found.append(OutboxRow(recipient: recipient, subject: subject, text: text, html: html))
            }
            return found
        }
    }

    func delivery(_ database: Database, sink: MailSink) throws -> MailDelivery {
        MailDelivery(
            services: Services(database: database),
            client: SMTPClient(settings: try SMTPSettings(url: "smtp://127.0.0.1:\(sink.port)?tls=none"), logger: TestDatabases.logger),
            settings: .init(from: try #require(MailAddress("program@mpmp.example")), messageDomain: "mpmp.example")
        )
    }

    @Test("a finalized invoice is mailed once to the billing contact the CEO chose, in text and HTML, with its printable link")
    func invoiceToBillingContact() async throws {
        try await withWorld { client, world, database in
            let tenant = "/v1/tenants/\(world.tenantA)"
            let malformed = try await client.call(.patch, tenant, as: world.ceoA, json: ["billingEmail": "the treasurer"])
            #expect(malformed.status == .unprocessableContent)
            #expect(try Problem.decode(from: malformed).errors?.first?.field == "billingEmail")
            let byHead = try await client.call(.patch, tenant, as: world.headA, json: ["billingEmail": "head@springfield.example"])
            #expect(byHead.status == .forbidden)
            let chosen = try await client.call(.patch, tenant, as: world.ceoA, json: ["billingEmail": "treasurer@springfield.example"])
            #expect(chosen.status == .ok, "\(chosen.text)")
            #expect(try chosen.object()["billingEmail"] as? String == "treasurer@springfield.example")
            #expect(try await client.call(.get, tenant, as: world.ceoA).object()["billingEmail"] as? String == "treasurer@springfield.example")

            try await BillingAPITests.setUpProgram(client, world)
            _ = try await client.call(.post, "/v1/programs/MPMP/years/2015/invoice-runs", as: world.admin)
            let invoice = try #require(try await BillingAPITests.invoices(client, world, tenant: world.tenantA).first?["id"] as? String)
            let key: HTTPFields = [.init("Idempotency-Key")!: "finalize-a-2015"]
            for _ in 0..<2 {
                let finalized = try await client.call(
                    .post, "\(tenant)/invoices/\(invoice)/finalize", as: world.admin, json: ["issuedOn": "2014-08-01"], headers: key
                )
                #expect(finalized.status == .ok, "\(finalized.text)")
            }
            #expect(try await client.call(.post, "\(tenant)/invoices/\(invoice)/finalize", as: world.admin).status == .conflict)

            let mails = try await Self.outbox(kind: "invoice", database)
            try #require(mails.count == 1)
            #expect(mails[0].recipient == "treasurer@springfield.example")
            #expect(mails[0].subject.contains("MPMP-FY2015-0001"))
            #expect(mails[0].text.contains("$10,000.00"))
            #expect(mails[0].text.contains("2014-08-31"))
            #expect(mails[0].text.contains("/tenants/\(world.tenantA.uuidString.lowercased())/invoices/\(invoice.lowercased())"))
            let html = try #require(mails[0].html)
            #expect(html.contains("<th scope=\"row\""))
            #expect(html.contains("$10,000.00"))

            try await MailSink.with { sink in
                try await withDatabase(database.serviceURL) { db in
                    let round = try await delivery(db, sink: sink).deliverDue()
                    #expect(round.sent >= 1)
                }
                let arrived = try sink.messages().filter { $0.contains("To: <treasurer@springfield.example>") }
                try #require(arrived.count == 1)
                #expect(arrived[0].contains("multipart/alternative"))
                #expect(arrived[0].contains("Content-Type: text/plain; charset=utf-8"))
                #expect(arrived[0].contains("Content-Type: text/html; charset=utf-8"))
            }
        }
    }

    @Test("without a billing contact, a finalized invoice goes to the chief executive; a cleared contact falls back too")
    func invoiceToChiefExecutive() async throws {
        try await withWorld { client, world, database in
            let tenant = "/v1/tenants/\(world.tenantB)"
            #expect(try await client.call(.patch, tenant, as: world.ceoB, json: ["billingEmail": "clerk@shelburne.example"]).status == .ok)
            let cleared = try await client.call(.patch, tenant, as: world.ceoB, json: ["billingEmail": NSNull()])
            #expect(cleared.status == .ok)
            #expect(try cleared.object()["billingEmail"] == nil)
            try await BillingAPITests.setUpProgram(client, world)
            _ = try await client.call(.post, "/v1/programs/MPMP/years/2015/invoice-runs", as: world.admin)
            let invoice = try #require(try await BillingAPITests.invoices(client, world, tenant: world.tenantB).first?["id"] as? String)
            #expect(try await client.call(.post, "\(tenant)/invoices/\(invoice)/finalize", as: world.admin).status == .ok)
            let mails = try await Self.outbox(kind: "invoice", database)
            #expect(mails.map(\.recipient) == [world.ceoB.email])
        }
    }

    @Test("names and addresses are escaped in the HTML alternative; the plain text keeps them as they are")
    func htmlEscapes() async throws {
        try await withWorld { client, world, database in
            let renamed = try await client.call(
                .patch, "/v1/tenants/\(world.tenantA)", as: world.ceoA, json: ["name": "Hadley & <b onmouseover=\"x\">Sons</b>"]
            )
            #expect(renamed.status == .ok, "\(renamed.text)")
            let invited = try await client.call(
                .post, "/v1/tenants/\(world.tenantA)/invitations", as: world.ceoA,
                json: ["email": "o'brien@hadley.example", "role": "department_head", "departmentId": world.departmentA.uuidString]
            )
            #expect(invited.status == .created, "\(invited.text)")
            let mail = try #require(try await Self.outbox(kind: "invitation", database).first)
            #expect(mail.text.contains("Hadley & <b onmouseover=\"x\">Sons</b>"))
            let html = try #require(mail.html)
            #expect(html.contains("Hadley &amp; &lt;b onmouseover=&quot;x&quot;&gt;Sons&lt;/b&gt;"))
            #expect(!html.contains("<b "))
            #expect(html.contains("<a href=\""))
        }
    }

    @Test(
        "mail content renders text and HTML from the same blocks",
        arguments: [
            (MailContent.Block.paragraph("A & B"), "A & B", "<p>A &amp; B</p>"),
            (.link("Open <it>", url: "https://x.example/?a=1&b=2"), "Open <it>:\nhttps://x.example/?a=1&b=2",
                "<p><a href=\"https://x.example/?a=1&amp;b=2\">Open &lt;it&gt;</a></p>"),
            (.list(["one", "<two>"]), "- one\n- <two>", "<ul><li>one</li><li>&lt;two&gt;</li></ul>"),
            (.facts([("Invoice", "MPMP-FY2015-0001"), ("Amount due", "$10,000.00")]), "Invoice:     MPMP-FY2015-0001\nAmount due:  $10,000.00",
                "<table cellpadding=\"4\"><tbody><tr><th scope=\"row\" style=\"text-align: left; padding-right: 1em;\">Invoice</th><td>MPMP-FY2015-0001</td></tr><tr><th scope=\"row\" style=\"text-align: left; padding-right: 1em;\">Amount due</th><td>$10,000.00</td></tr></tbody></table>"),
            (.table(header: ["Town", "Due"], rows: [["Amherst", "3"], ["O'Neill", "12"]], numeric: [1]),
                "Town     Due\nAmherst    3\nO'Neill   12",
                "<table style=\"border-collapse: collapse;\" cellpadding=\"4\"><thead><tr><th scope=\"col\">Town</th><th scope=\"col\" style=\"text-align: right;\">Due</th></tr></thead><tbody><tr><td>Amherst</td><td style=\"text-align: right;\">3</td></tr><tr><td>O&#39;Neill</td><td style=\"text-align: right;\">12</td></tr></tbody></table>"),
        ]
    )
    func contentRendering(block: MailContent.Block, text: String, html: String) {
        #expect(MailContent.text(block) == text)
        #expect(MailContent.html(block) == html)
    }

    @Test(
        "plain-text paragraphs wrap at 72 characters between words; a longer word keeps its own line",
        arguments: [
            (String(repeating: "word ", count: 20).trimmingCharacters(in: .whitespaces),
                [String(repeating: "word ", count: 14).trimmingCharacters(in: .whitespaces), String(repeating: "word ", count: 6).trimmingCharacters(in: .whitespaces)]),
            ("short", ["short"]), ("a\nb", ["a", "b"]), ("x " + String(repeating: "y", count: 80) + " z", ["x", String(repeating: "y", count: 80), "z"]),
        ]
    )
    func wrapping(text: String, lines: [String]) {
        #expect(MailContent.wrapped(text).split(separator: "\n", omittingEmptySubsequences: false).map(String.init) == lines)
    }

    @Test("each analyst gets one digest a week of their towns, also when two workers run twice; one who opts out gets none")
    func weeklyDigest() async throws {
        try await withWorld { client, world, database in
            _ = try await PerformanceTests.measure(client, world, name: "Digest potholes", extra: ["ownerId": world.headA.id.uuidString])
            let monday = try #require(CivilDate(iso8601: "2015-03-16"))
            try await withDatabase(database.serviceURL) { db in
                let digests = WeeklyDigest(services: Services(database: db, clock: .fixed(monday)))
                async let first = digests.sendDue()
                async let second = digests.sendDue()
                let sent = try await first + second
                #expect(sent == 2)
                let again = try await digests.sendDue()
                #expect(again == 0)
                // Later in the same week: nothing more.
                let thursday = WeeklyDigest(services: Services(database: db, clock: .fixed(monday.adding(days: 3))))
                let laterInTheWeek = try await thursday.sendDue()
                #expect(laterInTheWeek == 0)
            }
            let mails = try await Self.outbox(kind: "digest", database)
            #expect(mails.map(\.recipient).sorted() == [world.analystA.email, world.analystB.email].sorted())
            let toA = try #require(mails.first { $0.recipient == world.analystA.email })
            #expect(toA.subject == "Your MPMP towns, week of 2015-03-16")
            #expect(toA.text.contains("Digest potholes"))
            #expect(toA.text.contains("Data due"))
            #expect(try #require(toA.html).contains("<th scope=\"col\">Town</th>"))
            // Analyst A's digest names only their town: nothing of town B's.
            let toB = try #require(mails.first { $0.recipient == world.analystB.email })
            #expect(!toB.text.contains("Digest potholes"))

            // Analyst B opts out; the next week only A hears.
            let url = "/v1/me/preferences"
            #expect(try await client.call(.get, url, as: world.analystB).object()["weeklyDigest"] as? Bool == true)
            let wrong = try await client.call(.patch, url, as: world.analystB, json: ["weeklyDigest": "no"])
            #expect(wrong.status == .badRequest || wrong.status == .unprocessableContent)
            let off = try await client.call(.patch, url, as: world.analystB, json: ["weeklyDigest": false])
            #expect(off.status == .ok, "\(off.text)")
            #expect(try off.object()["weeklyDigest"] as? Bool == false)
            #expect(try await client.call(.get, url, as: world.analystB).object()["weeklyDigest"] as? Bool == false)
            #expect(try await client.call(.get, url, as: world.analystA).object()["weeklyDigest"] as? Bool == true)
            #expect(try await client.call(.get, url).status == .unauthorized)
            try await withDatabase(database.serviceURL) { db in
                let nextWeek = WeeklyDigest(services: Services(database: db, clock: .fixed(monday.adding(days: 7))))
                let sent = try await nextWeek.sendDue()
                #expect(sent == 1)
            }
            let later = try await Self.outbox(kind: "digest", database)
            #expect(later.filter { $0.recipient == world.analystB.email }.count == 1)
            #expect(later.filter { $0.recipient == world.analystA.email }.count == 2)
        }
    }

    @Test("a Center admin lists the mails given up, without their bodies; nobody else may; the counts see them")
    func failedMailsAreVisible() async throws {
        try await withWorld { client, world, database in
            let invited = try await client.call(
                .post, "/v1/tenants/\(world.tenantA)/invitations", as: world.admin, json: ["email": "bounce@springfield.example", "role": "ceo"]
            )
            #expect(invited.status == .created)
            try await MailSink.with(["--refuse", "554"]) { sink in
                try await withDatabase(database.serviceURL) { db in
                    let delivery = try delivery(db, sink: sink)
                    let round = try await delivery.deliverDue()
                    #expect(round.failed == 1)
                    let counts = try await delivery.counts()
                    #expect(counts.failed == 1 && counts.waiting == 0)
                }
            }
            let listed = try await client.call(.get, "/v1/outbox/failed", as: world.admin)
            #expect(listed.status == .ok, "\(listed.text)")
            let items = try #require(try listed.object()["items"] as? [[String: Any]])
            try #require(items.count == 1)
            #expect(items[0]["recipient"] as? String == "bounce@springfield.example")
            #expect(items[0]["kind"] as? String == "invitation")
            #expect(items[0]["attempts"] as? Int == 1)
            #expect((items[0]["lastError"] as? String)?.contains("554") == true)
            #expect(items[0]["body"] == nil && items[0]["html"] == nil)
            #expect(!listed.text.contains("/invitations/"))
            for person in [world.analystA, world.ceoA, world.headA] {
                #expect(try await client.call(.get, "/v1/outbox/failed", as: person).status == .forbidden)
            }
            // The service role itself reads no delivery column: only the Center-admin role does.
            try await withDatabase(database.serviceURL) { db in
                do {
                    try await db.withTransaction { connection in
                        let rows = try await connection.query("SELECT recipient FROM outbox", logger: TestDatabases.logger)
                        for try await _ in rows {}
                    }
                    Issue.record("the service role read the outbox")
                } catch {
                    #expect(DatabaseFailure.sqlState(of: error) == "42501")
                }
            }
        }
    }
}
