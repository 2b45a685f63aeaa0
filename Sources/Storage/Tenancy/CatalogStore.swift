import Logging
import PostgresNIO

/// A state or other jurisdiction, with the start of its fiscal year.
public struct JurisdictionRecord: Sendable, Hashable, Codable {
    public var code: String
    public var name: String
    public var fiscalYearStartMonth: Int
    public var currency: String

    public init(code: String, name: String, fiscalYearStartMonth: Int, currency: String = "USD") {
        self.code = code
        self.name = name
        self.fiscalYearStartMonth = fiscalYearStartMonth
        self.currency = currency
    }
}

/// A kind of tenant, with what it calls its chief executive and its units.
public struct TenantKindRecord: Sendable, Hashable, Codable {
    public var code: String
    public var name: String
    public var executiveTitle: String
    public var unitName: String
    /// `population` or `enrollment`: what fee tiers count.
    public var sizeMeasure: String

    public init(code: String, name: String, executiveTitle: String, unitName: String = "Department", sizeMeasure: String = "population") {
        self.code = code
        self.name = name
        self.executiveTitle = executiveTitle
        self.unitName = unitName
        self.sizeMeasure = sizeMeasure
    }
}

/// The global catalogue: jurisdictions, tenant kinds, programs. Kinds and jurisdictions
/// are data; adding a state or a kind of tenant needs no code and no migration.
public struct CatalogStore: Sendable {
    public let logger: Logger

    public init(logger: Logger) {
        self.logger = logger
    }

    /// Adds a jurisdiction; false when its code exists.
    @discardableResult
    public func add(_ jurisdiction: JurisdictionRecord, on connection: PostgresConnection) async throws -> Bool {
        let rows = try await connection.query(
            """
            INSERT INTO jurisdictions (code, name, fiscal_year_start_month, currency)
            VALUES (\(jurisdiction.code), \(jurisdiction.name), \(try smallint(jurisdiction.fiscalYearStartMonth)), \(jurisdiction.currency))
            ON CONFLICT (code) DO NOTHING RETURNING code
            """,
            logger: logger
        )
        return try await rows.hasRow()
    }

    /// Jurisdictions by code after `cursor`.
    public func jurisdictions(after cursor: String?, limit: Int, on connection: PostgresConnection) async throws -> [JurisdictionRecord] {
        let rows = try await connection.query(
            """
            SELECT code, name, fiscal_year_start_month::int, currency::text FROM jurisdictions
            WHERE \(cursor)::text IS NULL OR code > \(cursor) ORDER BY code LIMIT \(limit)
            """,
            logger: logger
        )
        var items: [JurisdictionRecord] = []
        for try await (code, name, month, currency) in rows.decode((String, String, Int, String).self) {
            items.append(JurisdictionRecord(code: code, name: name, fiscalYearStartMonth: month, currency: currency))
        }
        return items
    }

    /// Adds a tenant kind; false when its code exists.
    @discardableResult
    public func add(_ kind: TenantKindRecord, on connection: PostgresConnection) async throws -> Bool {
        let rows = try await connection.query(
            """
            INSERT INTO tenant_kinds (code, name, executive_title, unit_name, size_measure)
            VALUES (\(kind.code), \(kind.name), \(kind.executiveTitle), \(kind.unitName), \(kind.sizeMeasure))
            ON CONFLICT (code) DO NOTHING RETURNING code
            """,
            logger: logger
        )
        return try await rows.hasRow()
    }

    /// Tenant kinds by code after `cursor`.
    public func tenantKinds(after cursor: String?, limit: Int, on connection: PostgresConnection) async throws -> [TenantKindRecord] {
        let rows = try await connection.query(
            """
            SELECT code, name, executive_title, unit_name, size_measure FROM tenant_kinds
            WHERE \(cursor)::text IS NULL OR code > \(cursor) ORDER BY code LIMIT \(limit)
            """,
            logger: logger
        )
        var items: [TenantKindRecord] = []
        for try await (code, name, title, unit, size) in rows.decode((String, String, String, String, String).self) {
            items.append(TenantKindRecord(code: code, name: name, executiveTitle: title, unitName: unit, sizeMeasure: size))
        }
        return items
    }

    public func jurisdictionExists(_ code: String, on connection: PostgresConnection) async throws -> Bool {
        try await connection.query("SELECT 1 FROM jurisdictions WHERE code = \(code)", logger: logger).hasRow()
    }

    /// The codes among `codes` that name no tenant kind.
    public func unknownTenantKinds(_ codes: [String], on connection: PostgresConnection) async throws -> [String] {
        let rows = try await connection.query(
            """
            SELECT code FROM unnest(\(codes)::text[]) AS given(code)
            WHERE NOT EXISTS (SELECT FROM tenant_kinds k WHERE k.code = given.code)
            """,
            logger: logger
        )
        var unknown: [String] = []
        for try await code in rows.decode(String.self) { unknown.append(code) }
        return unknown
    }
}
