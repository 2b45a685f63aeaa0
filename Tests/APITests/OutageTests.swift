import API
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import Services
import Storage
import TestSupport
import Testing

/// Issue 11 §4: while no connection can be had, requests answer 503 with `Retry-After`
/// after the lease timeout; never 500, never a wait without end. (`scripts/outage-test.sh`
/// stops a real database under load.)
@Suite("Outages answer 503")
struct OutageTests {
    static let leaseTimeout: Duration = .milliseconds(300)

    /// A signed-in request, an anonymous one (signing in), a bad-token refusal and the
    /// readiness check, against a database nobody listens on.
    @Test("with the database unreachable, use cases answer 503 with Retry-After; readiness too")
    func unreachableDatabase() async throws {
        let unreachable = DatabaseURL(host: "127.0.0.1", port: 1, username: "nobody", password: nil, database: "none", tlsMode: .disable)
        try await withApplication(databaseURL: unreachable, leaseTimeout: Self.leaseTimeout) { client in
            let token = SecretToken.generate()
            let signedIn: HTTPFields = [.authorization: "Bearer \(token)"]
            try await client.execute(uri: "/v1/me", method: .get, headers: signedIn) { response in
                try Self.expectUnavailable(response)
            }
            try await client.execute(uri: "/v1/tenants", method: .get, headers: signedIn) { response in
                try Self.expectUnavailable(response)
            }
            let login = ByteBuffer(string: #"{"email":"director@mpmp.demo","password":"demo-director-2015"}"#)
            try await client.execute(
                uri: "/v1/auth/login", method: .post, headers: [.contentType: "application/json"], body: login
            ) { response in
                try Self.expectUnavailable(response)
            }
            // Refused before any database work: recording the refusal fails, the answer stands.
            try await client.execute(uri: "/v1/me", method: .get, headers: [.authorization: "Bearer nonsense"]) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(uri: "/health/ready", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(response.headers[.retryAfter] == "5")
            }
        }
    }

    @Test("with every connection of the pool busy, a request answers 503 once the lease timeout has passed", .timeLimit(.minutes(1)))
    func exhaustedPool() async throws {
        try await withTestDatabase { testDatabase in
            let client = PostgresClient(
                configuration: try testDatabase.serviceURL.clientConfiguration(maximumConnections: 1),
                backgroundLogger: TestDatabases.logger
            )
            let database = Database(client: client, logger: TestDatabases.logger, leaseTimeout: Self.leaseTimeout)
            let application = buildApplication(
                settings: ServerSettings(readinessTimeout: .seconds(2)),
                dependencies: AppDependencies(
                    database: database, metrics: testMetrics, logger: TestDatabases.logger, auth: AuthSettings(trustForwardedFor: true)
                )
            )
            // The holder waits as long as it must for the one connection (a busy machine).
            let patient = Database(client: client, logger: TestDatabases.logger, leaseTimeout: testLeaseTimeout)
            try await application.test(.router) { client in
                let (holding, held) = AsyncStream.makeStream(of: Void.self)
                let (told, letGo) = AsyncStream.makeStream(of: Void.self)
                let holder = Task {
                    defer { held.finish() }
                    try await patient.withConnection { _ in
                        held.yield()
                        for await _ in told { break }
                    }
                }
                for await _ in holding { break }
                let signedIn: HTTPFields = [.authorization: "Bearer \(SecretToken.generate())"]
                try await client.execute(uri: "/v1/me", method: .get, headers: signedIn) { response in
                    try Self.expectUnavailable(response)
                }
                letGo.yield()
                try await holder.value
                // The pool serves again: an unknown session is a 401, found on the database.
                try await client.execute(uri: "/v1/me", method: .get, headers: signedIn) { response in
                    #expect(response.status == .unauthorized)
                }
            }
        }
    }

    static func expectUnavailable(_ response: TestResponse) throws {
        #expect(response.status == .serviceUnavailable)
        #expect(response.headers[.retryAfter] == "5")
        let problem = try Problem.decode(from: response)
        #expect(problem.type == "https://mpmp.example/problems/unavailable")
        #expect(problem.detail?.contains("Try again shortly") == true)
    }
}
