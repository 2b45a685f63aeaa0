import Domain
import Foundation
import Logging
import PostgresNIO

/// What one call of `app_read_dashboard` (migration 0021) answered: the caller's session,
/// when there is one, and every measure of the tenant when the caller may see it.
public struct DashboardRead: Sendable {
    public struct Measure: Sendable {
        /// The measure with the target of the first year asked for.
        public var row: DashboardRow
        /// The target of the other year asked for.
        public var otherYearTarget: YearTarget
    }

    /// Nil when the session is unknown or has ended: the refusal is already recorded.
    public var session: OpenedSession?
    /// Empty unless `session.tenantVisible`; when it is not, the refusal is recorded.
    public var measures: [Measure]
}

/// The two audit records a dashboard read may write, one of which at most: when the
/// session is unknown or ended (no actor), and when the tenant is not the caller's to see
/// (the caller as actor). Both share one id, the platform trail and the client's address.
public struct DashboardRefusals: Sendable {
    public var id: UUID
    public var clientAddress: String?
    public var unknownSession: (action: String, target: String)
    public var hiddenTenant: (action: String, target: String)

    public init(
        id: UUID = UUID(),
        clientAddress: String?,
        unknownSession: (action: String, target: String),
        hiddenTenant: (action: String, target: String)
    ) {
        self.id = id
        self.clientAddress = clientAddress
        self.unknownSession = unknownSession
        self.hiddenTenant = hiddenTenant
    }
}

/// `app_read_dashboard` as a prepared statement: the session row first, then a row per
/// measure (see the migration for the shape).
struct DashboardReadStatement: PostgresPreparedStatement {
    static let name = "mpmp_read_dashboard_v1"
    static let sql = "SELECT * FROM app_read_dashboard($1, $2, $3, $4, $5, $6, $7::integer, $8, $9, $10, $11, $12, $13)"

    enum Row {
        case session(OpenedSession)
        case measure(DashboardRead.Measure)
        /// A measure whose stored words this build does not know: left out.
        case unreadable
    }

    var tokenHash: String
    var idleSeconds: Double
    var touchSeconds: Double
    var tenantID: UUID
    var fiscalYear: Int16
    var otherFiscalYear: Int16
    var periods: Int
    var refusals: DashboardRefusals

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 13)
        bindings.append(tokenHash)
        bindings.append(idleSeconds)
        bindings.append(touchSeconds)
        bindings.append(tenantID)
        bindings.append(fiscalYear)
        bindings.append(otherFiscalYear)
        bindings.append(periods)
        bindings.append(refusals.id)
        bindings.append(refusals.clientAddress)
        bindings.append(refusals.unknownSession.action)
        bindings.append(refusals.unknownSession.target)
        bindings.append(refusals.hiddenTenant.action)
        bindings.append(refusals.hiddenTenant.target)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row {
        var cells = DashboardCells(row)
        let tenantID = try cells.next().decode(UUID?.self)
        guard tenantID == nil else {
            guard let measure = try cells.measure(tenantID: tenantID) else { return .unreadable }
            let target = try cells.target()
            let other = try cells.target()
            let row = DashboardRow(measure: measure, target: target, points: try cells.points())
            return .measure(DashboardRead.Measure(row: row, otherYearTarget: other))
        }
        for _ in 1..<Self.measureColumns { _ = try cells.next() }
        let session = try UserStore.openedSession(
            (
                cells.next().decode(UUID.self), cells.next().decode(String.self), cells.next().decode(String.self),
                cells.next().decode(Bool.self), cells.next().decode(Bool.self), cells.next().decode([UUID].self),
                cells.next().decode([String].self), cells.next().decode([String].self), cells.next().decode(Bool.self),
                cells.next().decode(Int16?.self)
            )
        )
        return .session(session)
    }

    /// The columns before the session's: the measure's eleven, two targets, the points.
    static let measureColumns = 16
}

extension MeasureStore {
    /// The dashboard of `tenantID` for the caller behind `tokenHash`, in one statement and
    /// so in one (implicit) transaction: the session, the row-level security settings, the
    /// refusal's audit record when there is one, and the measures with their targets for
    /// `fiscalYear` and `otherFiscalYear` (the first again when nil) and their last
    /// `periods` values.
    public func readDashboard(
        tokenHash: String,
        idleTimeout: Duration,
        tenantID: UUID,
        fiscalYear: Int,
        otherFiscalYear: Int?,
        periods: Int = 12,
        refusals: DashboardRefusals,
        on connection: PostgresConnection
    ) async throws -> DashboardRead {
        let statement = DashboardReadStatement(
            tokenHash: tokenHash,
            idleSeconds: Double(idleTimeout.components.seconds),
            touchSeconds: Double(UserStore.touchInterval.components.seconds),
            tenantID: tenantID,
            fiscalYear: try smallint(fiscalYear),
            // The first year again rather than NULL: with NULL, PostgreSQL plans the second
            // join of targets away with its tenant filter, and Citus then cannot send the
            // query to the tenant's one shard group ("complex joins are only supported…").
            otherFiscalYear: try smallint(otherFiscalYear ?? fiscalYear),
            periods: periods,
            refusals: refusals
        )
        DatabaseStatistics.current?.countTransaction()
        var read = DashboardRead(session: nil, measures: [])
        read.measures.reserveCapacity(64)
        for try await row in try await connection.execute(statement, logger: logger) {
            switch row {
            case .session(let session): read.session = session
            case .measure(let measure): read.measures.append(measure)
            case .unreadable: continue
            }
        }
        return read
    }
}
