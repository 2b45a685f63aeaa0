import API
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Services
import Spreadsheets
import TestSupport
import Testing

/// The Center admin's money in the console (DESIGN §11): the invoice list across tenants,
/// its CSV, an invoice run, and an invoice's finalize, payment, credit note and void forms.
@Suite("Console: invoices")
struct ConsoleBillingTests {
    typealias Browser = ConsoleTests.Browser

    static func signedIn(_ client: any TestClientProtocol, _ person: Person) async throws -> Browser {
        let browser = Browser(client)
        try await browser.get("/login")
        #expect(try await browser.post("/login", ["email": person.email, "password": worldPassword]).status == .seeOther)
        return browser
    }

    /// The hidden idempotency key of the form that posts to `…/action` on `page`.
    static func key(of page: TestResponse, action: String) throws -> String {
        let text = page.text
        let form = try #require(text.range(of: "/\(action)\" aria-labelledby"), "no \(action) form")
        let rest = text[form.upperBound...]
        let field = try #require(rest.range(of: "name=\"key\" value=\""))
        return String(rest[field.upperBound...].prefix(36))
    }

    @Test("the Center's invoices by standing, with counts, filters, pages and CSV; only Center admins see them")
    func invoiceList() async throws {
        try await withWorld { client, world, _ in
            let invoiceOfA = try await BillingAPITests.finalizedInvoiceOfA(client, world)  // due 2014-08-31; Barnstable's stays a draft
            let admin = try await Self.signedIn(client, world.admin)

            let onTime = try await admin.get("/invoices?asOf=2014-08-15")
            #expect(onTime.status == .ok)
            #expect(onTime.text.contains("MPMP-FY2015-0001") && onTime.text.contains("Barnstable"))
            #expect(onTime.text.contains("Open <span class=\"count\">(1)</span>"))
            #expect(onTime.text.contains("Draft <span class=\"count\">(1)</span>"))
            #expect(onTime.text.contains("Past due <span class=\"count\">(0)</span>"))
            let late = try await admin.get("/invoices?standing=past_due&asOf=2014-09-01")
            #expect(late.text.contains("Past due <span class=\"count\">(1)</span>") && late.text.contains("MPMP-FY2015-0001"))
            #expect(!late.text.contains("<th scope=\"row\">Barnstable</th>"))
            let drafts = try await admin.get("/invoices?standing=draft")
            #expect(drafts.text.contains("<th scope=\"row\">Barnstable</th>") && !drafts.text.contains("MPMP-FY2015-0001"))

            // One program year: the grant's and the fees' portions beside the list.
            let year = try await admin.get("/invoices?program=MPMP&fy=2015")
            #expect(year.text.contains("budget $750,000.00") && year.text.contains("the towns' fees invoiced $10,000.00"))

            // The next page starts after the invoice named: Amherst's comes first, then Barnstable's.
            let next = try await admin.get("/invoices?after=\(invoiceOfA.lowercased())")
            #expect(next.text.contains("<th scope=\"row\">Barnstable</th>") && !next.text.contains("MPMP-FY2015-0001"))

            let bad = try await admin.get("/invoices?standing=overdue&fy=1800&asOf=2015-02-30")
            #expect(bad.status == .badRequest)
            #expect(bad.text.contains("Standing must be one of the choices."))
            #expect(bad.text.contains("Fiscal year must be a year from 1901 to 2199"))
            #expect(bad.text.contains("As of must be a day from 1900-01-01 to 2199-12-31"))

            let csv = try await admin.get("/invoices.csv?asOf=2014-09-01")
            #expect(csv.status == .ok)
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            let lines = csv.text.split(separator: "\r\n").map(String.init)
            #expect(lines.first == "tenant,program,fiscal year,number,standing,issued on,due on,amount,paid,credited,open")
            #expect(lines.contains("Amherst,MPMP,2015,MPMP-FY2015-0001,past_due,2014-08-01,2014-08-31,10000.00,0.00,0.00,10000.00"))
            #expect(lines.count == 3)

            // The tenants list: each tenant's program year, analysts, latest invoice and last data.
            let tenants = try await admin.get("/tenants")
            #expect(tenants.text.contains("<td>MPMP FY2015</td><td class=\"wrap\">analyst-a</td><td class=\"number\">$10,000.00</td><td><strong class=\"late\">Past due</strong></td>"))
            #expect(tenants.text.contains("<td>Draft</td><td>None yet</td>"))  // Barnstable: a draft, no data
            let second = try await admin.get("/tenants?afterName=Amherst&afterId=\(world.tenantA.uuidString.lowercased())")
            #expect(second.text.contains(">Barnstable</a>") && !second.text.contains(">Amherst</a>"))
            let ceoTenants = try await (try await Self.signedIn(client, world.ceoA)).get("/tenants")
            #expect(ceoTenants.text.contains(">Amherst</a>") && !ceoTenants.text.contains("Latest fee") && !ceoTenants.text.contains("Barnstable"))

            // The same list as a workbook: dollars as numbers with a currency format.
            let workbook = try await admin.get("/invoices.xlsx?asOf=2014-09-01")
            #expect(workbook.headers[.contentType] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            let sheet = try XLSXReader.sheet(from: Array(workbook.body.readableBytesView))
            let cells = Dictionary(uniqueKeysWithValues: sheet.cells.map { ($0.reference.description, $0.value) })
            #expect(cells["A1"] == .text("Tenant") && cells["D2"] == .text("MPMP-FY2015-0001") && cells["H2"] == .number("10000.00"))
            #expect(cells["E2"] == .text("Past due"))
            let funding = try XLSXReader.sheet(from: Array(try await admin.get("/reports/funding.xlsx?program=MPMP&fy=2015").body.readableBytesView))
            #expect(funding.cells.contains { $0.value == .number("750000.00") })
            let fundingCSV = try await admin.get("/reports/funding.csv?program=MPMP&fy=2015")
            #expect(fundingCSV.text.contains("MPMP,2015,2,7,750000.00,"))

            for person in [world.ceoA, world.analystA, world.headA] {
                #expect(try await (try await Self.signedIn(client, person)).get("/invoices.xlsx").status == .forbidden, "\(person.email)")
                let browser = try await Self.signedIn(client, person)
                #expect(try await browser.get("/invoices").status == .forbidden, "\(person.email)")
                #expect(try await browser.get("/invoices?fy=abc").status == .forbidden, "\(person.email)")
                #expect(try await browser.get("/invoices.csv").status == .forbidden, "\(person.email)")
                #expect(try await browser.post("/invoices/runs", ["program": "MPMP", "fy": "2015"]).status == .forbidden, "\(person.email)")
            }
            #expect(try await Browser(client).get("/invoices").headers[.location] == "/login")
        }
    }

    @Test("a Center admin enrolls a town from its invoices page; errors beside their fields; a second enrollment is refused")
    func enrollment() async throws {
        try await withWorld { client, world, _ in
            try await BillingAPITests.setUpProgram(client, world)  // enrolls both towns in MPMP FY2015
            let admin = try await Self.signedIn(client, world.admin)
            let path = "/tenants/\(world.tenantA.uuidString.lowercased())"
            #expect(try await admin.get("\(path)/invoices").text.contains("Enroll in a program year"))
            let noDay = try await admin.post("\(path)/enrollments", ["program": "MPMP", "fiscalYear": "2016", "joinedOn": ""])
            #expect(noDay.status == .unprocessableContent && noDay.text.contains("id=\"field-joinedOn-enroll-error\""))
            let noYear = try await admin.post("\(path)/enrollments", ["program": "MPMP", "fiscalYear": "2016", "joinedOn": "2015-08-01"])
            #expect(noYear.status == .unprocessableContent && noYear.text.contains("there is no program year MPMP FY2016"))
            let twice = try await admin.post("\(path)/enrollments", ["program": "MPMP", "fiscalYear": "2015", "joinedOn": "2014-07-01"])
            #expect(twice.status == .conflict && twice.text.contains("id=\"field-fiscalYear-enroll-error\""))
            let ceo = try await Self.signedIn(client, world.ceoA)
            #expect(!(try await ceo.get("\(path)/invoices").text.contains("Enroll in a program year")))
            #expect(try await ceo.post("\(path)/enrollments", ["program": "MPMP", "fiscalYear": "2015", "joinedOn": "2014-07-01"]).status == .forbidden)
        }
    }

    @Test("an invoice run from the console creates the missing drafts once; a year without a program is named beside its field")
    func invoiceRun() async throws {
        try await withWorld { client, world, _ in
            try await BillingAPITests.setUpProgram(client, world)
            let admin = try await Self.signedIn(client, world.admin)
            let run = try await admin.post("/invoices/runs", ["program": "MPMP", "fy": "2015"])
            #expect(run.status == .seeOther)
            let location = try #require(run.headers[.location])
            #expect(location == "/invoices?standing=draft&program=MPMP&fy=2015&drafts=2")
            #expect(try await admin.get(location).text.contains("The run created 2 draft invoices."))
            let again = try await admin.post("/invoices/runs", ["program": "MPMP", "fy": "2015"])
            #expect(again.headers[.location]?.hasSuffix("drafts=0") == true)
            #expect(try await BillingAPITests.invoices(client, world, tenant: world.tenantA).count == 1)

            let missing = try await admin.post("/invoices/runs", ["program": "MPMP", "fy": "2016"])
            #expect(missing.status == .unprocessableContent)
            #expect(missing.text.contains("Fiscal year is not a year of program MPMP yet"))
            #expect(missing.text.contains("aria-invalid=\"true\""))
            let notAYear = try await admin.post("/invoices/runs", ["program": "MPMP", "fy": "next"])
            #expect(notAYear.status == .unprocessableContent)
            #expect(try await admin.post("/invoices/runs", ["program": "MPMP", "fy": "2015"], csrf: false).status == .forbidden)
        }
    }

    @Test("an invoice's money in the console: finalize, a payment done once however often it is sent, errors beside the amount, a credit note, void refused once paid")
    func invoiceActions() async throws {
        try await withWorld { client, world, _ in
            _ = try await BillingAPITests.finalizedInvoiceOfA(client, world)
            let draft = try #require(try await BillingAPITests.invoices(client, world, tenant: world.tenantB).first?["id"] as? String)
            let path = "/tenants/\(world.tenantB.uuidString.lowercased())/invoices/\(draft.lowercased())"
            let admin = try await Self.signedIn(client, world.admin)

            let page = try await admin.get(path)
            #expect(page.text.contains("Finalize and send") && page.text.contains("Void this invoice") && !page.text.contains("Record a payment"))
            #expect(page.text.contains("<th scope=\"row\">Balance due</th><td class=\"number\">$0.00</td>"))  // a draft owes nothing yet
            let finalizeKey = try Self.key(of: page, action: "finalize")
            let finalize = ["key": finalizeKey, "dueInDays": "30", "issuedOn": "2015-01-15"]
            let finalized = try await admin.post("\(path)/finalize", finalize)
            #expect(finalized.status == .seeOther)
            #expect(finalized.headers[.location] == "\(path)?done=finalize")
            // The same form again (a double click): nothing more happens, no number is taken.
            #expect(try await admin.post("\(path)/finalize", finalize).status == .seeOther)
            let issued = try await admin.get("\(path)?done=finalize")
            #expect(issued.text.contains("Invoice MPMP-FY2015-0002") && issued.text.contains("The invoice is finalized and numbered"))
            #expect(issued.text.contains("Due</dt><dd>2015-02-14"))
            #expect(!(try await admin.get("/invoices").text.contains("MPMP-FY2015-0003")))

            let paymentKey = try Self.key(of: issued, action: "payments")
            let keyless = try await admin.post("\(path)/payments", ["amount": "10.00", "method": "check"])
            #expect(keyless.status == .forbidden)  // a money form without its key is refused, not done unguarded
            let notMoney = try await admin.post("\(path)/payments", ["key": paymentKey, "amount": "ten dollars", "method": "check"])
            #expect(notMoney.status == .unprocessableContent)
            #expect(notMoney.text.contains("Amount in dollars must be an amount in dollars, such as 1,250.00."))
            #expect(notMoney.text.contains("id=\"field-amount-payment-error\""))
            #expect(notMoney.text.contains("value=\"ten dollars\""))
            let tooMuch = try await admin.post("\(path)/payments", ["key": UUID().uuidString, "amount": "999,999.00", "method": "check"])
            #expect(tooMuch.status == .unprocessableContent)
            #expect(tooMuch.text.contains("is more than the open balance of $"))
            let payment = ["key": paymentKey, "amount": "$1,000.00", "method": "check", "reference": "Check 2044", "receivedOn": "2015-02-01"]
            #expect(try await admin.post("\(path)/payments", payment).status == .seeOther)
            #expect(try await admin.post("\(path)/payments", payment).status == .seeOther)
            let statement = try await client.call(.get, "/v1/tenants/\(world.tenantB)/statement", as: world.ceoB).object()
            #expect(statement["paidCents"] as? Int == 100_000)
            #expect((statement["payments"] as? [Any])?.count == 1)

            let credited = try await admin.post("\(path)/credit-notes", ["key": UUID().uuidString, "amount": "250", "reason": "Joined mid-year"])
            #expect(credited.status == .seeOther)
            let after = try await admin.get(path)
            #expect(after.text.contains("Payment by Check, Check 2044") && after.text.contains("Credit note: Joined mid-year"))
            #expect(after.text.contains("$250.00") && !after.text.contains("Void this invoice"))
            let void = try await admin.post("\(path)/void", ["key": UUID().uuidString])
            #expect(void.status == .conflict)
            #expect(void.text.contains("has payments and cannot be voided"))

            // The town's account: its invoices and what it owes.
            let ceoBrowser = try await Self.signedIn(client, world.ceoB)
            let account = try await ceoBrowser.get("/tenants/\(world.tenantB.uuidString.lowercased())/invoices")
            #expect(account.status == .ok && account.text.contains("MPMP-FY2015-0002") && account.text.contains("<th scope=\"row\">Paid</th><td class=\"number\">$1,000.00</td>"))
            #expect(try await (try await Self.signedIn(client, world.headB)).get("/tenants/\(world.tenantB.uuidString.lowercased())/invoices").status == .forbidden)

            // The town reads its invoice without the forms; nobody else may move its money.
            let ceo = try await Self.signedIn(client, world.ceoB)
            let read = try await ceo.get(path)
            #expect(read.status == .ok && !read.text.contains("Record a payment") && !read.text.contains("name=\"key\""))
            #expect(try await ceo.post("\(path)/payments", ["key": UUID().uuidString, "amount": "5", "method": "check"]).status == .forbidden)
            #expect(try await admin.post("\(path)/payments", ["key": UUID().uuidString, "amount": "5", "method": "check"], csrf: false).status == .forbidden)
            let unchanged = try await client.call(.get, "/v1/tenants/\(world.tenantB)/statement", as: world.ceoB).object()
            #expect(unchanged["paidCents"] as? Int == 100_000)
        }
    }
}
