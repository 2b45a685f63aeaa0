import Domain
import Foundation
import PostgresNIO

/// The dashboard's query, parsed and planned once per pooled connection. One row per
/// measure; its last periods come as one text of `YYYY-MM-DD value` pairs, read byte by
/// byte, so that 50 rows cost 50 strings rather than 1,200.
struct DashboardStatement: PostgresPreparedStatement {
    static let name = "mpmp_dashboard_v1"
    static let sql = query(oneTenant: false)

    /// The query for the tenants of `$1` (a `uuid[]`), or for the one tenant `$1` (a
    /// `uuid`) with every table filtered by it: then Citus sends the whole query to the one
    /// shard group that holds the tenant (router planning) rather than to every shard.
    static func query(oneTenant: Bool) -> String {
        let tenant = oneTenant ? "$1::uuid" : "m.tenant_id"
        let tenants = oneTenant ? "m.tenant_id = $1::uuid" : "m.tenant_id = ANY($1::uuid[])"
        return """
            SELECT m.tenant_id, m.id, m.department_id, m.name, m.definition, m.unit, m.direction, m.frequency,
                   m.owner_id, m.template_id, m.sharing,
                   t.target_value::text, t.tolerance_bp, p.recent
            FROM measures m
            LEFT JOIN targets t ON t.tenant_id = \(tenant) AND t.measure_id = m.id AND t.fiscal_year = $3
            LEFT JOIN LATERAL (
                SELECT string_agg(recent.period::text || ' ' || recent.value::text, ' ' ORDER BY recent.period) AS recent
                FROM (
                    SELECT d.period, d.value FROM data_points d
                    WHERE d.tenant_id = \(tenant) AND d.measure_id = m.id
                    ORDER BY d.period DESC LIMIT $4
                ) recent
            ) p ON true
            WHERE \(tenants) AND ($2::uuid IS NULL OR m.department_id = $2)
            ORDER BY m.tenant_id, m.name, m.id
            """
    }
    typealias Row = DashboardRow?

    var tenantIDs: [UUID]
    var departmentID: UUID?
    var fiscalYear: Int16
    var periods: Int

    func makeBindings() throws -> PostgresBindings {
        Self.bindings(tenantIDs, departmentID, fiscalYear, periods)
    }

    /// `$1` (the tenants, or the tenant), `$2` to `$4`, for both forms.
    static func bindings(_ tenants: some PostgresNonThrowingEncodable, _ departmentID: UUID?, _ fiscalYear: Int16, _ periods: Int) -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 4)
        bindings.append(tenants)
        bindings.append(departmentID)
        bindings.append(fiscalYear)
        bindings.append(periods)
        return bindings
    }

    /// Cell by cell with concrete types (the tuple decoding's generic machinery was a
    /// tenth of the request's CPU); the numbers and the periods are read from the row's
    /// bytes in place.
    func decodeRow(_ row: PostgresRow) throws -> DashboardRow? {
        try Self.decode(row)
    }

    static func decode(_ row: PostgresRow) throws -> DashboardRow? {
        var cells = DashboardCells(row)
        let measure = try cells.measure()
        let target = try cells.target()
        let points = try cells.points()
        return measure.map { DashboardRow(measure: $0, target: target, points: points) }
    }

    /// `2015-01-01 12.5 2015-02-01 13` → two period values; a pair that does not read is
    /// left out (a stored value is always a date and a number).
    static func points(_ bytes: UnsafeBufferPointer<UInt8>) -> [PeriodValue] {
        var points: [PeriodValue] = []
        points.reserveCapacity(12)
        var start = 0
        var period: CivilDate?
        for index in 0...bytes.count where index == bytes.count || bytes[index] == UInt8(ascii: " ") {
            let field = UnsafeBufferPointer(rebasing: bytes[start..<index])
            start = index + 1
            if let date = period {
                if let value = Quantity(utf8: field) { points.append(PeriodValue(period: date, value: value)) }
                period = nil
            } else {
                period = CivilDate(iso8601Bytes: field)
            }
        }
        return points
    }
}

/// The target of a measure for one fiscal year, with its tolerance band; both nil when
/// the year has none.
public struct YearTarget: Sendable, Hashable {
    public var value: Quantity?
    public var toleranceBasisPoints: Int?

    public init(value: Quantity?, toleranceBasisPoints: Int?) {
        self.value = value
        self.toleranceBasisPoints = toleranceBasisPoints
    }
}

extension DashboardRow {
    /// A row with `target`; its tolerance is the default one when the target has none.
    public init(measure: MeasureRecord, target: YearTarget, points: [PeriodValue]) {
        self.init(
            measure: measure, target: target.value,
            toleranceBasisPoints: target.value == nil ? nil : target.toleranceBasisPoints ?? Evaluation.defaultToleranceBasisPoints,
            points: points
        )
    }
}

/// The cells of a dashboard row, read in the order the statements select them.
struct DashboardCells {
    private var cells: PostgresRow.Iterator

    init(_ row: PostgresRow) {
        cells = row.makeIterator()
    }

    mutating func next() throws -> PostgresCell {
        guard let cell = cells.next() else { throw ShortRow() }
        return cell
    }

    /// The measure's eleven columns (the first already read when `tenantID` is given); nil
    /// when a stored word is one this build does not know (`MeasureStore.measure`).
    mutating func measure(tenantID known: UUID? = nil) throws -> MeasureRecord? {
        let tenantID = try known ?? next().decode(UUID.self)
        return try MeasureStore.measure(
            (
                tenantID, next().decode(UUID.self), next().decode(UUID.self), next().decode(String.self),
                next().decode(String.self), next().decode(String.self), next().decode(String.self),
                next().decode(String.self), next().decode(UUID?.self), next().decode(UUID?.self), next().decode(String.self)
            )
        )
    }

    /// A target as text and its tolerance.
    mutating func target() throws -> YearTarget {
        let value = try next().bytes.flatMap { $0.withUnsafeReadableBytes { Quantity(utf8: $0.bindMemory(to: UInt8.self)) } }
        return YearTarget(value: value, toleranceBasisPoints: try next().decode(Int?.self))
    }

    /// The last periods, as one text of pairs.
    mutating func points() throws -> [PeriodValue] {
        try next().bytes.map { $0.withUnsafeReadableBytes { DashboardStatement.points($0.bindMemory(to: UInt8.self)) } } ?? []
    }

    /// A row with fewer columns than the statement selects: a bug of ours, never input.
    struct ShortRow: Error {}
}

/// The dashboard of one tenant (`DashboardStatement.query(oneTenant: true)`).
struct OneTenantDashboardStatement: PostgresPreparedStatement {
    static let name = "mpmp_dashboard_one_v1"
    static let sql = DashboardStatement.query(oneTenant: true)
    typealias Row = DashboardRow?

    var tenantID: UUID
    var departmentID: UUID?
    var fiscalYear: Int16
    var periods: Int

    func makeBindings() throws -> PostgresBindings {
        DashboardStatement.bindings(tenantID, departmentID, fiscalYear, periods)
    }

    func decodeRow(_ row: PostgresRow) throws -> DashboardRow? {
        try DashboardStatement.decode(row)
    }
}
