import Logging
import PostgresNIO

/// Every statement of this module goes through these two methods, which shadow
/// PostgresNIO's own (same names and parameters, internal, so only this module sees them).
/// They refuse a connection that has closed with `DatabaseUnavailable(.connectionClosed)`,
/// and count the statement in the pool's `DatabaseStatistics`.
///
/// Why: PostgresNIO 1.33 writes a statement to its channel without a write promise. Once
/// the channel has closed (PostgreSQL stopped or ended the connection; NIO has removed the
/// handlers), the write is dropped and the statement's answer never comes: the request
/// would wait for ever, holding its lease, and the server's graceful shutdown with it. The
/// fix upstream (vapor/postgres-nio#487) was reverted (#501). When PostgreSQL stops, every
/// connection between two statements of a transaction meets this, so checking here, right
/// before each statement is written, leaves only the instant between the check and the
/// write. PostgreSQL rolls back a closed connection's transaction itself.
///
/// `@_disfavoredOverload` keeps `@testable` importers, which see both, on PostgresNIO's.
extension PostgresConnection {
    @_disfavoredOverload
    @discardableResult
    func query(
        _ query: PostgresQuery,
        logger: Logger,
        file: String = #fileID,
        line: Int = #line
    ) async throws -> PostgresRowSequence {
        guard !isClosed else { throw DatabaseUnavailable(.connectionClosed) }
        DatabaseStatistics.current?.countStatement()
        return try await self.PostgresNIO::query(query, logger: logger, file: file, line: line)
    }

    @_disfavoredOverload
    func execute<Statement: PostgresPreparedStatement, Row>(
        _ preparedStatement: Statement,
        logger: Logger,
        file: String = #fileID,
        line: Int = #line
    ) async throws -> AsyncThrowingMapSequence<PostgresRowSequence, Row> where Row == Statement.Row {
        guard !isClosed else { throw DatabaseUnavailable(.connectionClosed) }
        DatabaseStatistics.current?.countStatement()
        return try await self.PostgresNIO::execute(preparedStatement, logger: logger, file: file, line: line)
    }
}
