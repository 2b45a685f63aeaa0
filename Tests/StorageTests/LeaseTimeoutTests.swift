import Foundation
import PostgresNIO
@testable import Storage
import Synchronization
import TestSupport
import Testing

/// No lease waits for ever: a busy pool or an unreachable database ends the wait after the
/// lease timeout with `DatabaseUnavailable`, and the pool stays usable. The checks are on
/// outcomes and order (a holder that lets go only when told), not on how long things took.
///
/// Leases that must succeed go through a patient `Database` (the test helper's 60 s) on the
/// same pool, so that a machine busy opening connections does not fail them; only the ones
/// meant to give up use the short timeout.
@Suite("Leases wait a bounded time")
struct LeaseTimeoutTests {
    static let leaseTimeout: Duration = .milliseconds(300)

    static func impatient(_ patient: Database) -> Database {
        Database(client: patient.pool, logger: TestDatabases.logger, leaseTimeout: leaseTimeout)
    }

    @Test(
        "with the pool's one connection held, waiting leases give up with DatabaseUnavailable; once it is free, leases get it again",
        .timeLimit(.minutes(1))
    )
    func exhaustedPool() async throws {
        try await withTestDatabase { testDatabase in
            try await withDatabase(testDatabase.serviceURL, maximumConnections: 1) { patient in
                let impatient = Self.impatient(patient)
                let holder = try await Holder.start(on: patient)
                let started = ContinuousClock.now
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for _ in 0..<4 {
                        group.addTask {
                            await #expect(throws: DatabaseUnavailable(.leaseTimedOut(Self.leaseTimeout))) {
                                try await impatient.withConnection { connection in try await selectOne(connection) }
                            }
                        }
                    }
                    try await group.waitForAll()
                }
                // A sleep never ends early: the deadline did not fire before its time.
                #expect(ContinuousClock.now - started >= Self.leaseTimeout)
                #expect(impatient.statistics.leases == 4)
                // The holder had the connection all along: it lets go only now.
                #expect(try await holder.release() == 1)
                // The pool dropped the cancelled requests: its one connection serves again.
                for _ in 0..<3 {
                    #expect(try await patient.withConnection { connection in try await selectOne(connection) } == 1)
                }
            }
        }
    }

    @Test("a database nobody listens on answers DatabaseUnavailable after the lease timeout, not after the pool's minute")
    func unreachableDatabase() async throws {
        // A port nobody listens on: 1 is reserved and closed on these machines.
        let unreachable = DatabaseURL(host: "127.0.0.1", port: 1, username: "nobody", password: nil, database: "none", tlsMode: .disable)
        try await withDatabase(unreachable, maximumConnections: 2, leaseTimeout: Self.leaseTimeout) { database in
            let started = ContinuousClock.now
            for _ in 0..<2 {
                await #expect(throws: DatabaseUnavailable(.leaseTimedOut(Self.leaseTimeout))) {
                    try await database.withConnection { connection in try await selectOne(connection) }
                }
            }
            // Generous: the pool's own circuit breaker would take 60 s.
            #expect(ContinuousClock.now - started < .seconds(30))
        }
    }

    @Test("a waiting lease whose task is cancelled ends with CancellationError before its lease timeout", .timeLimit(.minutes(1)))
    func cancelledWait() async throws {
        try await withTestDatabase { testDatabase in
            try await withDatabase(testDatabase.serviceURL, maximumConnections: 1, leaseTimeout: .seconds(600)) { database in
                let holder = try await Holder.start(on: database)
                let waiter = Task {
                    try await database.withConnection { connection in try await selectOne(connection) }
                }
                // Most likely waiting in the pool by now; cancelled before it asked, it ends the same way.
                try await Task.sleep(for: .milliseconds(100))
                waiter.cancel()
                await #expect(throws: CancellationError.self) { try await waiter.value }
                #expect(try await holder.release() == 1)
                #expect(try await database.withConnection { connection in try await selectOne(connection) } == 1)
            }
        }
    }

    @Test("an error of the body reaches the caller unchanged and the connection goes back to the pool")
    func bodyErrorReleases() async throws {
        struct Oops: Error, Equatable {}
        try await withTestDatabase { testDatabase in
            try await withDatabase(testDatabase.serviceURL, maximumConnections: 1) { database in
                await #expect(throws: Oops()) {
                    try await database.withConnection { connection -> Int in
                        _ = try await selectOne(connection)
                        throw Oops()
                    }
                }
                let answer = try await database.withConnection { connection in try await selectOne(connection) }
                #expect(answer == 1)
            }
        }
    }

    /// Holds a connection of `database` until told to let go.
    struct Holder {
        let task: Task<Int, any Error>
        let letGo: AsyncStream<Void>.Continuation

        /// Returns once the holder has its connection.
        static func start(on database: Database) async throws -> Holder {
            let (holding, held) = AsyncStream.makeStream(of: Void.self)
            let (told, letGo) = AsyncStream.makeStream(of: Void.self)
            let task = Task {
                defer { held.finish() }
                return try await database.withConnection { connection in
                    _ = try await selectOne(connection)
                    held.yield()
                    for await _ in told { break }
                    return try await selectOne(connection)
                }
            }
            for await _ in holding { break }
            return Holder(task: task, letGo: letGo)
        }

        /// Lets go; what the holder's last query answered.
        func release() async throws -> Int {
            letGo.yield()
            return try await task.value
        }
    }
}

private func selectOne(_ connection: PostgresConnection) async throws -> Int {
    for try await value in try await connection.query("SELECT 1", logger: TestDatabases.logger).decode(Int.self) {
        return value
    }
    return 0
}

/// The handoff's states, with a plain value for a connection.
@Suite("ConnectionHandoff")
struct ConnectionHandoffTests {
    @Test("a connection offered before the borrower asks is handed over, and the lender waits until it is given back")
    func lenderFirst() async throws {
        let handoff = ConnectionHandoff<Int>()
        let lenderDone = Flag()
        let lender = Task {
            await handoff.lend(7)
            lenderDone.set()
        }
        #expect(try await handoff.borrow() == 7)
        handoff.expire()  // too late: the borrower has the connection
        await Task.yield()
        #expect(!lenderDone.isSet)
        handoff.giveBack()
        await lender.value
        #expect(lenderDone.isSet)
    }

    @Test("takeReady hands over a connection that is here already, and nothing before it is")
    func takeReady() async throws {
        let handoff = ConnectionHandoff<Int>()
        #expect(handoff.takeReady() == nil)
        let lender = Task { await handoff.lend(6) }
        var taken: Int?
        for _ in 0..<100_000 where taken == nil {
            await Task.yield()
            taken = handoff.takeReady()
        }
        #expect(taken == 6)
        await #expect(throws: ConnectionHandoff<Int>.Failure.self) { try await handoff.borrow() }
        handoff.giveBack()
        await lender.value
    }

    @Test("a waiting borrower gets the connection when it comes")
    func borrowerFirst() async throws {
        let handoff = ConnectionHandoff<Int>()
        let borrower = Task { try await handoff.borrow() }
        await Task.yield()
        let lender = Task { await handoff.lend(8) }
        #expect(try await borrower.value == 8)
        handoff.giveBack()
        await lender.value
    }

    @Test("after the deadline the borrower fails, and a connection that comes later goes straight back")
    func expired() async throws {
        let handoff = ConnectionHandoff<Int>()
        let borrower = Task { try await handoff.borrow() }
        handoff.expire()
        let error = await #expect(throws: ConnectionHandoff<Int>.Failure.self) { try await borrower.value }
        guard case .expired = error else {
            Issue.record("expected .expired, got \(String(describing: error))")
            return
        }
        // Returns without a giveBack: nobody will use this connection.
        await handoff.lend(9)
    }

    @Test("a failed lease reaches the borrower with its cause")
    func failed() async throws {
        struct PoolGone: Error {}
        let handoff = ConnectionHandoff<Int>()
        handoff.fail(PoolGone())
        let error = await #expect(throws: ConnectionHandoff<Int>.Failure.self) { try await handoff.borrow() }
        guard case .leaseFailed(let cause) = error else {
            Issue.record("expected .leaseFailed, got \(String(describing: error))")
            return
        }
        #expect(cause is PoolGone)
    }

    final class Flag: Sendable {
        private let value = Mutex(false)

        func set() { value.withLock { $0 = true } }
        var isSet: Bool { value.withLock { $0 } }
    }
}
