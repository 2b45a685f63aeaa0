import Domain
import Foundation
import Logging
import PostgresNIO

/// The library, measures, targets and data points, inside tenant transactions.
public struct MeasureStore: Sendable {
    public let logger: Logger

    public init(logger: Logger) {
        self.logger = logger
    }

    // MARK: The library

    public func publish(_ template: MeasureTemplateRecord, by userID: UUID, on connection: PostgresConnection) async throws -> Bool {
        let rows = try await connection.query(
            """
            INSERT INTO measure_templates (id, name, definition, unit, direction, frequency, published_by)
            VALUES (\(template.id), \(template.name), \(template.definition), \(template.unit),
                    \(template.direction.rawValue), \(template.frequency.rawValue), \(userID))
            ON CONFLICT (lower(name)) DO NOTHING RETURNING id
            """,
            logger: logger
        )
        return try await rows.hasRow()
    }

    public func templates(after cursor: String?, limit: Int, on connection: PostgresConnection) async throws -> [MeasureTemplateRecord] {
        let rows = try await connection.query(
            """
            SELECT id, name, definition, unit, direction, frequency FROM measure_templates
            WHERE \(cursor)::text IS NULL OR lower(name) > \(cursor) ORDER BY lower(name) LIMIT \(limit)
            """,
            logger: logger
        )
        return try await decodeTemplates(rows)
    }

    public func template(_ id: UUID, on connection: PostgresConnection) async throws -> MeasureTemplateRecord? {
        let rows = try await connection.query(
            "SELECT id, name, definition, unit, direction, frequency FROM measure_templates WHERE id = \(id)",
            logger: logger
        )
        return try await decodeTemplates(rows).first
    }

    private func decodeTemplates(_ rows: PostgresRowSequence) async throws -> [MeasureTemplateRecord] {
        var templates: [MeasureTemplateRecord] = []
        for try await (id, name, definition, unit, direction, frequency) in rows.decode((UUID, String, String, String, String, String).self) {
            guard let direction = Direction(rawValue: direction), let frequency = Frequency(rawValue: frequency) else { continue }
            templates.append(MeasureTemplateRecord(id: id, name: name, definition: definition, unit: unit, direction: direction, frequency: frequency))
        }
        return templates
    }

    // MARK: Measures

    static let measureColumns = """
        SELECT m.tenant_id, m.id, m.department_id, m.name, m.definition, m.unit, m.direction, m.frequency,
               m.owner_id, m.template_id, m.sharing
        FROM measures m
        """

    typealias MeasureRow = (UUID, UUID, UUID, String, String, String, String, String, UUID?, UUID?, String)

    static func measure(_ row: MeasureRow) -> MeasureRecord? {
        guard let direction = Direction(rawValue: row.6), let frequency = Frequency(rawValue: row.7),
            let sharing = Sharing(rawValue: row.10)
        else { return nil }
        return MeasureRecord(
            tenantID: row.0, id: row.1, departmentID: row.2, name: row.3, definition: row.4, unit: row.5,
            direction: direction, frequency: frequency, ownerID: row.8, templateID: row.9, sharing: sharing
        )
    }

    private func decodeMeasures(_ rows: PostgresRowSequence) async throws -> [MeasureRecord] {
        var measures: [MeasureRecord] = []
        for try await row in rows.decode(MeasureRow.self) {
            if let measure = Self.measure(row) { measures.append(measure) }
        }
        return measures
    }

    /// Adds a measure; false when the tenant has one of that name.
    public func create(_ measure: MeasureRecord, on connection: PostgresConnection) async throws -> Bool {
        let rows = try await connection.query(
            """
            INSERT INTO measures (tenant_id, id, department_id, name, definition, unit, direction, frequency, owner_id, template_id, sharing)
            VALUES (\(measure.tenantID), \(measure.id), \(measure.departmentID), \(measure.name), \(measure.definition),
                    \(measure.unit), \(measure.direction.rawValue), \(measure.frequency.rawValue), \(measure.ownerID),
                    \(measure.templateID), \(measure.sharing.rawValue))
            ON CONFLICT (tenant_id, lower(name)) DO NOTHING RETURNING id
            """,
            logger: logger
        )
        return try await rows.hasRow()
    }

    /// The measure, locked until the transaction ends when `lock` is set (a read before a
    /// write, so that a concurrent edit waits instead of being overwritten).
    public func measure(_ id: UUID, tenantID: UUID, lock: Bool = false, on connection: PostgresConnection) async throws -> MeasureRecord? {
        let rows =
            if lock {
                try await connection.query(
                    "\(unescaped: Self.measureColumns) WHERE m.tenant_id = \(tenantID) AND m.id = \(id) FOR UPDATE",
                    logger: logger
                )
            } else {
                try await connection.query(
                    "\(unescaped: Self.measureColumns) WHERE m.tenant_id = \(tenantID) AND m.id = \(id)",
                    logger: logger
                )
            }
        return try await decodeMeasures(rows).first
    }

    /// The tenant's measures by name, only one department's when `departmentID` is set.
    public func measures(
        tenantID: UUID,
        departmentID: UUID?,
        after cursor: (String, UUID)?,
        limit: Int,
        on connection: PostgresConnection
    ) async throws -> [MeasureRecord] {
        let cursorName = cursor?.0
        let cursorID = cursor?.1
        let rows = try await connection.query(
            """
            \(unescaped: Self.measureColumns)
            WHERE m.tenant_id = \(tenantID) AND (\(departmentID)::uuid IS NULL OR m.department_id = \(departmentID))
              AND (\(cursorName)::text IS NULL OR (m.name, m.id) > (\(cursorName), \(cursorID)))
            ORDER BY m.name, m.id LIMIT \(limit)
            """,
            logger: logger
        )
        return try await decodeMeasures(rows)
    }

    /// Every measure of the tenant by lower-cased name, for resolving CSV rows.
    public func measureNames(tenantID: UUID, on connection: PostgresConnection) async throws -> [String: MeasureRecord] {
        let all = try await measures(tenantID: tenantID, departmentID: nil, after: nil, limit: 100_000, on: connection)
        return Dictionary(all.map { ($0.name.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
    }

    public func update(_ measure: MeasureRecord, on connection: PostgresConnection) async throws {
        try await connection.execute(
            """
            UPDATE measures SET name = \(measure.name), definition = \(measure.definition), unit = \(measure.unit),
                department_id = \(measure.departmentID), owner_id = \(measure.ownerID), sharing = \(measure.sharing.rawValue)
            WHERE tenant_id = \(measure.tenantID) AND id = \(measure.id)
            """,
            logger: logger
        )
    }

    // MARK: Targets

    public func setTarget(_ target: TargetRecord, measure: MeasureRecord, on connection: PostgresConnection) async throws {
        try await connection.execute(
            """
            INSERT INTO targets (tenant_id, measure_id, fiscal_year, target_value, tolerance_bp, updated_at)
            VALUES (\(measure.tenantID), \(measure.id), \(try smallint(target.fiscalYear)), \(target.value.description)::numeric, \(target.toleranceBasisPoints), now())
            ON CONFLICT (tenant_id, measure_id, fiscal_year) DO UPDATE SET
                target_value = excluded.target_value, tolerance_bp = excluded.tolerance_bp, updated_at = excluded.updated_at
            """,
            logger: logger
        )
    }

    // MARK: Data points

    /// Writes data points in one statement, keeping a revision of every value that is new
    /// or changed (with `reason`); unchanged rows are left alone. Re-entering a period
    /// updates it, back to provisional. The previous values are read with the input, which
    /// the write depends on: Citus runs a statement's parts one after another, and a part
    /// of its own would read them after the write.
    ///
    /// - Returns: how many points were written (new or changed).
    @discardableResult
    public func write(
        _ rows: [ImportRow],
        tenantID: UUID,
        by userID: UUID,
        reason: String,
        on connection: PostgresConnection
    ) async throws -> Int {
        guard !rows.isEmpty else { return 0 }
        let result = try await connection.query(
            """
            WITH input AS MATERIALIZED (
                SELECT i.measure_id, date '1970-01-01' + i.day AS period, i.value, i.note, d.value AS previous_value
                FROM unnest(\(rows.map(\.measureID))::uuid[], \(rows.map { Int32(clamping: $0.period.daysSinceEpoch) })::int4[],
                            \(rows.map(\.value.description))::text[]::numeric[], \(rows.map(\.note))::text[])
                    AS i(measure_id, day, value, note)
                LEFT JOIN data_points d ON d.tenant_id = \(tenantID) AND d.measure_id = i.measure_id AND d.period = date '1970-01-01' + i.day
            ), written AS (
                INSERT INTO data_points AS d (tenant_id, measure_id, period, value, note, entered_by, entered_at)
                SELECT \(tenantID), measure_id, period, value, note, \(userID), now() FROM input
                ON CONFLICT (tenant_id, measure_id, period) DO UPDATE SET
                    value = excluded.value, note = excluded.note, status = 'provisional',
                    entered_by = excluded.entered_by, entered_at = excluded.entered_at, validated_by = NULL, validated_at = NULL
                WHERE d.value IS DISTINCT FROM excluded.value OR d.note IS DISTINCT FROM excluded.note
                RETURNING d.measure_id, d.period, d.value
            ), revisions AS (
                INSERT INTO data_point_revisions (tenant_id, measure_id, period, previous_value, new_value, reason, changed_by)
                SELECT \(tenantID), w.measure_id, w.period, i.previous_value, w.value, \(reason), \(userID)
                FROM written w JOIN input i ON i.measure_id = w.measure_id AND i.period = w.period
                RETURNING 1
            )
            SELECT count(*)::int FROM written
            """,
            logger: logger
        )
        for try await count in result.decode(Int.self) { return count }
        return 0
    }

    public func dataPoints(measure: MeasureRecord, on connection: PostgresConnection) async throws -> [DataPointRecord] {
        let rows = try await connection.query(
            """
            SELECT period::text, value::text, note, status, entered_by, validated_by FROM data_points
            WHERE tenant_id = \(measure.tenantID) AND measure_id = \(measure.id) ORDER BY period
            """,
            logger: logger
        )
        var points: [DataPointRecord] = []
        for try await (period, value, note, status, enteredBy, validatedBy) in rows.decode((String, String, String, String, UUID?, UUID?).self) {
            guard let date = CivilDate(iso8601: period), let number = Decimal(string: value), let status = DataPointStatus(rawValue: status) else { continue }
            points.append(DataPointRecord(period: date, value: number, note: note, status: status, enteredBy: enteredBy, validatedBy: validatedBy))
        }
        return points
    }

    /// Signs off the data points of `periods`; returns how many changed.
    public func validate(measure: MeasureRecord, periods: [CivilDate], by userID: UUID, on connection: PostgresConnection) async throws -> Int {
        let rows = try await connection.query(
            """
            UPDATE data_points SET status = 'validated', validated_by = \(userID), validated_at = now()
            WHERE tenant_id = \(measure.tenantID) AND measure_id = \(measure.id)
              AND period = ANY(\(periods.map(\.description))::text[]::date[]) AND status = 'provisional'
            RETURNING period
            """,
            logger: logger
        )
        var count = 0
        for try await _ in rows { count += 1 }
        return count
    }

    // MARK: Dashboard

    /// Every measure of the tenants (of one department when `departmentID` is set) with its
    /// target for `fiscalYear` and its last `periods` values: one prepared query, whatever
    /// the number of measures or tenants.
    public func dashboard(
        tenantIDs: [UUID],
        departmentID: UUID?,
        fiscalYear: Int,
        periods: Int = 12,
        on connection: PostgresConnection
    ) async throws -> [DashboardRow] {
        let year = try smallint(fiscalYear)
        var result: [DashboardRow] = []
        if tenantIDs.count == 1, let tenantID = tenantIDs.first {
            let statement = OneTenantDashboardStatement(tenantID: tenantID, departmentID: departmentID, fiscalYear: year, periods: periods)
            for try await row in try await connection.execute(statement, logger: logger) {
                if let row { result.append(row) }
            }
        } else {
            let statement = DashboardStatement(tenantIDs: tenantIDs, departmentID: departmentID, fiscalYear: year, periods: periods)
            for try await row in try await connection.execute(statement, logger: logger) {
                if let row { result.append(row) }
            }
        }
        return result
    }
}
