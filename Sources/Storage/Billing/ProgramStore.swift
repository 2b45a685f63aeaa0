import Billing
import Domain
import Foundation
import Logging
import PostgresNIO

public struct ProgramRecord: Sendable, Hashable, Codable {
    public var code: String
    public var name: String
    public var jurisdictionCode: String
    /// Tenant kinds the program accepts; empty: any kind.
    public var tenantKinds: [String]

    public init(code: String, name: String, jurisdictionCode: String, tenantKinds: [String]) {
        self.code = code
        self.name = name
        self.jurisdictionCode = jurisdictionCode
        self.tenantKinds = tenantKinds
    }
}

public struct ProgramYearRecord: Sendable, Hashable, Codable {
    public var programCode: String
    public var fiscalYear: Int
    public var budgetCents: Int64
    public var targetStateShareBasisPoints: Int
    public var analystHeadcount: Int

    public init(programCode: String, fiscalYear: Int, budgetCents: Int64, targetStateShareBasisPoints: Int, analystHeadcount: Int) {
        self.programCode = programCode
        self.fiscalYear = fiscalYear
        self.budgetCents = budgetCents
        self.targetStateShareBasisPoints = targetStateShareBasisPoints
        self.analystHeadcount = analystHeadcount
    }
}

public struct FundingSourceRecord: Sendable, Hashable, Codable {
    public var code: String
    public var name: String
    public var jurisdictionCode: String

    public init(code: String, name: String, jurisdictionCode: String) {
        self.code = code
        self.name = name
        self.jurisdictionCode = jurisdictionCode
    }
}

public struct GrantAwardRecord: Sendable, Hashable, Codable {
    public var id: UUID
    public var fundingSourceCode: String
    public var amountCents: Int64
    public var awardedOn: CivilDate

    public init(id: UUID, fundingSourceCode: String, amountCents: Int64, awardedOn: CivilDate) {
        self.id = id
        self.fundingSourceCode = fundingSourceCode
        self.amountCents = amountCents
        self.awardedOn = awardedOn
    }
}

/// Programs, program years, fee schedules, funding sources and grants: the global side of
/// billing, written by Center admins.
public struct ProgramStore: Sendable {
    public let logger: Logger

    public init(logger: Logger) {
        self.logger = logger
    }

    /// Adds a program; false when the code exists.
    public func add(_ program: ProgramRecord, on connection: PostgresConnection) async throws -> Bool {
        let rows = try await connection.query(
            """
            INSERT INTO programs (code, name, jurisdiction_code) VALUES (\(program.code), \(program.name), \(program.jurisdictionCode))
            ON CONFLICT (code) DO NOTHING RETURNING code
            """,
            logger: logger
        )
        guard try await rows.hasRow() else { return false }
        try await connection.execute(
            """
            INSERT INTO program_tenant_kinds (program_code, tenant_kind_code)
            SELECT \(program.code), kind FROM unnest(\(program.tenantKinds)::text[]) AS kind
            """,
            logger: logger
        )
        return true
    }

    public func programs(after cursor: String?, limit: Int, on connection: PostgresConnection) async throws -> [ProgramRecord] {
        let rows = try await connection.query(
            """
            SELECT p.code, p.name, p.jurisdiction_code,
                   coalesce(array_agg(k.tenant_kind_code ORDER BY k.tenant_kind_code) FILTER (WHERE k.tenant_kind_code IS NOT NULL), '{}')
            FROM programs p LEFT JOIN program_tenant_kinds k ON k.program_code = p.code
            WHERE \(cursor)::text IS NULL OR p.code > \(cursor)
            GROUP BY p.code ORDER BY p.code LIMIT \(limit)
            """,
            logger: logger
        )
        var programs: [ProgramRecord] = []
        for try await (code, name, jurisdiction, kinds) in rows.decode((String, String, String, [String]).self) {
            programs.append(ProgramRecord(code: code, name: name, jurisdictionCode: jurisdiction, tenantKinds: kinds))
        }
        return programs
    }

    public func program(_ code: String, on connection: PostgresConnection) async throws -> ProgramRecord? {
        let rows = try await connection.query(
            """
            SELECT p.code, p.name, p.jurisdiction_code,
                   coalesce(array_agg(k.tenant_kind_code ORDER BY k.tenant_kind_code) FILTER (WHERE k.tenant_kind_code IS NOT NULL), '{}')
            FROM programs p LEFT JOIN program_tenant_kinds k ON k.program_code = p.code
            WHERE p.code = \(code) GROUP BY p.code
            """,
            logger: logger
        )
        for try await (code, name, jurisdiction, kinds) in rows.decode((String, String, String, [String]).self) {
            return ProgramRecord(code: code, name: name, jurisdictionCode: jurisdiction, tenantKinds: kinds)
        }
        return nil
    }

    /// The fiscal year of a program, by its jurisdiction's calendar.
    public func fiscalYear(program: String, endingYear: Int, on connection: PostgresConnection) async throws -> FiscalYear? {
        let rows = try await connection.query(
            """
            SELECT j.fiscal_year_start_month::int, j.fiscal_year_start_day::int
            FROM programs p JOIN jurisdictions j ON j.code = p.jurisdiction_code WHERE p.code = \(program)
            """,
            logger: logger
        )
        for try await (month, day) in rows.decode((Int, Int).self) {
            return FiscalYear(endingYear: endingYear, startMonth: month, startDay: day)
        }
        return nil
    }

    public func year(program: String, fiscalYear: Int, on connection: PostgresConnection) async throws -> ProgramYearRecord? {
        let rows = try await connection.query(
            """
            SELECT budget_cents, target_state_share_bp, analyst_headcount FROM program_years
            WHERE program_code = \(program) AND fiscal_year = \(try smallint(fiscalYear))
            """,
            logger: logger
        )
        for try await (budget, share, headcount) in rows.decode((Int64, Int, Int).self) {
            return ProgramYearRecord(programCode: program, fiscalYear: fiscalYear, budgetCents: budget, targetStateShareBasisPoints: share, analystHeadcount: headcount)
        }
        return nil
    }

    /// Creates or changes a program year.
    public func save(_ year: ProgramYearRecord, on connection: PostgresConnection) async throws {
        try await connection.execute(
            """
            INSERT INTO program_years (program_code, fiscal_year, budget_cents, target_state_share_bp, analyst_headcount)
            VALUES (\(year.programCode), \(try smallint(year.fiscalYear)), \(year.budgetCents), \(year.targetStateShareBasisPoints), \(year.analystHeadcount))
            ON CONFLICT (program_code, fiscal_year) DO UPDATE SET
                budget_cents = excluded.budget_cents,
                target_state_share_bp = excluded.target_state_share_bp,
                analyst_headcount = excluded.analyst_headcount
            """,
            logger: logger
        )
    }

    public func feeSchedule(program: String, fiscalYear: Int, on connection: PostgresConnection) async throws -> FeeSchedule? {
        let rows = try await connection.query(
            """
            SELECT minimum_size, fee_cents FROM fee_tiers
            WHERE program_code = \(program) AND fiscal_year = \(try smallint(fiscalYear)) ORDER BY minimum_size
            """,
            logger: logger
        )
        var tiers: [FeeSchedule.Tier] = []
        for try await (minimum, fee) in rows.decode((Int, Int64).self) {
            tiers.append(FeeSchedule.Tier(minimumSize: minimum, feeCents: fee))
        }
        return try? FeeSchedule(tiers: tiers)
    }

    /// Replaces the program year's fee schedule.
    public func save(_ schedule: FeeSchedule, program: String, fiscalYear: Int, on connection: PostgresConnection) async throws {
        try await connection.execute(
            "DELETE FROM fee_tiers WHERE program_code = \(program) AND fiscal_year = \(try smallint(fiscalYear))",
            logger: logger
        )
        try await connection.execute(
            """
            INSERT INTO fee_tiers (program_code, fiscal_year, minimum_size, fee_cents)
            SELECT \(program), \(try smallint(fiscalYear)), minimum, fee
            FROM unnest(\(schedule.tiers.map(\.minimumSize))::int[], \(schedule.tiers.map(\.feeCents))::bigint[]) AS t(minimum, fee)
            """,
            logger: logger
        )
    }

    public func add(_ source: FundingSourceRecord, on connection: PostgresConnection) async throws -> Bool {
        let rows = try await connection.query(
            """
            INSERT INTO funding_sources (code, name, jurisdiction_code) VALUES (\(source.code), \(source.name), \(source.jurisdictionCode))
            ON CONFLICT (code) DO NOTHING RETURNING code
            """,
            logger: logger
        )
        return try await rows.hasRow()
    }

    public func fundingSources(after cursor: String?, limit: Int, on connection: PostgresConnection) async throws -> [FundingSourceRecord] {
        let rows = try await connection.query(
            """
            SELECT code, name, jurisdiction_code FROM funding_sources
            WHERE \(cursor)::text IS NULL OR code > \(cursor) ORDER BY code LIMIT \(limit)
            """,
            logger: logger
        )
        var sources: [FundingSourceRecord] = []
        for try await (code, name, jurisdiction) in rows.decode((String, String, String).self) {
            sources.append(FundingSourceRecord(code: code, name: name, jurisdictionCode: jurisdiction))
        }
        return sources
    }

    public func fundingSourceExists(_ code: String, on connection: PostgresConnection) async throws -> Bool {
        try await connection.query("SELECT 1 FROM funding_sources WHERE code = \(code)", logger: logger).hasRow()
    }

    public func award(_ grant: GrantAwardRecord, program: String, fiscalYear: Int, on connection: PostgresConnection) async throws {
        try await connection.execute(
            """
            INSERT INTO grant_awards (id, program_code, fiscal_year, funding_source_code, amount_cents, awarded_on)
            VALUES (\(grant.id), \(program), \(try smallint(fiscalYear)), \(grant.fundingSourceCode), \(grant.amountCents), \(grant.awardedOn.description)::date)
            """,
            logger: logger
        )
    }

    public func grants(program: String, fiscalYear: Int, on connection: PostgresConnection) async throws -> [GrantAwardRecord] {
        let rows = try await connection.query(
            """
            SELECT id, funding_source_code, amount_cents, awarded_on::text FROM grant_awards
            WHERE program_code = \(program) AND fiscal_year = \(try smallint(fiscalYear)) ORDER BY awarded_on, id
            """,
            logger: logger
        )
        var grants: [GrantAwardRecord] = []
        for try await (id, source, amount, awardedOn) in rows.decode((UUID, String, Int64, String).self) {
            guard let date = CivilDate(iso8601: awardedOn) else { continue }
            grants.append(GrantAwardRecord(id: id, fundingSourceCode: source, amountCents: amount, awardedOn: date))
        }
        return grants
    }
}
