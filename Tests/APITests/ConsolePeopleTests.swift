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
            #expect(try await (try await ConsoleBillingTests.signedIn(client, world.headA)).get("/audit").status == .forbidden)
        }
    }
}
