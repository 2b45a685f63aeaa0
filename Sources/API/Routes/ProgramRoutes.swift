import Billing
import Domain
import Foundation
import Hummingbird
import PostgresNIO
import Services
import Storage

/// Programs and their years: budgets, fee schedules, grants, invoice runs and the
/// funding report; funding sources; the aging report. Written by Center admins.
struct ProgramRoutes {
    let backend: Backend

    struct ProgramBody: Codable, ResponseEncodable, Sendable {
        var code: String
        var name: String
        var jurisdiction: String
        /// Tenant kinds the program accepts; empty or absent: any.
        var tenantKinds: [String]?
    }

    struct ProgramYearBody: Codable, ResponseEncodable, Sendable {
        var program: String?
        var fiscalYear: Int?
        var budgetCents: Int64
        var targetStateShareBasisPoints: Int
        var analystHeadcount: Int
    }

    struct FeeScheduleBody: Codable, ResponseEncodable, Sendable {
        struct Tier: Codable, Sendable {
            var minimumSize: Int
            var feeCents: Int64
        }
        var tiers: [Tier]
    }

    struct FundingSourceBody: Codable, ResponseEncodable, Sendable {
        var code: String
        var name: String
        var jurisdiction: String
    }

    struct GrantBody: Codable, ResponseEncodable, Sendable {
        var id: UUID?
        var fundingSource: String
        var amountCents: Int64
        var awardedOn: CivilDate
    }

    struct RunResult: Codable, ResponseEncodable, Sendable {
        var program: String
        var fiscalYear: Int
        var draftsCreated: Int
    }

    struct FundingReportBody: ResponseEncodable, Sendable {
        var program: String
        var fiscalYear: Int
        var enrolledTenants: Int
        var analystHeadcount: Int
        var budgetCents: Int64
        var grantsAwardedCents: Int64
        var feesInvoicedCents: Int64
        var feesCollectedCents: Int64
        var feesOutstandingCents: Int64
        var fundingGapCents: Int64
        var targetStateShareBasisPoints: Int
        var actualStateShareBasisPoints: Int
        var targetFeeShareBasisPoints: Int
        var actualFeeShareBasisPoints: Int
        var stateShareGapBasisPoints: Int
    }

    struct AgingBody: ResponseEncodable, Sendable {
        struct Line: Encodable, Sendable {
            var tenantId: UUID
            var tenantName: String
            var invoiceId: UUID
            var number: String
            var dueOn: CivilDate
            var openCents: Int64
            var bucket: String
        }
        var asOf: CivilDate
        var buckets: [String: Int64]
        var totalCents: Int64
        var invoices: [Line]
    }

    func register(on group: RouterGroup<AuthenticatedContext>) {
        group.get("/programs") { request, context in try await listPrograms(request, context) }
        group.post("/programs") { request, context in try await createProgram(request, context) }
        group.get("/programs/{code}/years/{fy}") { request, context in try await readYear(request, context) }
        group.put("/programs/{code}/years/{fy}") { request, context in try await saveYear(request, context) }
        group.get("/programs/{code}/years/{fy}/fee-schedule") { request, context in try await readSchedule(request, context) }
        group.put("/programs/{code}/years/{fy}/fee-schedule") { request, context in try await saveSchedule(request, context) }
        group.get("/programs/{code}/years/{fy}/grants") { request, context in try await listGrants(request, context) }
        group.post("/programs/{code}/years/{fy}/grants") { request, context in try await award(request, context) }
        group.post("/programs/{code}/years/{fy}/invoice-runs") { request, context in try await runInvoices(request, context) }
        group.get("/programs/{code}/years/{fy}/funding-report") { request, context in try await fundingReport(request, context) }
        group.get("/funding-sources") { request, context in try await listSources(request, context) }
        group.post("/funding-sources") { request, context in try await createSource(request, context) }
        group.get("/reports/aging") { request, context in try await aging(request, context) }
    }

    // MARK: Programs

    func listPrograms(_ request: Request, _ context: AuthenticatedContext) async throws -> Page<ProgramBody> {
        try await backend.accessGuard.authorize(.readCatalog, target: "programs", context: context)
        let page = try PageRequest(request)
        let records = try await backend.database.withTransaction { connection in
            try await backend.programs.programs(after: page.cursor, limit: page.limit + 1, on: connection)
        }
        return page.page(records.map(Self.body)) { $0.code }
    }

    static func body(_ record: ProgramRecord) -> ProgramBody {
        ProgramBody(code: record.code, name: record.name, jurisdiction: record.jurisdictionCode, tenantKinds: record.tenantKinds)
    }

    func createProgram(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        try await backend.accessGuard.authorize(.manageCatalog, target: "programs", context: context)
        let body = try await request.decodeJSON(as: ProgramBody.self, context: context)
        var validation = Validation()
        if body.code.range(of: "^[A-Z][A-Z0-9]{1,15}$", options: .regularExpression) == nil {
            validation.fail("code", "must be 2 to 16 capital letters or digits, such as MPMP")
        }
        let name = validation.text(body.name, field: "name")
        try validation.check()
        let record = ProgramRecord(code: body.code, name: name ?? "", jurisdictionCode: body.jurisdiction, tenantKinds: body.tenantKinds ?? [])
        try await backend.database.withTransaction { connection in
            var catalog = Validation()
            if try await !backend.catalog.jurisdictionExists(record.jurisdictionCode, on: connection) {
                catalog.fail("jurisdiction", "is not a jurisdiction")
            }
            let unknown = Set(try await backend.catalog.unknownTenantKinds(record.tenantKinds, on: connection))
            for (index, kind) in record.tenantKinds.enumerated() where unknown.contains(kind) {
                catalog.fail("tenantKinds[\(index)]", "is not a tenant kind")
            }
            try catalog.check()
            guard try await backend.programs.add(record, on: connection) else {
                throw Problem.conflict("Program \(record.code) exists.")
            }
            try await backend.audit.record(
                context.success("programs.create", target: "programs/\(record.code)"),
                on: connection
            )
        }
        return try .created(Self.body(record), context: context, request: request)
    }

    // MARK: Program years

    /// `{code}` and `{fy}`; 404 for a year that cannot be.
    static func programYear(_ request: Request, _ context: some RequestContext) throws -> (String, Int) {
        guard let code = context.parameters.get("code"), let text = context.parameters.get("fy"),
            let year = Int(text), (2000...2200).contains(year)
        else { throw Problem.notFound("There is no such program year.") }
        return (code, year)
    }

    func requireYear(_ program: String, _ year: Int, on connection: PostgresConnection) async throws -> ProgramYearRecord {
        guard let record = try await backend.programs.year(program: program, fiscalYear: year, on: connection) else {
            throw Problem.notFound("There is no program year \(program) FY\(year).")
        }
        return record
    }

    func readYear(_ request: Request, _ context: AuthenticatedContext) async throws -> ProgramYearBody {
        let (program, year) = try Self.programYear(request, context)
        try await backend.accessGuard.authorize(.readCatalog, target: "programs/\(program)/years/\(year)", context: context)
        let record = try await backend.database.withTransaction { try await requireYear(program, year, on: $0) }
        return ProgramYearBody(
            program: program, fiscalYear: year, budgetCents: record.budgetCents,
            targetStateShareBasisPoints: record.targetStateShareBasisPoints, analystHeadcount: record.analystHeadcount
        )
    }

    func saveYear(_ request: Request, _ context: AuthenticatedContext) async throws -> ProgramYearBody {
        let (program, year) = try Self.programYear(request, context)
        try await backend.accessGuard.authorize(.manageCatalog, target: "programs/\(program)/years/\(year)", context: context)
        let body = try await request.decodeJSON(as: ProgramYearBody.self, context: context)
        var validation = Validation()
        if body.budgetCents < 0 { validation.fail("budgetCents", "must not be negative") }
        _ = validation.integer(body.targetStateShareBasisPoints, field: "targetStateShareBasisPoints", in: 0...10_000)
        _ = validation.integer(body.analystHeadcount, field: "analystHeadcount", in: 0...10_000)
        try validation.check()
        let record = ProgramYearRecord(
            programCode: program, fiscalYear: year, budgetCents: body.budgetCents,
            targetStateShareBasisPoints: body.targetStateShareBasisPoints, analystHeadcount: body.analystHeadcount
        )
        try await backend.database.withTransaction { connection in
            guard try await backend.programs.program(program, on: connection) != nil else {
                throw Problem.notFound("There is no program \(program).")
            }
            try await backend.programs.save(record, on: connection)
            try await backend.audit.record(
                context.success("program-years.save", target: "programs/\(program)/years/\(year)"),
                on: connection
            )
        }
        return ProgramYearBody(
            program: program, fiscalYear: year, budgetCents: record.budgetCents,
            targetStateShareBasisPoints: record.targetStateShareBasisPoints, analystHeadcount: record.analystHeadcount
        )
    }

    // MARK: Fee schedules

    func readSchedule(_ request: Request, _ context: AuthenticatedContext) async throws -> FeeScheduleBody {
        let (program, year) = try Self.programYear(request, context)
        try await backend.accessGuard.authorize(.readCatalog, target: "programs/\(program)/years/\(year)/fee-schedule", context: context)
        let schedule = try await backend.database.withTransaction { connection in
            _ = try await requireYear(program, year, on: connection)
            return try await backend.programs.feeSchedule(program: program, fiscalYear: year, on: connection)
        }
        guard let schedule else { throw Problem.notFound("Program year \(program) FY\(year) has no fee schedule yet.") }
        return FeeScheduleBody(tiers: schedule.tiers.map { .init(minimumSize: $0.minimumSize, feeCents: $0.feeCents) })
    }

    func saveSchedule(_ request: Request, _ context: AuthenticatedContext) async throws -> FeeScheduleBody {
        let (program, year) = try Self.programYear(request, context)
        try await backend.accessGuard.authorize(.manageCatalog, target: "programs/\(program)/years/\(year)/fee-schedule", context: context)
        let body = try await request.decodeJSON(as: FeeScheduleBody.self, context: context)
        var limits = Validation()
        if body.tiers.count > 100 { limits.fail("tiers", "must be at most 100 tiers") }
        for (index, tier) in body.tiers.enumerated() {
            _ = limits.integer(tier.minimumSize, field: "tiers[\(index)].minimumSize", in: 0...100_000_000)
            if !(0...10_000_000_000).contains(tier.feeCents) {
                limits.fail("tiers[\(index)].feeCents", "must be between 0 and 10000000000 (one hundred million dollars)")
            }
        }
        try limits.check()
        let schedule: FeeSchedule
        do {
            schedule = try FeeSchedule(tiers: body.tiers.map { .init(minimumSize: $0.minimumSize, feeCents: $0.feeCents) })
        } catch {
            let reason: String =
                switch error {
                case .noTiers: "must have at least one tier (one tier from 0 is a flat fee)"
                case .firstTierMustStartAtZero: "must start with a tier whose minimumSize is 0"
                case .tiersMustAscend: "must not have two tiers with the same minimumSize"
                case .negativeFee: "must not have a negative feeCents"
                }
            throw Problem.validation([.init(field: "tiers", reason: reason)])
        }
        try await backend.database.withTransaction { connection in
            _ = try await requireYear(program, year, on: connection)
            try await backend.programs.save(schedule, program: program, fiscalYear: year, on: connection)
            try await backend.audit.record(
                context.success("fee-schedules.save", target: "programs/\(program)/years/\(year)/fee-schedule"),
                on: connection
            )
        }
        return FeeScheduleBody(tiers: schedule.tiers.map { .init(minimumSize: $0.minimumSize, feeCents: $0.feeCents) })
    }

    // MARK: Grants and funding sources

    func listGrants(_ request: Request, _ context: AuthenticatedContext) async throws -> Page<GrantBody> {
        let (program, year) = try Self.programYear(request, context)
        try await backend.accessGuard.authorize(.readProgramReports, target: "programs/\(program)/years/\(year)/grants", context: context)
        let grants = try await backend.database.withTransaction { connection in
            _ = try await requireYear(program, year, on: connection)
            return try await backend.programs.grants(program: program, fiscalYear: year, on: connection)
        }
        return try PageRequest(request).page(ofWhole: grants.map { GrantBody(id: $0.id, fundingSource: $0.fundingSourceCode, amountCents: $0.amountCents, awardedOn: $0.awardedOn) })
    }

    func award(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        let (program, year) = try Self.programYear(request, context)
        try await backend.accessGuard.authorize(.manageCatalog, target: "programs/\(program)/years/\(year)/grants", context: context)
        let bytes = try await request.collectJSONBody(context: context)
        let body = try Request.decodeJSON(as: GrantBody.self, from: bytes)
        guard body.amountCents > 0 else {
            throw Problem.validation([.init(field: "amountCents", reason: "must be more than zero")])
        }
        let grant = GrantAwardRecord(id: UUID(), fundingSourceCode: body.fundingSource, amountCents: body.amountCents, awardedOn: body.awardedOn)
        return try await backend.database.withTransaction { connection in
            try await backend.idempotency.respond(to: request, body: bytes, context: context, status: .created, on: connection) {
                _ = try await requireYear(program, year, on: connection)
                guard try await backend.programs.fundingSourceExists(body.fundingSource, on: connection) else {
                    throw Problem.validation([.init(field: "fundingSource", reason: "is not a funding source; see GET /v1/funding-sources")])
                }
                try await backend.programs.award(grant, program: program, fiscalYear: year, on: connection)
                try await backend.audit.record(
                    context.success("grants.award", target: "grants/\(grant.id)"),
                    on: connection
                )
                return GrantBody(id: grant.id, fundingSource: grant.fundingSourceCode, amountCents: grant.amountCents, awardedOn: grant.awardedOn)
            }
        }
    }

    func listSources(_ request: Request, _ context: AuthenticatedContext) async throws -> Page<FundingSourceBody> {
        try await backend.accessGuard.authorize(.readCatalog, target: "funding-sources", context: context)
        let page = try PageRequest(request)
        let sources = try await backend.database.withTransaction { connection in
            try await backend.programs.fundingSources(after: page.cursor, limit: page.limit + 1, on: connection)
        }
        return page.page(sources.map { FundingSourceBody(code: $0.code, name: $0.name, jurisdiction: $0.jurisdictionCode) }) { $0.code }
    }

    func createSource(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        try await backend.accessGuard.authorize(.manageCatalog, target: "funding-sources", context: context)
        let body = try await request.decodeJSON(as: FundingSourceBody.self, context: context)
        var validation = Validation()
        if body.code.range(of: "^[A-Z][A-Z0-9_-]{1,31}$", options: .regularExpression) == nil {
            validation.fail("code", "must be 2 to 32 capital letters, digits, _ or -, such as MA-CSG")
        }
        let name = validation.text(body.name, field: "name")
        try validation.check()
        let record = FundingSourceRecord(code: body.code, name: name ?? "", jurisdictionCode: body.jurisdiction)
        try await backend.database.withTransaction { connection in
            guard try await backend.catalog.jurisdictionExists(record.jurisdictionCode, on: connection) else {
                throw Problem.validation([.init(field: "jurisdiction", reason: "is not a jurisdiction")])
            }
            guard try await backend.programs.add(record, on: connection) else {
                throw Problem.conflict("Funding source \(record.code) exists.")
            }
            try await backend.audit.record(
                context.success("funding-sources.create", target: "funding-sources/\(record.code)"),
                on: connection
            )
        }
        return try .created(FundingSourceBody(code: record.code, name: record.name, jurisdiction: record.jurisdictionCode), context: context, request: request)
    }

    // MARK: Invoice runs and reports

    func runInvoices(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        let (program, year) = try Self.programYear(request, context)
        try await backend.accessGuard.authorize(.manageBilling, target: "programs/\(program)/years/\(year)/invoice-runs", context: context)
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        return try await backend.database.withTenantTransaction(.center) { connection in
            try await backend.idempotency.respond(to: request, body: body, context: context, status: .created, on: connection) {
                let created: Int
                do {
                    created = try await InvoiceRun(logger: backend.database.logger).run(program: program, fiscalYear: year, on: connection)
                } catch let failure as InvoiceRun.Failure {
                    switch failure {
                    case .unknownProgramYear: throw Problem.notFound("There is no program year \(program) FY\(year).")
                    case .noFeeSchedule: throw Problem.conflict("Program year \(program) FY\(year) has no fee schedule; PUT one first.")
                    }
                }
                try await backend.audit.record(
                    context.success("invoice-runs.create", target: "programs/\(program)/years/\(year): \(created) drafts"),
                    on: connection
                )
                return RunResult(program: program, fiscalYear: year, draftsCreated: created)
            }
        }
    }

    func fundingReport(_ request: Request, _ context: AuthenticatedContext) async throws -> FundingReportBody {
        let (program, year) = try Self.programYear(request, context)
        try await backend.accessGuard.authorize(.readProgramReports, target: "programs/\(program)/years/\(year)/funding-report", context: context)
        return try await backend.database.withTenantTransaction(.center) { connection in
            let programYear = try await requireYear(program, year, on: connection)
            guard let report = try await backend.reports.funding(program: program, fiscalYear: year, on: connection) else {
                throw Problem.notFound("There is no program year \(program) FY\(year).")
            }
            let enrolled = try await backend.reports.enrollmentCount(program: program, fiscalYear: year, on: connection)
            return FundingReportBody(
                program: program, fiscalYear: year, enrolledTenants: enrolled, analystHeadcount: programYear.analystHeadcount,
                budgetCents: report.budgetCents, grantsAwardedCents: report.grantsAwardedCents,
                feesInvoicedCents: report.feesInvoicedCents, feesCollectedCents: report.feesCollectedCents,
                feesOutstandingCents: report.feesOutstandingCents, fundingGapCents: report.fundingGapCents,
                targetStateShareBasisPoints: report.targetStateShare.value, actualStateShareBasisPoints: report.actualStateShare.value,
                targetFeeShareBasisPoints: report.targetFeeShare.value, actualFeeShareBasisPoints: report.actualFeeShare.value,
                stateShareGapBasisPoints: report.stateShareGap
            )
        }
    }

    func aging(_ request: Request, _ context: AuthenticatedContext) async throws -> AgingBody {
        try await backend.accessGuard.authorize(.readProgramReports, target: "reports/aging", context: context)
        let asOf: CivilDate
        if let text = request.uri.queryParameters["asOf"] {
            guard let date = CivilDate(iso8601: text) else {
                throw Problem.badRequest(field: "asOf", reason: "must be a date as YYYY-MM-DD")
            }
            asOf = date
        } else {
            asOf = CivilDate.today
        }
        let invoices = try await backend.database.withTenantTransaction(.center) { connection in
            try await backend.reports.openInvoices(asOf: asOf, on: connection)
        }
        var totals = AgingTotals()
        var lines: [AgingBody.Line] = []
        for invoice in invoices {
            totals.add(openCents: invoice.openCents, dueDate: invoice.dueOn, asOf: asOf)
            lines.append(
                AgingBody.Line(
                    tenantId: invoice.tenantID, tenantName: invoice.tenantName, invoiceId: invoice.invoiceID, number: invoice.number,
                    dueOn: invoice.dueOn, openCents: invoice.openCents, bucket: AgingBucket.of(dueDate: invoice.dueOn, asOf: asOf).rawValue
                )
            )
        }
        var buckets: [String: Int64] = [:]
        for bucket in AgingBucket.allCases { buckets[bucket.rawValue] = totals.cents[bucket] ?? 0 }
        return AgingBody(asOf: asOf, buckets: buckets, totalCents: totals.totalCents, invoices: lines)
    }
}
