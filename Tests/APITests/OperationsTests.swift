import API
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Storage
import TestSupport
import Testing

@Suite("Operations endpoints")
struct OperationsTests {
    @Test("/health/live answers 200 with a request id")
    func live() async throws {
        try await withApplication { client in
            try await client.execute(uri: "/health/live", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == #"{"status":"live"}"#)
                #expect(response.headers[HTTPField.Name("X-Request-Id")!]?.isEmpty == false)
            }
        }
    }

    @Test("/health/ready answers 200 on a migrated database")
    func readyWhenMigrated() async throws {
        try await withApplication { client in
            try await client.execute(uri: "/health/ready", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == #"{"status":"ready"}"#)
            }
        }
    }

    @Test("/health/ready answers 503 when migrations are missing")
    func notReadyWhenNotMigrated() async throws {
        try await withTestDatabase(migrated: false) { database in
            try await withApplication(databaseURL: database.ownerURL) { client in
                try await client.execute(uri: "/health/ready", method: .get) { response in
                    #expect(response.status == .serviceUnavailable)
                    let problem = try Problem.decode(from: response)
                    #expect(problem.statusCode == 503)
                    #expect(problem.detail?.contains("migration") == true)
                }
            }
        }
    }

    @Test("/health/ready answers 503 when the database does not answer")
    func notReadyWhenDatabaseIsDown() async throws {
        let admin = try TestDatabases.adminURL()
        // A port nobody listens on: 1 is reserved and closed on these machines.
        let unreachable = DatabaseURL(host: "127.0.0.1", port: 1, username: admin.username, password: nil, database: "none", tlsMode: .disable)
        try await withApplication(databaseURL: unreachable) { client in
            try await client.execute(uri: "/health/ready", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                let problem = try Problem.decode(from: response)
                #expect(problem.detail == "The database does not answer.")
            }
        }
    }

    @Test("/metrics is Prometheus text for the metrics token only, and counts requests")
    func metrics() async throws {
        try await withApplication { client in
            _ = try await client.execute(uri: "/health/live", method: .get)
            for headers: HTTPFields in [[:], [.authorization: "Bearer not-the-token"], [.authorization: testMetricsToken]] {
                let refused = try await client.execute(uri: "/metrics", method: .get, headers: headers)
                #expect(refused.status == .unauthorized)
                #expect(!String(buffer: refused.body).contains("hb_requests"))
            }
            try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer \(testMetricsToken)"]) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
                let text = String(buffer: response.body)
                #expect(text.contains("hb_requests"))
                #expect(text.contains("/health/live"))
            }
        }
    }

    @Test("without a metrics token configured, /metrics is off")
    func metricsOff() async throws {
        try await withApplication(metricsToken: nil) { client in
            let response = try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer \(testMetricsToken)"])
            #expect(response.status == .notFound)
            #expect(response.headers[.contentType] == Problem.mediaType)
        }
    }

    @Test("an unknown address is a 404 problem document")
    func unknownRoute() async throws {
        try await withApplication { client in
            try await client.execute(uri: "/v1/nothing-here", method: .get) { response in
                #expect(response.status == .notFound)
                let problem = try Problem.decode(from: response)
                #expect(problem.statusCode == 404)
                #expect(problem.title == "Not Found")
                #expect(problem.requestID?.isEmpty == false)
            }
        }
    }
}
