import API
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Findings of the security review (issue 11, section 2), each shown through the API.
@Suite("Review findings")
struct ReviewFindingsTests {
    @Test("(c) the population sets the fee: a CEO cannot change it, a Center admin can, and it is audited")
    func feeDriversAreTheCentersOwn() async throws {
        try await withWorld { client, world, _ in
            let path = "/v1/tenants/\(world.tenantA)"
            let refused = try await client.call(.patch, path, as: world.ceoA, json: ["population": 0])
            #expect(refused.status == .forbidden)
            #expect(try await client.call(.get, path, as: world.admin).object()["population"] as? Int == 40_000)
            // The rest of the profile stays the CEO's.
            #expect(try await client.call(.patch, path, as: world.ceoA, json: ["name": "Amherst Town"]).status == .ok)

            let changed = try await client.call(.patch, path, as: world.admin, json: ["population": 39_880])
            #expect(changed.status == .ok)
            #expect(try changed.object()["population"] as? Int == 39_880)
            let events = try await client.call(.get, "/v1/audit-events?tenantId=\(world.tenantA)", as: world.admin).object()
            let items = try #require(events["items"] as? [[String: Any]])
            #expect(items.contains { $0["outcome"] as? String == "denied" && ($0["target"] as? String)?.hasSuffix(": population") == true })
            #expect(items.contains { $0["action"] as? String == "tenants.population" && ($0["target"] as? String)?.hasSuffix("population 39880") == true })
        }
    }

    @Test("(b) the accept link goes only by mail; accepting never changes an existing account without its owner")
    func invitationsLeaveAccountsToTheirOwners() async throws {
        try await withWorld { client, world, database in
            // ceoA invites a co-worker who already has an account (ceoB's, as a department
            // head): the answer carries no link, the mail does.
            let invited = try await client.call(
                .post, "/v1/tenants/\(world.tenantA)/invitations", as: world.ceoA,
                json: ["email": world.ceoB.email, "role": "department_head", "departmentId": world.departmentA.uuidString]
            )
            #expect(invited.status == .created)
            #expect(try invited.object()["acceptUrl"] == nil)
            let token = try await mailedInvitationToken(to: world.ceoB.email, database)
            #expect(!invited.text.contains(token))
            let path = "/v1/invitations/\(token)/accept"

            // Whoever holds the link cannot accept it for the existing account: 409, nothing changed.
            let anonymous = try await client.call(.post, path, json: ["displayName": "Taken over", "password": "a new password"])
            #expect(anonymous.status == .conflict)
            let login = try await client.call(.post, "/v1/auth/login", json: ["email": world.ceoB.email, "password": worldPassword])
            #expect(login.status == .ok)
            #expect(try await client.call(.post, "/v1/auth/login", json: ["email": world.ceoB.email, "password": "a new password"]).status == .unauthorized)

            // Another signed-in account cannot accept it either (403, audited).
            let stranger = try await client.call(.post, path, as: world.headA, rawBody: "{}")
            #expect(stranger.status == .forbidden)

            // Its owner, signed in, can: the role is added, the name and password stay.
            let accepted = try await client.call(.post, path, as: world.ceoB, rawBody: "{}")
            #expect(accepted.status == .ok)
            #expect(try accepted.object()["displayName"] as? String == "ceo-b")
            let me = try await client.call(.get, "/v1/me", as: world.ceoB).object()
            let grants = try #require(me["grants"] as? [[String: Any]])
            #expect(grants.contains { ($0["tenantId"] as? String)?.lowercased() == world.tenantA.uuidString.lowercased() && $0["role"] as? String == "department_head" })
            #expect(grants.contains { ($0["tenantId"] as? String)?.lowercased() == world.tenantB.uuidString.lowercased() && $0["role"] as? String == "ceo" })
            #expect(try await client.call(.post, path, as: world.ceoB, rawBody: "{}").status == .gone)

            // An invitation never changes a role an account already holds in the tenant: the
            // CEO invited as a department head of their own town keeps being its CEO.
            let demotion = try await client.call(
                .post, "/v1/tenants/\(world.tenantA)/invitations", as: world.admin,
                json: ["email": world.ceoA.email, "role": "department_head", "departmentId": world.departmentA.uuidString]
            )
            #expect(demotion.status == .created)
            let demotionToken = try await mailedInvitationToken(to: world.ceoA.email, database)
            #expect(try await client.call(.post, "/v1/invitations/\(demotionToken)/accept", as: world.ceoA, rawBody: "{}").status == .conflict)
            let ceoGrants = try #require(try await client.call(.get, "/v1/me", as: world.ceoA).object()["grants"] as? [[String: Any]])
            #expect(ceoGrants.compactMap { $0["role"] as? String } == ["ceo"])

            // A signed-in account chooses no new name or password here.
            let renamed = try await client.call(.post, "/v1/invitations/\(demotionToken)/accept", as: world.ceoA, json: ["password": "sneaky-new-one"])
            #expect(renamed.status == .unprocessableContent)

            let events = try await client.call(.get, "/v1/audit-events?tenantId=\(world.tenantA)", as: world.admin).object()
            let items = try #require(events["items"] as? [[String: Any]])
            #expect(items.contains { $0["action"] as? String == "invitations.accept" && $0["outcome"] as? String == "denied" })
            #expect(items.contains { $0["action"] as? String == "invitations.accept" && $0["outcome"] as? String == "success" })
        }
    }

    @Test("(f) a measure's owner works on the tenant; another town's CEO and an unknown id answer alike")
    func ownersWorkOnTheTenant() async throws {
        try await withWorld { client, world, _ in
            let measure = try await PerformanceTests.measure(client, world, name: "Permit days")
            let path = "/v1/tenants/\(world.tenantA)/measures/\(measure)"
            var answers: [String] = []
            for stranger in [world.ceoB.id, world.admin.id, UUID()] {
                let response = try await client.call(.patch, path, as: world.ceoA, json: ["ownerId": stranger.uuidString])
                #expect(response.status == .conflict)
                var problem = try Problem.decode(from: response)
                problem.requestID = nil
                answers.append("\(problem)")
            }
            #expect(Set(answers).count == 1, "the answers tell the ids apart: \(answers)")
            for colleague in [world.headA.id, world.analystA.id] {
                #expect(try await client.call(.patch, path, as: world.ceoA, json: ["ownerId": colleague.uuidString]).status == .ok)
            }
            let item = try await client.call(
                .post, "/v1/tenants/\(world.tenantA)/action-items", as: world.ceoA, json: ["title": "Audit", "ownerId": world.headB.id.uuidString]
            )
            #expect(item.status == .conflict)
        }
    }

    @Test("(h) a department head's file naming another department's measure names nothing of it")
    func importsNameNothingOutOfScope() async throws {
        try await withWorld { client, world, _ in
            let police = try await client.call(.post, "/v1/tenants/\(world.tenantA)/departments", as: world.ceoA, json: ["name": "Police"]).object()
            let policeID = try #require((police["id"] as? String).flatMap(UUID.init(uuidString:)))
            let hidden = try await PerformanceTests.measure(client, world, name: "Confidential caseload", department: policeID)
            let csv = "measure,period,value\n\(hidden),2015-01-01,4\nconfidential caseload,2015-01-01,5\n"
            let response = try await PerformanceTests.post(client, "/v1/tenants/\(world.tenantA)/data-imports", as: world.headA, csv: csv)
            #expect(response.status == .unprocessableContent)
            #expect(!response.text.contains("Confidential caseload"), "\(response.text)")
            let problem = try Problem.decode(from: response)
            #expect(problem.errors?.map(\.field) == ["line 2", "line 3"])
            #expect(problem.errors?.allSatisfy { $0.reason.hasSuffix("does not exist, or belongs to another department") } == true)
        }
    }

    @Test("(l) a tenant's name is unique within its jurisdiction and kind, whatever its case")
    func tenantNamesAreUnique() async throws {
        try await withWorld { client, world, _ in
            for name in ["Amherst", "  amherst "] {
                let twin = try await client.call(.post, "/v1/tenants", as: world.admin, json: ["name": name, "kind": "municipality", "jurisdiction": "MA"])
                #expect(twin.status == .conflict, "\(name): \(twin.text)")
            }
            #expect(try await client.call(.post, "/v1/jurisdictions", as: world.admin, json: ["code": "NH", "name": "New Hampshire", "fiscalYearStartMonth": 7]).status == .created)
            let elsewhere = try await client.call(.post, "/v1/tenants", as: world.admin, json: ["name": "Amherst", "kind": "municipality", "jurisdiction": "NH"])
            #expect(elsewhere.status == .created)
        }
    }
}
