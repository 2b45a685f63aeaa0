import API
import Foundation
import HTTPTypes
import HummingbirdTesting
import PostgresNIO
import Storage
import TestSupport
import Testing

@Suite("Onboarding: tenants, invitations, departments")
struct OnboardingTests {
    @Test("a Center admin onboards a town and invites its CEO; the CEO invites a department head")
    func onboarding() async throws {
        try await withWorld { client, world, database in
            let created = try await client.call(
                .post, "/v1/tenants", as: world.admin,
                json: ["name": "Chelmsford", "kind": "municipality", "jurisdiction": "MA", "population": 35_391]
            )
            #expect(created.status == .created)
            let tenantID = try #require(try created.object()["id"] as? String)

            let invitation = try await client.call(
                .post, "/v1/tenants/\(tenantID)/invitations", as: world.admin,
                json: ["email": "manager@chelmsford.example", "role": "ceo"]
            )
            #expect(invitation.status == .created)
            let ceoToken = try await mailedInvitationToken(to: "manager@chelmsford.example", database)

            let accepted = try await client.call(
                .post, "/v1/invitations/\(ceoToken)/accept",
                json: ["displayName": "Town Manager", "password": "chelmsford-2015"]
            )
            #expect(accepted.status == .ok)
            let login = try await client.call(.post, "/v1/auth/login", json: ["email": "manager@chelmsford.example", "password": "chelmsford-2015"])
            let sessionToken = try #require(try login.object()["token"] as? String)
            let ceo: HTTPFields = [.authorization: "Bearer \(sessionToken)"]

            let department = try await client.call(.post, "/v1/tenants/\(tenantID)/departments", rawBody: #"{"name":"Department of Public Works"}"#, headers: ceo)
            #expect(department.status == .created)
            let departmentID = try #require(try department.object()["id"] as? String)
            let duplicate = try await client.call(.post, "/v1/tenants/\(tenantID)/departments", rawBody: #"{"name":"department of public works"}"#, headers: ceo)
            #expect(duplicate.status == .conflict)

            let headInvitation = try await client.call(
                .post, "/v1/tenants/\(tenantID)/invitations",
                rawBody: #"{"email":"dpw@chelmsford.example","role":"department_head","departmentId":"\#(departmentID)"}"#,
                headers: ceo
            )
            #expect(headInvitation.status == .created)
            let headToken = try await mailedInvitationToken(to: "dpw@chelmsford.example", database)
            #expect(try await client.call(.post, "/v1/invitations/\(headToken)/accept", json: ["displayName": "DPW Director", "password": "potholes-filled"]).status == .ok)

            // Used once, refused after.
            let again = try await client.call(.post, "/v1/invitations/\(headToken)/accept", json: ["displayName": "Someone", "password": "another password"])
            #expect(again.status == .gone)
            #expect(try Problem.decode(from: again).type.hasSuffix("invitation-used"))

            // What would have been e-mailed is in the outbox, with the link.
            try await database.ownerURL.withConnection(logger: TestDatabases.logger) { connection in
                let rows = try await connection.query("SELECT recipient, body FROM outbox ORDER BY created_at", logger: TestDatabases.logger)
                var mails: [(String, String)] = []
                for try await mail in rows.decode((String, String).self) { mails.append(mail) }
                #expect(mails.map(\.0) == ["manager@chelmsford.example", "dpw@chelmsford.example"])
                #expect(mails.first?.1.contains(ceoToken) == true)
            }

            // The CEO's trail shows the onboarding.
            let audit = try await client.call(.get, "/v1/audit-events?tenantId=\(tenantID)", headers: ceo)
            let actions = try #require(try audit.object()["items"] as? [[String: Any]]).compactMap { $0["action"] as? String }
            #expect(Set(actions).isSuperset(of: ["tenants.create", "invitations.create", "invitations.accept", "departments.create"]))
        }
    }

    @Test("an expired invitation is refused")
    func expiredInvitation() async throws {
        try await withWorld { client, world, database in
            let invitation = try await client.call(
                .post, "/v1/tenants/\(world.tenantA)/invitations", as: world.admin,
                json: ["email": "late@example.org", "role": "ceo"]
            )
            #expect(invitation.status == .created)
            let token = try await mailedInvitationToken(to: "late@example.org", database)
            try await withDatabase(database.serviceURL) { db in
                try await db.withTenantTransaction(.tenant(world.tenantA)) { connection in
                    try await connection.execute(
                        "UPDATE invitations SET expires_at = now() - interval '1 second' WHERE email = 'late@example.org'",
                        logger: TestDatabases.logger
                    )
                }
            }
            let response = try await client.call(.post, "/v1/invitations/\(token)/accept", json: ["displayName": "Late", "password": "too late now"])
            #expect(response.status == .gone)
            #expect(try Problem.decode(from: response).type.hasSuffix("invitation-expired"))
            let login = try await client.call(.post, "/v1/auth/login", json: ["email": "late@example.org", "password": "too late now"])
            #expect(login.status == .unauthorized)
        }
    }

    @Test("a made-up or tampered invitation token is not found")
    func unknownInvitation() async throws {
        try await withWorld { client, world, _ in
            for token in ["nonsense", "\(world.tenantA.uuidString.lowercased()).\(SecretToken.generate())", "\(UUID()).short"] {
                let response = try await client.call(.post, "/v1/invitations/\(token)/accept", json: ["displayName": "X", "password": "whatever123"])
                #expect(response.status == .notFound)
            }
        }
    }

    @Test("a Center admin adds a jurisdiction and a tenant kind as data")
    func catalogAsData() async throws {
        try await withWorld { client, world, _ in
            let state = try await client.call(.post, "/v1/jurisdictions", as: world.admin, json: ["code": "RI", "name": "Rhode Island", "fiscalYearStartMonth": 7])
            #expect(state.status == .created)
            let kind = try await client.call(
                .post, "/v1/tenant-kinds", as: world.admin,
                json: ["code": "school_district", "name": "School district", "executiveTitle": "Superintendent", "unitName": "School", "sizeMeasure": "enrollment"]
            )
            #expect(kind.status == .created)
            let tenant = try await client.call(
                .post, "/v1/tenants", as: world.admin,
                json: ["name": "Providence Public Schools", "kind": "school_district", "jurisdiction": "RI", "population": 22_000]
            )
            #expect(tenant.status == .created)
            let kinds = try await client.call(.get, "/v1/tenant-kinds", as: world.ceoA)
            #expect((try kinds.object()["items"] as? [Any])?.count == 2, "\(kinds.status) \(kinds.text)")
            let again = try await client.call(.post, "/v1/jurisdictions", as: world.admin, json: ["code": "RI", "name": "Rhode Island", "fiscalYearStartMonth": 7])
            #expect(again.status == .conflict)
        }
    }
}
