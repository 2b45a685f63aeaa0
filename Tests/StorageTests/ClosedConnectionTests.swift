import Foundation
import PostgresNIO
import Storage
import TestSupport
import Testing

/// PostgresNIO 1.33 never answers a statement written to a connection that has closed; this
/// module's statements refuse such a connection instead (PostgresConnection+Closed.swift).
/// Without that, these tests wait until their time limit.
@Suite("Statements on a connection PostgreSQL has ended")
struct ClosedConnectionTests {
    @Test(
        "a query, a prepared statement and a rollback on a connection PostgreSQL ended fail at once",
        .timeLimit(.minutes(1))
    )
    func endedConnection() async throws {
        try await withTestDatabase { testDatabase in
            try await withDatabase(testDatabase.serviceURL, maximumConnections: 1) { database in
                try await database.withConnection { connection in
                    try await connection.execute("SELECT 1", logger: TestDatabases.logger)
                    try await terminateServiceConnections(of: testDatabase)
                    try await waitUntilClosed(connection)

                    await #expect(throws: DatabaseUnavailable(.connectionClosed)) {
                        try await MigrationRunner().status(on: connection, logger: TestDatabases.logger)
                    }
                    await #expect(throws: DatabaseUnavailable(.connectionClosed)) {
                        try await UserStore(logger: TestDatabases.logger).openSession(
                            tokenHash: SecretToken.hash(SecretToken.generate()), idleTimeout: .seconds(60), scope: .platform,
                            on: connection
                        )
                    }
                    await #expect(throws: DatabaseUnavailable(.connectionClosed)) {
                        try await connection.begin(logger: TestDatabases.logger)
                    }
                    await connection.rollback(after: DatabaseUnavailable(.connectionClosed), logger: TestDatabases.logger)
                }
                // The pool replaces the connection it lost.
                let status = try await database.withConnection { connection in
                    try await MigrationRunner().status(on: connection, logger: TestDatabases.logger)
                }
                #expect(status == .upToDate)
            }
        }
    }

    @Test("a transaction whose connection PostgreSQL ends mid-way fails, and its rollback does not wait", .timeLimit(.minutes(1)))
    func endedMidTransaction() async throws {
        try await withTestDatabase { testDatabase in
            try await withDatabase(testDatabase.serviceURL, maximumConnections: 1) { database in
                let error = await #expect(throws: (any Error).self) {
                    try await database.withTransaction { connection in
                        try await connection.execute("SELECT 1", logger: TestDatabases.logger)
                        try await terminateServiceConnections(of: testDatabase)
                        try await waitUntilClosed(connection)
                        try await connection.execute("SELECT 2", logger: TestDatabases.logger)
                    }
                }
                #expect(error.map(DatabaseFailure.endsConnection) == true)
            }
        }
    }

    /// As `pg_ctl stop -m fast` does to every backend: FATAL 57P01, then the socket closes.
    /// Only this test's database: the other tests connect as the same role, at the same time.
    func terminateServiceConnections(of testDatabase: TestDatabase) async throws {
        try await testDatabase.ownerURL.withConnection(logger: TestDatabases.logger) { admin in
            try await admin.execute(
                """
                SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                WHERE usename = \(TestDatabases.serviceUsername) AND datname = \(testDatabase.name)
                """,
                logger: TestDatabases.logger
            )
        }
    }

    /// Until the connection has closed and the pool, which hears of it first, has dropped it.
    func waitUntilClosed(_ connection: PostgresConnection) async throws {
        try await connection.closeFuture.get()
        #expect(connection.isClosed)
    }
}
