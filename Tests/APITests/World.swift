import API
import Domain
import Foundation
import HTTPTypes
import HummingbirdBcrypt
import HummingbirdTesting
import NIOCore
import PostgresNIO
import Services
import Storage
import TestSupport
import Testing

/// Everyone's password in the test world, hashed once per process (bcrypt cost 12 takes a
/// quarter of a second, and the tests make many users).
let worldPassword = "correct horse battery staple"
let worldPasswordHash = Bcrypt.hash(worldPassword, cost: 12)

/// A signed-in person of the test world.
struct Person: Sendable {
    let id: UUID
    let email: String
    let token: String

    var authorization: HTTPFields { [.authorization: "Bearer \(token)"] }
}

/// Two towns, A and B, each with a department, an analyst, a CEO and a department head,
/// and a Center admin above them.
struct World: Sendable {
    let admin: Person
    let tenantA: UUID, tenantB: UUID
    let departmentA: UUID, departmentB: UUID
    let analystA: Person, ceoA: Person, headA: Person
    let analystB: Person, ceoB: Person, headB: Person

    var rolesOfA: [(String, Person)] { [("analyst", analystA), ("CEO", ceoA), ("department head", headA)] }

    static func seed(_ database: Database) async throws -> World {
        let users = UserStore(logger: TestDatabases.logger)
        let tenants = TenantStore(logger: TestDatabases.logger)
        return try await database.withTenantTransaction(.center) { connection in
            // The catalogue, the tenants and the users are the Center's to write.
            try await connection.assumeCenterAdminRole(logger: TestDatabases.logger)
            func person(_ name: String, admin: Bool = false) async throws -> Person {
                let email = "\(name)@example.org"
                guard let user = try await users.create(email: email, displayName: name, passwordHash: worldPasswordHash, isCenterAdmin: admin, on: connection) else {
                    throw TestDatabaseError.notConfigured
                }
                let token = SecretToken.generate()
                try await users.createSession(tokenHash: SecretToken.hash(token), userID: user.id, lifetime: .seconds(3600), clientAddress: nil, on: connection)
                return Person(id: user.id, email: email, token: token)
            }
            try await connection.execute(
                "INSERT INTO jurisdictions (code, name, fiscal_year_start_month) VALUES ('MA', 'Massachusetts', 7)",
                logger: TestDatabases.logger
            )
            try await connection.execute(
                "INSERT INTO tenant_kinds (code, name, executive_title) VALUES ('municipality', 'Municipality', 'Mayor / Town Manager')",
                logger: TestDatabases.logger
            )
            var ids: [(UUID, UUID)] = []
            for name in ["Amherst", "Barnstable"] {
                let tenant = Tenant(id: UUID(), name: name, kindCode: "municipality", jurisdictionCode: "MA", population: 40_000)
                try await tenants.create(tenant, on: connection)
                let department = Department(tenantID: tenant.id, id: UUID(), name: "Public Works")
                try await tenants.createDepartment(department, on: connection)
                ids.append((tenant.id, department.id))
            }
            let admin = try await person("admin", admin: true)
            var people: [[Person]] = []
            for (index, (tenantID, departmentID)) in ids.enumerated() {
                let suffix = index == 0 ? "a" : "b"
                let analyst = try await person("analyst-\(suffix)")
                let ceo = try await person("ceo-\(suffix)")
                let head = try await person("head-\(suffix)")
                try await users.assignPortfolio(analyst: analyst.id, tenant: tenantID, on: connection)
                try await users.addMembership(tenant: tenantID, user: ceo.id, role: .chiefExecutive, on: connection)
                try await users.addMembership(tenant: tenantID, user: head.id, role: .departmentHead(departmentID: departmentID), on: connection)
                people.append([analyst, ceo, head])
            }
            return World(
                admin: admin,
                tenantA: ids[0].0, tenantB: ids[1].0,
                departmentA: ids[0].1, departmentB: ids[1].1,
                analystA: people[0][0], ceoA: people[0][1], headA: people[0][2],
                analystB: people[1][0], ceoB: people[1][1], headB: people[1][2]
            )
        }
    }
}

/// A test with its own database, the application on it, and the seeded world.
func withWorld<Result: Sendable>(
    auth: AuthSettings = AuthSettings(trustForwardedFor: true),
    _ body: @Sendable @escaping (any TestClientProtocol, World, TestDatabase) async throws -> Result
) async throws -> Result {
    try await withTestDatabase { testDatabase in
        let world = try await withDatabase(testDatabase.serviceURL) { try await World.seed($0) }
        return try await withApplication(databaseURL: testDatabase.serviceURL, auth: auth) { client in
            try await body(client, world, testDatabase)
        }
    }
}

extension TestClientProtocol {
    /// Sends `json` (an object, or raw text) with the person's token.
    @discardableResult
    func call(
        _ method: HTTPRequest.Method,
        _ uri: String,
        as person: Person? = nil,
        json: Any? = nil,
        rawBody: String? = nil,
        headers extra: HTTPFields = [:]
    ) async throws -> TestResponse {
        var headers = person?.authorization ?? [:]
        headers.append(contentsOf: extra)
        var buffer: ByteBuffer?
        if let json {
            headers[.contentType] = "application/json"
            buffer = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json))
        } else if let rawBody {
            if headers[.contentType] == nil { headers[.contentType] = "application/json" }
            buffer = ByteBuffer(string: rawBody)
        }
        return try await execute(uri: uri, method: method, headers: headers, body: buffer)
    }
}

extension TestResponse {
    /// The body as a JSON object.
    func object() throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any] else {
            throw ProblemDecodingError.wrongMediaType(headers[.contentType])
        }
        return object
    }

    var text: String { String(buffer: body) }
}

/// The accept token of the newest invitation mailed to `recipient`: the link travels
/// only by mail, so it is read where the mail waits (the outbox).
func mailedInvitationToken(to recipient: String, _ database: TestDatabase) async throws -> String {
    let body = try await database.ownerURL.withConnection(logger: TestDatabases.logger) { connection in
        let rows = try await connection.query(
            "SELECT body FROM outbox WHERE recipient = \(recipient) ORDER BY created_at DESC LIMIT 1", logger: TestDatabases.logger
        )
        var found: String?
        for try await body in rows.decode(String.self) { found = body }
        return found
    }
    let text = try #require(body, "no mail to \(recipient)")
    // The link is the console's page: /invitations/{token}.
    let link = try #require(text.split(whereSeparator: \.isWhitespace).first { $0.contains("/invitations/") })
    return String(link.split(separator: "/").last ?? "")
}
