import Domain
import Foundation
import Logging
import PostgresNIO

/// What one call of `app_read_dashboard` (migrations 0021 and 0022) answered: the caller's
/// session, when there is one, and every measure of the tenant when the caller may see it.
public struct DashboardRead: Sendable {
    /// Nil when the session is unknown or has ended: the refusal is already recorded.
    public var session: OpenedSession?
    /// The fiscal year of the measures' targets: the one listed for the tenant's start
    /// month. Nil when the tenant is not the caller's to see.
    public var fiscalYear: Int?
    /// Empty unless `session.tenantVisible`; when it is not, the refusal is recorded.
    public var measures: [DashboardRow]
}

/// The fiscal year to read for each start month of a jurisdiction, January first: the one
/// the statement reads is that of the tenant's jurisdiction, which only the statement knows.
public struct FiscalYearsByStartMonth: Sendable, Equatable {
    public let years: [Int]

    /// `year(startMonth)` for the months 1 to 12.
    public init(_ year: (Int) -> Int) {
        years = (1...12).map(year)
    }

    /// The same year whatever the start month.
    public init(every year: Int) {
        self.init { _ in year }
    }
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
/// measure (see the migrations for the shape).
struct DashboardReadStatement: PostgresPreparedStatement {
    static let name = "mpmp_read_dashboard_v2"
    static let sql = "SELECT * FROM app_read_dashboard($1, $2, $3, $4, $5, $6::integer, $7, $8, $9, $10, $11, $12)"

    enum Row {
        case session(OpenedSession, fiscalYear: Int?)
        case measure(DashboardRow)
        /// A measure whose stored words this build does not know: left out.
        case unreadable
    }

    var tokenHash: String
    var idleSeconds: Double
    var touchSeconds: Double
    var tenantID: UUID
    var fiscalYears: [Int16]
    var periods: Int
    var refusals: DashboardRefusals

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 12)
        bindings.append(tokenHash)
        bindings.append(idleSeconds)
        bindings.append(touchSeconds)
        bindings.append(tenantID)
        bindings.append(fiscalYears)
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
            return .measure(DashboardRow(measure: measure, target: try cells.target(), points: try cells.points()))
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
        return .session(session, fiscalYear: try cells.next().decode(Int16?.self).map(Int.init))
    }

    /// The columns before the session's: the measure's eleven, the target's two, the points.
    static let measureColumns = 14
}

extension MeasureStore {
    /// The dashboard of `tenantID` for the caller behind `tokenHash`, in one statement and
    /// so in one (implicit) transaction: the session, the row-level security settings, the
    /// refusal's audit record when there is one, and the measures with their targets for
    /// the year `fiscalYears` lists for the tenant's start month, and their last `periods`
    /// values.
    public func readDashboard(
        tokenHash: String,
        idleTimeout: Duration,
        tenantID: UUID,
        fiscalYears: FiscalYearsByStartMonth,
        periods: Int = 12,
        refusals: DashboardRefusals,
        on connection: PostgresConnection
    ) async throws -> DashboardRead {
        let statement = DashboardReadStatement(
            tokenHash: tokenHash,
            idleSeconds: Double(idleTimeout.components.seconds),
            touchSeconds: Double(UserStore.touchInterval.components.seconds),
            tenantID: tenantID,
            fiscalYears: try fiscalYears.years.map(smallint),
            periods: periods,
            refusals: refusals
        )
        DatabaseStatistics.current?.countTransaction()
        var read = DashboardRead(session: nil, fiscalYear: nil, measures: [])
        read.measures.reserveCapacity(64)
        for try await row in try await connection.execute(statement, logger: logger) {
            switch row {
            case .session(let session, let fiscalYear):
                read.session = session
                read.fiscalYear = fiscalYear
            case .measure(let measure): read.measures.append(measure)
            case .unreadable: continue
            }
        }
        return read
    }
}
