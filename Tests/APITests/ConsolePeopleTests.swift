import API
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Services
import TestSupport
import Testing

/// People and the audit trail in the console (Center admins; a CEO reads their town's trail).
@Suite("Console: people and the audit trail")
struct ConsolePeopleTests {
    @Test("a Center admin assigns a town to an analyst and takes it back, adds someone, disables an account; others may not")
    func people() async throws {
        try await withWorld { client, world, _ in
            let admin = try await ConsoleBillingTests.signedIn(client, world.admin)
            let list = try await admin.get("/users")
            #expect(list.status == .ok && list.text.contains("analyst-a@example.org") && list.text.contains("Amherst <button"))
            // The analyst choices: analysts and people without a role, never a CEO or a Center admin.
            #expect(list.text.contains("<option value=\"\(world.analystB.id.uuidString.lowercased())\""))
            #expect(!list.text.contains("<option value=\"\(world.ceoA.id.uuidString.lowercased())\""))
            #expect(!list.text.contains("<option value=\"\(world.admin.id.uuidString.lowercased())\""))

            let tenantA = world.tenantA.uuidString.lowercased()
            let analystB = try await ConsoleBillingTests.signedIn(client, world.analystB)
            #expect(try await analystB.get("/tenants/\(tenantA)/dashboard").status == .notFound)
            let assigned = try await admin.post("/users/portfolio", ["user": world.analystB.id.uuidString.lowercased(), "tenant": tenantA])
            #expect(assigned.headers[.location] == "/users?done=assign")
            #expect(try await analystB.get("/tenants/\(tenantA)/dashboard").status == .ok)
            let removed = try await admin.post("/users/\(world.analystB.id.uuidString.lowercased())/portfolio/\(tenantA)/remove", [:])
            #expect(removed.headers[.location] == "/users?done=remove")
            #expect(try await analystB.get("/tenants/\(tenantA)/dashboard").status == .notFound)

            let short = try await admin.post("/users", ["email": "new.analyst@example.org", "displayName": "New Analyst", "password": "short", "role": "analyst"])
            #expect(short.status == .unprocessableContent && short.text.contains("id=\"field-password-add-error\""))
            #expect(short.text.contains("value=\"new.analyst@example.org\""))
            let added = try await admin.post("/users", ["email": "new.analyst@example.org", "displayName": "New Analyst", "password": "a-long-password-1", "role": "analyst"])
            #expect(added.headers[.location] == "/users?done=add")
            let again = try await admin.post("/users", ["email": "new.analyst@example.org", "password": "a-long-password-1", "role": "analyst"])
            #expect(again.status == .conflict && again.text.contains("id=\"field-email-add-error\""))

            let headB = try await ConsoleBillingTests.signedIn(client, world.headB)
            #expect(try await admin.post("/users/\(world.headB.id.uuidString.lowercased())/disable", [:]).headers[.location] == "/users?done=disable")
            #expect(try await headB.get("/").headers[.location]?.hasPrefix("/login") == true)
            // No one disables themselves: the reader's own row has no such button.
            let people = try await admin.get("/users").text
            let ownRow = try #require(people.range(of: "<td>admin@example.org</td>"))
            let rowEnd = try #require(people[ownRow.upperBound...].range(of: "</tr>"))
            #expect(!people[ownRow.upperBound..<rowEnd.lowerBound].contains("/disable"))
            #expect(people.contains("/users/\(world.ceoA.id.uuidString.lowercased())/disable"))

            let ceo = try await ConsoleBillingTests.signedIn(client, world.ceoA)
            #expect(try await ceo.get("/users").status == .forbidden)
            #expect(try await ceo.post("/users/portfolio", ["user": world.analystB.id.uuidString.lowercased(), "tenant": tenantA]).status == .forbidden)
            #expect(try await admin.post("/users/portfolio", ["user": world.analystB.id.uuidString.lowercased(), "tenant": tenantA], csrf: false).status == .forbidden)
        }
    }

    @Test("the audit trail: everything for a Center admin, narrowed to a town; a CEO reads their town's only")
    func trail() async throws {
        try await withWorld { client, world, _ in
            let admin = try await ConsoleBillingTests.signedIn(client, world.admin)
            _ = try await admin.post("/users/portfolio", ["user": world.analystB.id.uuidString.lowercased(), "tenant": world.tenantA.uuidString.lowercased()])
            let ceoB = try await ConsoleBillingTests.signedIn(client, world.ceoB)
            #expect(try await ceoB.get("/users").status == .forbidden)  // refused, and recorded

            let all = try await admin.get("/audit")
            #expect(all.status == .ok && all.text.contains("portfolio.assign") && all.text.contains("<td>admin</td>"))
            #expect(all.text.contains("Refused"))
            let amherst = try await admin.get("/audit?tenant=\(world.tenantA.uuidString.lowercased())")
            #expect(amherst.text.contains("portfolio.assign") && amherst.text.contains("<td>Amherst</td>"))
            let ceoA = try await ConsoleBillingTests.signedIn(client, world.ceoA)
            let own = try await ceoA.get("/audit")
            #expect(own.status == .ok && !own.text.contains("The platform"))
            #expect(try await ceoA.get("/audit?tenant=\(world.tenantB.uuidString.lowercased())").status == .notFound)
            #expect(try await admin.get("/audit?before=yesterday").status == .badRequest)
            // A time the database driver could not encode is no page, not a crash.
            for before in ["1e13|\(UUID().uuidString)", "99999999999999999|\(UUID().uuidString)", "nan|\(UUID().uuidString)"] {
                #expect(try await admin.get("/audit?before=" + ConsoleTests.Browser.encode(before)).status == .badRequest, "\(before)")
            }
            // Pages meet exactly: the second page starts after the first's last event.
            for index in 0..<55 {
                _ = try await admin.post("/users/portfolio", ["user": world.analystB.id.uuidString.lowercased(), "tenant": index % 2 == 0 ? world.tenantB.uuidString.lowercased() : world.tenantA.uuidString.lowercased()])
            }
            let first = try await admin.get("/audit").text
            let next = try #require(first.range(of: "href=\"/audit?before=")).upperBound
            let cursor = String(first[next...].prefix { $0 != "\"" }).removingPercentEncoding ?? ""
            let second = try await admin.get("/audit?before=" + ConsoleTests.Browser.encode(cursor))
            #expect(second.status == .ok && second.text.contains("<th scope=\"row\">"))
            #expect(first.components(separatedBy: "<tr><th scope=\"row\">").count - 1 == 50)
            #expect(try await (try await ConsoleBillingTests.signedIn(client, world.headA)).get("/audit").status == .forbidden)
        }
    }

    @Test("the Center's reports: aging of open invoices and a program year's funding, for Center admins only; a bad date is named beside its field")
    func reports() async throws {
        try await withWorld { client, world, _ in
            let invoice = try await BillingAPITests.finalizedInvoiceOfA(client, world)
            let admin = ConsoleTests.Browser(client)
            try await admin.get("/login")
            try await admin.post("/login", ["email": world.admin.email, "password": worldPassword])
            let home = try await admin.get("/")
            #expect(home.text.contains("href=\"/reports/aging\""))
            let aging = try await admin.get("/reports/aging?asOf=2014-10-15")
            #expect(aging.status == .ok, "\(aging.text)")
            #expect(aging.text.contains("as of 2014-10-15"))
            #expect(aging.text.contains("<th scope=\"row\">31 to 60 days</th><td class=\"number\">$10,000.00</td>"))
            #expect(aging.text.contains("/invoices/\(invoice.lowercased())\">MPMP-FY2015-0001</a>"))
            let bad = try await admin.get("/reports/aging?asOf=2014-13-01")
            #expect(bad.status == .badRequest)
            #expect(bad.text.contains("id=\"field-asOf-error\""))

            #expect(try await admin.get("/reports/funding").status == .ok)
            let funding = try await admin.get("/reports/funding?program=MPMP&fy=2015")
            #expect(funding.status == .ok, "\(funding.text)")
            #expect(funding.text.contains("Fees invoiced (net of credit notes)</th><td class=\"number\">$10,000.00</td>"))
            let unknown = try await admin.get("/reports/funding?program=MPMP&fy=2099")
            #expect(unknown.status == .notFound)
            #expect(unknown.text.contains("id=\"field-program-error\""))

            for person in [world.analystA, world.ceoA, world.headA] {
                let browser = ConsoleTests.Browser(client)
                try await browser.get("/login")
                try await browser.post("/login", ["email": person.email, "password": worldPassword])
                #expect(try await browser.get("/reports/aging").status == .forbidden)
                #expect(try await browser.get("/reports/funding?program=MPMP&fy=2015").status == .forbidden)
            }
        }
    }

    @Test("a Center admin onboards a tenant and invites its CEO from the console; the CEO invites a department head; others may not")
    func onboardAndInvite() async throws {
        try await withWorld { client, world, database in
            let admin = ConsoleTests.Browser(client)
            try await admin.get("/login")
            try await admin.post("/login", ["email": world.admin.email, "password": worldPassword])
            let list = try await admin.get("/tenants")
            #expect(list.status == .ok)
            #expect(list.text.contains("href=\"/tenants/new\""))
            #expect(try await admin.get("/tenants/new").text.contains("<select id=\"field-kind\""))
            let noName = try await admin.post("/tenants/new", ["name": "", "kind": "municipality", "jurisdiction": "MA", "population": "5250"])
            #expect(noName.status == .unprocessableContent)
            #expect(noName.text.contains("id=\"field-name-error\""))
            let badPopulation = try await admin.post("/tenants/new", ["name": "Hadley", "kind": "municipality", "jurisdiction": "MA", "population": "many"])
            #expect(badPopulation.text.contains("id=\"field-population-error\""))
            let onboarded = try await admin.post("/tenants/new", ["name": "Hadley", "kind": "municipality", "jurisdiction": "MA", "population": "5,250"])
            #expect(onboarded.status == .seeOther)
            let location = try #require(onboarded.headers[.location])
            #expect(location.hasSuffix("/invitations?onboarded=1"))
            let invitePage = try await admin.get(location)
            #expect(invitePage.text.contains("Hadley is onboarded."))
            let invitePath = String(location.split(separator: "?")[0])
            let invited = try await admin.post(invitePath, ["email": "manager@hadley.example", "role": "ceo", "departmentId": ""])
            #expect(invited.status == .seeOther, "\(invited.text)")
            #expect(try await admin.get(try #require(invited.headers[.location])).text.contains("on its way to manager@hadley.example"))
            #expect(try await MailingTests.outbox(kind: "invitation", database).contains { $0.recipient == "manager@hadley.example" })
            let again = try await admin.post("/tenants/new", ["name": "Hadley", "kind": "municipality", "jurisdiction": "MA", "population": ""])
            #expect(again.status == .conflict)

            let ceo = ConsoleTests.Browser(client)
            try await ceo.get("/login")
            try await ceo.post("/login", ["email": world.ceoA.email, "password": worldPassword])
            let path = "/tenants/\(world.tenantA.uuidString.lowercased())/invitations"
            let form = try await ceo.get(path)
            #expect(form.status == .ok)
            #expect(!form.text.contains("value=\"ceo\""))
            let noDepartment = try await ceo.post(path, ["email": "clerk@springfield.example", "role": "department_head", "departmentId": ""])
            #expect(noDepartment.status == .unprocessableContent)
            #expect(noDepartment.text.contains("id=\"field-departmentId-error\""))
            let byCEO = try await ceo.post(
                path, ["email": "clerk@springfield.example", "role": "department_head", "departmentId": world.departmentA.uuidString.lowercased()]
            )
            #expect(byCEO.status == .seeOther, "\(byCEO.text)")
            let asCEO = try await ceo.post(path, ["email": "boss@springfield.example", "role": "ceo", "departmentId": ""])
            #expect(asCEO.status == .forbidden)
            #expect(try await ceo.get("/tenants/new").status == .forbidden)

            let head = ConsoleTests.Browser(client)
            try await head.get("/login")
            try await head.post("/login", ["email": world.headA.email, "password": worldPassword])
            #expect(try await head.get(path).status == .forbidden)
            #expect(!(try await head.get("/tenants").text.contains("href=\"/tenants/new\"")))
        }
    }
}
