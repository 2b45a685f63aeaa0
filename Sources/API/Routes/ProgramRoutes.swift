import Billing
import Domain
import Foundation
import Hummingbird
import Services
import Storage

/// Programs and their years: budgets, fee schedules, grants, invoice runs and the
/// funding report; funding sources; the aging report. Written by Center admins.
struct ProgramRoutes {
    let services: Services

    struct ProgramBody: Codable, ResponseEncodable, Sendable {
        var code: String
        var name: String
        var jurisdiction: String
        /// Tenant kinds the program accepts; empty or absent: any.
        var tenantKinds: [String]?

        init(_ record: ProgramRecord) {
            code = record.code
            name = record.name
            jurisdiction = record.jurisdictionCode
            tenantKinds = record.tenantKinds
        }
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

        init(_ schedule: FeeSchedule) {
            tiers = schedule.tiers.map { Tier(minimumSize: $0.minimumSize, feeCents: $0.feeCents) }
        }
    }

    struct FundingSourceBody: Codable, ResponseEncodable, Sendable {
        var code: String
        var name: String
        var jurisdiction: String

        init(_ record: FundingSourceRecord) {
            code = record.code
            name = record.name
            jurisdiction = record.jurisdictionCode
        }
    }

    struct GrantBody: Codable, ResponseEncodable, Sendable {
        var id: UUID?
        var fundingSource: String
        var amountCents: Int64
        var awardedOn: CivilDate

        init(_ grant: GrantAwardRecord) {
            id = grant.id
            fundingSource = grant.fundingSourceCode
            amountCents = grant.amountCents
            awardedOn = grant.awardedOn
        }
    }

    struct RunResult: Codable, ResponseEncodable, Sendable {
        var program: String
        var fiscalYear: Int
        var draftsCreated: Int
    }

    func register(on group: RouterGroup<SignedInContext>) {
        group.get("/programs") { request, context in
            let page = try PageRequest(request)
            let programs = try await services.programs.list(context.caller, after: page.cursor, limit: page.limit + 1)
            return page.page(programs.map(ProgramBody.init)) { $0.code }
        }
        group.post("/programs") { request, context in
            let body = try await request.decodeJSON(as: ProgramBody.self, context: context)
            let program = try await services.programs.create(
                context.caller,
                ProgramRecord(code: body.code, name: body.name, jurisdictionCode: body.jurisdiction, tenantKinds: body.tenantKinds ?? [])
            )
            return try Response.created(ProgramBody(program), context: context, request: request)
        }
        group.get("/programs/{code}/years/{fy}") { request, context in
            let (program, year) = try Self.programYear(context)
            return Self.body(try await services.programs.year(context.caller, program: program, fiscalYear: year))
        }
        group.put("/programs/{code}/years/{fy}") { request, context in
            let (program, year) = try Self.programYear(context)
            let body = try await request.decodeJSON(as: ProgramYearBody.self, context: context)
            let saved = try await services.programs.saveYear(
                context.caller,
                ProgramYearRecord(
                    programCode: program, fiscalYear: year, budgetCents: body.budgetCents,
                    targetStateShareBasisPoints: body.targetStateShareBasisPoints, analystHeadcount: body.analystHeadcount
                )
            )
            return Self.body(saved)
        }
        group.get("/programs/{code}/years/{fy}/fee-schedule") { request, context in
            let (program, year) = try Self.programYear(context)
            return FeeScheduleBody(try await services.programs.feeSchedule(context.caller, program: program, fiscalYear: year))
        }
        group.put("/programs/{code}/years/{fy}/fee-schedule") { request, context in
            let (program, year) = try Self.programYear(context)
            let body = try await request.decodeJSON(as: FeeScheduleBody.self, context: context)
            let schedule = try await services.programs.saveFeeSchedule(
                context.caller, program: program, fiscalYear: year,
                tiers: body.tiers.map { FeeSchedule.Tier(minimumSize: $0.minimumSize, feeCents: $0.feeCents) }
            )
            return FeeScheduleBody(schedule)
        }
        group.get("/programs/{code}/years/{fy}/grants") { request, context in
            let (program, year) = try Self.programYear(context)
            let grants = try await services.programs.grants(context.caller, program: program, fiscalYear: year)
            return try PageRequest(request).page(ofWhole: grants.map(GrantBody.init))
        }
        group.post("/programs/{code}/years/{fy}/grants") { request, context in
            let (program, year) = try Self.programYear(context)
            let bytes = try await request.collectJSONBody(context: context)
            let body = try Request.decodeJSON(as: GrantBody.self, from: bytes)
            let outcome = try await services.programs.awardGrant(
                context.caller, program: program, fiscalYear: year,
                .init(fundingSource: body.fundingSource, amountCents: body.amountCents, awardedOn: body.awardedOn),
                idempotency: try Idempotency.command(of: request, body: bytes),
                render: { try Idempotency.render(GrantBody($0)) }
            )
            return Idempotency.response(outcome)
        }
        group.post("/programs/{code}/years/{fy}/invoice-runs") { request, context in
            let (program, year) = try Self.programYear(context)
            let bytes = try await request.body.collect(upTo: context.maxUploadSize)
            let outcome = try await services.invoiceRuns.run(
                context.caller, program: program, fiscalYear: year,
                idempotency: try Idempotency.command(of: request, body: bytes),
                render: { try Idempotency.render(RunResult(program: $0.program, fiscalYear: $0.fiscalYear, draftsCreated: $0.draftsCreated)) }
            )
            return Idempotency.response(outcome)
        }
        group.get("/programs/{code}/years/{fy}/funding-report") { request, context in
            let (program, year) = try Self.programYear(context)
            return BillingReportBodies.Funding(try await services.billingReports.funding(context.caller, program: program, fiscalYear: year))
        }
        group.get("/funding-sources") { request, context in
            let page = try PageRequest(request)
            let sources = try await services.programs.fundingSources(context.caller, after: page.cursor, limit: page.limit + 1)
            return page.page(sources.map(FundingSourceBody.init)) { $0.code }
        }
        group.post("/funding-sources") { request, context in
            let body = try await request.decodeJSON(as: FundingSourceBody.self, context: context)
            let source = try await services.programs.createFundingSource(
                context.caller, FundingSourceRecord(code: body.code, name: body.name, jurisdictionCode: body.jurisdiction)
            )
            return try Response.created(FundingSourceBody(source), context: context, request: request)
        }
        group.get("/reports/aging") { request, context in
            let asOf = try DateParameter.optional(request, "asOf")
            return BillingReportBodies.Aging(try await services.billingReports.aging(context.caller, asOf: asOf))
        }
    }

    /// `{code}` and `{fy}`; 404 for a year that cannot be.
    static func programYear(_ context: some RequestContext) throws -> (String, Int) {
        guard let code = context.parameters.get("code"), let text = context.parameters.get("fy"),
            let year = Int(text), (2000...2200).contains(year)
        else { throw Problem.notFound("There is no such program year.") }
        return (code, year)
    }

    static func body(_ record: ProgramYearRecord) -> ProgramYearBody {
        ProgramYearBody(
            program: record.programCode, fiscalYear: record.fiscalYear, budgetCents: record.budgetCents,
            targetStateShareBasisPoints: record.targetStateShareBasisPoints, analystHeadcount: record.analystHeadcount
        )
    }
}

/// The bodies of the Center's reports.
enum BillingReportBodies {
    struct Funding: ResponseEncodable, Sendable {
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

        init(_ funding: BillingReportService.Funding) {
            let report = funding.report
            program = funding.program
            fiscalYear = funding.fiscalYear
            enrolledTenants = funding.enrolledTenants
            analystHeadcount = funding.analystHeadcount
            budgetCents = report.budgetCents
            grantsAwardedCents = report.grantsAwardedCents
            feesInvoicedCents = report.feesInvoicedCents
            feesCollectedCents = report.feesCollectedCents
            feesOutstandingCents = report.feesOutstandingCents
            fundingGapCents = report.fundingGapCents
            targetStateShareBasisPoints = report.targetStateShare.value
            actualStateShareBasisPoints = report.actualStateShare.value
            targetFeeShareBasisPoints = report.targetFeeShare.value
            actualFeeShareBasisPoints = report.actualFeeShare.value
            stateShareGapBasisPoints = report.stateShareGap
        }
    }

    struct Aging: ResponseEncodable, Sendable {
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

        init(_ aging: BillingReportService.Aging) {
            asOf = aging.asOf
            var buckets: [String: Int64] = [:]
            for bucket in AgingBucket.allCases { buckets[bucket.rawValue] = aging.totals.cents[bucket] ?? 0 }
            self.buckets = buckets
            totalCents = aging.totals.totalCents
            invoices = aging.lines.map { line in
                Line(
                    tenantId: line.invoice.tenantID, tenantName: line.invoice.tenantName, invoiceId: line.invoice.invoiceID,
                    number: line.invoice.number, dueOn: line.invoice.dueOn, openCents: line.invoice.openCents, bucket: line.bucket.rawValue
                )
            }
        }
    }
}
