import Billing
import Domain
import Foundation
import Storage

/// Programs and their years: budgets, fee schedules, funding sources and grants. Read by
/// everyone who may read the catalogue, written by Center admins.
public struct ProgramService: Sendable {
    let services: Services

    /// A program's fee schedule: at most this many tiers.
    public static let maximumTiers = 100
    public static let tierSizeRange = 0...100_000_000
    /// One hundred million dollars.
    public static let tierFeeRange: ClosedRange<Int64> = 0...10_000_000_000

    public struct NewGrant: Sendable {
        public var fundingSource: String
        public var amountCents: Int64
        public var awardedOn: CivilDate

        public init(fundingSource: String, amountCents: Int64, awardedOn: CivilDate) {
            self.fundingSource = fundingSource
            self.amountCents = amountCents
            self.awardedOn = awardedOn
        }
    }

    // MARK: Programs

    public func list(_ caller: Caller, after cursor: String?, limit: Int) async throws -> [ProgramRecord] {
        try await services.global(caller, .readCatalog, target: "programs") { work in
            try await work.stores.programs.programs(after: cursor, limit: limit, on: work.connection)
        }
    }

    /// Adds a program; `tenantKinds` empty: it takes tenants of any kind.
    public func create(_ caller: Caller, _ program: ProgramRecord) async throws -> ProgramRecord {
        try await services.global(caller, .manageCatalog, target: "programs") { work in
            var validation = Validation()
            validation.code(program.code, field: "code", pattern: "^[A-Z][A-Z0-9]{1,15}$", reason: "must be 2 to 16 capital letters or digits, such as MPMP")
            let name = validation.text(program.name, field: "name")
            try validation.check()
            let record = ProgramRecord(
                code: program.code, name: name ?? "", jurisdictionCode: program.jurisdictionCode, tenantKinds: program.tenantKinds
            )
            var catalog = Validation()
            if try await !work.stores.catalog.jurisdictionExists(record.jurisdictionCode, on: work.connection) {
                catalog.fail("jurisdiction", "is not a jurisdiction")
            }
            let unknown = Set(try await work.stores.catalog.unknownTenantKinds(record.tenantKinds, on: work.connection))
            for (index, kind) in record.tenantKinds.enumerated() where unknown.contains(kind) {
                catalog.fail("tenantKinds[\(index)]", "is not a tenant kind")
            }
            try catalog.checkReferences()
            guard try await work.stores.programs.add(record, on: work.connection) else {
                throw ServiceError.conflict("Program \(record.code) exists.")
            }
            try await work.audit("programs.create", target: "programs/\(record.code)")
            return record
        }
    }

    // MARK: Program years

    public func year(_ caller: Caller, program: String, fiscalYear: Int) async throws -> ProgramYearRecord {
        try await services.global(caller, .readCatalog, target: "programs/\(program)/years/\(fiscalYear)") { work in
            try await work.programYear(program, fiscalYear)
        }
    }

    /// Creates or changes a program year: budget, target state share, analyst headcount.
    public func saveYear(_ caller: Caller, _ year: ProgramYearRecord) async throws -> ProgramYearRecord {
        let target = "programs/\(year.programCode)/years/\(year.fiscalYear)"
        return try await services.global(caller, .manageCatalog, target: target) { work in
            var validation = Validation()
            if year.budgetCents < 0 { validation.fail("budgetCents", "must not be negative") }
            _ = validation.integer(year.targetStateShareBasisPoints, field: "targetStateShareBasisPoints", in: 0...10_000)
            _ = validation.integer(year.analystHeadcount, field: "analystHeadcount", in: 0...10_000)
            try validation.check()
            guard try await work.stores.programs.program(year.programCode, on: work.connection) != nil else {
                throw ServiceError.notFound("There is no program \(year.programCode).")
            }
            try await work.stores.programs.save(year, on: work.connection)
            try await work.audit("program-years.save", target: target)
            return year
        }
    }

    // MARK: Fee schedules

    public func feeSchedule(_ caller: Caller, program: String, fiscalYear: Int) async throws -> FeeSchedule {
        try await services.global(caller, .readCatalog, target: "programs/\(program)/years/\(fiscalYear)/fee-schedule") { work in
            _ = try await work.programYear(program, fiscalYear)
            guard let schedule = try await work.stores.programs.feeSchedule(program: program, fiscalYear: fiscalYear, on: work.connection) else {
                throw ServiceError.notFound("Program year \(program) FY\(fiscalYear) has no fee schedule yet.")
            }
            return schedule
        }
    }

    /// Replaces the program year's fee schedule: tiers by size, or one tier from 0 (a flat fee).
    public func saveFeeSchedule(
        _ caller: Caller, program: String, fiscalYear: Int, tiers: [FeeSchedule.Tier]
    ) async throws -> FeeSchedule {
        let target = "programs/\(program)/years/\(fiscalYear)/fee-schedule"
        return try await services.global(caller, .manageCatalog, target: target) { work in
            let schedule = try Self.schedule(of: tiers)
            _ = try await work.programYear(program, fiscalYear)
            try await work.stores.programs.save(schedule, program: program, fiscalYear: fiscalYear, on: work.connection)
            try await work.audit("fee-schedules.save", target: target)
            return schedule
        }
    }

    /// The schedule of `tiers`, or a 422 naming every tier out of range, or what is wrong
    /// with the tiers together.
    static func schedule(of tiers: [FeeSchedule.Tier]) throws -> FeeSchedule {
        var limits = Validation()
        if tiers.count > maximumTiers { limits.fail("tiers", "must be at most \(maximumTiers) tiers") }
        for (index, tier) in tiers.enumerated() {
            _ = limits.integer(tier.minimumSize, field: "tiers[\(index)].minimumSize", in: tierSizeRange)
            if !tierFeeRange.contains(tier.feeCents) {
                limits.fail("tiers[\(index)].feeCents", "must be between 0 and 10000000000 (one hundred million dollars)")
            }
        }
        try limits.check()
        do {
            return try FeeSchedule(tiers: tiers)
        } catch {
            let reason: String =
                switch error {
                case .noTiers: "must have at least one tier (one tier from 0 is a flat fee)"
                case .firstTierMustStartAtZero: "must start with a tier whose minimumSize is 0"
                case .tiersMustAscend: "must not have two tiers with the same minimumSize"
                case .negativeFee: "must not have a negative feeCents"
                }
            throw ServiceError.invalid("tiers", reason)
        }
    }

    // MARK: Funding sources and grants

    public func fundingSources(_ caller: Caller, after cursor: String?, limit: Int) async throws -> [FundingSourceRecord] {
        try await services.global(caller, .readCatalog, target: "funding-sources") { work in
            try await work.stores.programs.fundingSources(after: cursor, limit: limit, on: work.connection)
        }
    }

    public func createFundingSource(_ caller: Caller, _ source: FundingSourceRecord) async throws -> FundingSourceRecord {
        try await services.global(caller, .manageCatalog, target: "funding-sources") { work in
            var validation = Validation()
            validation.code(source.code, field: "code", pattern: "^[A-Z][A-Z0-9_-]{1,31}$", reason: "must be 2 to 32 capital letters, digits, _ or -, such as MA-CSG")
            let name = validation.text(source.name, field: "name")
            try validation.check()
            let record = FundingSourceRecord(code: source.code, name: name ?? "", jurisdictionCode: source.jurisdictionCode)
            guard try await work.stores.catalog.jurisdictionExists(record.jurisdictionCode, on: work.connection) else {
                throw ServiceError.unresolved("jurisdiction", "is not a jurisdiction")
            }
            guard try await work.stores.programs.add(record, on: work.connection) else {
                throw ServiceError.conflict("Funding source \(record.code) exists.")
            }
            try await work.audit("funding-sources.create", target: "funding-sources/\(record.code)")
            return record
        }
    }

    /// The grants awarded to a program year, oldest first.
    public func grants(_ caller: Caller, program: String, fiscalYear: Int) async throws -> [GrantAwardRecord] {
        try await services.global(caller, .readProgramReports, target: "programs/\(program)/years/\(fiscalYear)/grants") { work in
            _ = try await work.programYear(program, fiscalYear)
            return try await work.stores.programs.grants(program: program, fiscalYear: fiscalYear, on: work.connection)
        }
    }

    /// Awards a grant to a program year; a repeat with the same `idempotency` key gets the
    /// first answer (201).
    public func awardGrant(
        _ caller: Caller, program: String, fiscalYear: Int, _ command: NewGrant,
        idempotency: IdempotencyKey?, render: @escaping IdempotentRenderer<GrantAwardRecord>
    ) async throws -> Idempotent<GrantAwardRecord> {
        try await services.global(caller, .manageCatalog, target: "programs/\(program)/years/\(fiscalYear)/grants") { work in
            guard command.amountCents > 0 else { throw ServiceError.invalid("amountCents", "must be more than zero") }
            return try await work.idempotent(idempotency, status: IdempotentStatus.created, render: render) {
                _ = try await work.programYear(program, fiscalYear)
                guard try await work.stores.programs.fundingSourceExists(command.fundingSource, on: work.connection) else {
                    throw ServiceError.unresolved("fundingSource", "is not a funding source; see GET /v1/funding-sources")
                }
                let grant = GrantAwardRecord(
                    id: UUID(), fundingSourceCode: command.fundingSource, amountCents: command.amountCents, awardedOn: command.awardedOn
                )
                try await work.stores.programs.award(grant, program: program, fiscalYear: fiscalYear, on: work.connection)
                try await work.audit("grants.award", target: "grants/\(grant.id)")
                return grant
            }
        }
    }
}

extension Services {
    public var programs: ProgramService { ProgramService(services: self) }
}

extension Work {
    /// The program year, or 404.
    func programYear(_ program: String, _ fiscalYear: Int) async throws -> ProgramYearRecord {
        guard let year = try await stores.programs.year(program: program, fiscalYear: fiscalYear, on: connection) else {
            throw ServiceError.notFound("There is no program year \(program) FY\(fiscalYear).")
        }
        return year
    }
}
