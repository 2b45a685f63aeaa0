import Logging
import PostgresNIO

extension PostgresConnection {
    /// Runs a statement and reads its result to the end.
    ///
    /// PostgresNIO hands back a row sequence as soon as the statement is described; an error
    /// raised while it executes (a failing function, a violated policy) arrives with the rows.
    /// Draining them here makes every failure surface at the statement that caused it.
    /// (A closed connection gets no statement: see PostgresConnection+Closed.swift.)
    public func execute(_ query: PostgresQuery, logger: Logger) async throws {
        let rows = try await self.query(query, logger: logger)
        for try await _ in rows {}
    }
}

extension PostgresRowSequence {
    /// Reads the rows to the end; true when there was at least one.
    func hasRow() async throws -> Bool {
        var found = false
        for try await _ in self { found = true }
        return found
    }
}

/// A fiscal year (or another small number) as PostgreSQL's `smallint`, refusing what does
/// not fit instead of trapping: callers validate first, this is the floor under them.
public struct ValueOutOfRange: Error, CustomStringConvertible {
    public let value: Int
    public var description: String { "\(value) does not fit in a smallint" }
}

func smallint(_ value: Int) throws -> Int16 {
    guard let small = Int16(exactly: value) else { throw ValueOutOfRange(value: value) }
    return small
}
