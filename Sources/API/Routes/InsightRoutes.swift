import Domain
import Foundation
import Hummingbird
import Services
import Storage

/// The measure library, peer benchmarks, and the analyst's portfolio overview.
struct InsightRoutes {
    let backend: Backend

    struct TemplateBody: Codable, ResponseEncodable, Sendable {
        var id: UUID?
        var name: String
        var definition: String?
        var unit: String
        var direction: Direction
        var frequency: Frequency
    }

    struct BenchmarkBody: ResponseEncodable, Sendable {
        struct Value: Encodable, Sendable {
            var period: CivilDate
            var value: Decimal
        }
        struct NamedSeries: Encodable, Sendable {
            var tenantId: UUID
            var tenantName: String
            var values: [Value]
        }
        struct AnonymizedPeriod: Encodable, Sendable {
            var period: CivilDate
            /// Sorted, so that no order gives a tenant away.
            var values: [Decimal]
        }
        var templateId: UUID
        var fiscalYear: Int
        var named: [NamedSeries]
        /// How many tenants share anonymously; their values only when three or more do.
        var anonymizedSharers: Int
        var anonymized: [AnonymizedPeriod]
    }

    struct PortfolioBody: ResponseEncodable, Sendable {
        struct Tenant: Encodable, Sendable {
            var tenantId: UUID
            var name: String
            var measures: Int
            var measuresInRed: Int
            var measuresDue: Int
            var openActionItems: Int
            var overdueActionItems: Int
            var nextMeeting: CivilDate?
            var openInvoices: Int
        }
        var asOf: CivilDate
        var tenants: [Tenant]
    }

    /// Three or more tenants before anonymized values are shown.
    static let minimumAnonymizedSharers = 3

    func register(on group: RouterGroup<AuthenticatedContext>) {
        group.get("/library/measures") { request, context in try await library(request, context) }
        group.post("/library/measures") { request, context in try await publish(request, context) }
        group.get("/benchmarks/{templateId}") { request, context in try await benchmark(request, context) }
        group.get("/portfolio") { request, context in try await portfolio(request, context) }
    }

    func library(_ request: Request, _ context: AuthenticatedContext) async throws -> Page<TemplateBody> {
        try await backend.accessGuard.authorize(.readLibrary, target: "library/measures", context: context)
        let page = try PageRequest(request)
        let templates = try await backend.database.withTransaction { connection in
            try await backend.measures.templates(after: page.cursor, limit: page.limit + 1, on: connection)
        }
        return page.page(templates.map { TemplateBody(id: $0.id, name: $0.name, definition: $0.definition, unit: $0.unit, direction: $0.direction, frequency: $0.frequency) }) {
            $0.name.lowercased()
        }
    }

    func publish(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        try await backend.accessGuard.authorize(.publishLibrary, target: "library/measures", context: context)
        let body = try await request.decodeJSON(as: TemplateBody.self, context: context)
        var validation = Validation()
        let name = validation.text(body.name, field: "name")
        let unit = validation.text(body.unit, field: "unit", maximumLength: 50)
        let definition = body.definition ?? ""
        if definition.count > 2000 { validation.fail("definition", "must be at most 2000 characters") }
        try validation.check()
        let template = MeasureTemplateRecord(id: UUID(), name: name ?? "", definition: definition, unit: unit ?? "", direction: body.direction, frequency: body.frequency)
        try await backend.database.withTransaction { connection in
            guard try await backend.measures.publish(template, by: context.userID, on: connection) else {
                throw Problem.conflict("The library has a measure named \(template.name).")
            }
            try await backend.audit.record(context.success("library.publish", target: "library/measures/\(template.id)"), on: connection)
        }
        return try .created(
            TemplateBody(id: template.id, name: template.name, definition: template.definition, unit: template.unit, direction: template.direction, frequency: template.frequency),
            context: context, request: request
        )
    }

    func benchmark(_ request: Request, _ context: AuthenticatedContext) async throws -> BenchmarkBody {
        try await backend.accessGuard.authorize(.readLibrary, target: "benchmarks", context: context)
        guard let text = context.parameters.get("templateId"), let templateID = UUID(uuidString: text) else {
            throw Problem.notFound("There is no such library measure.")
        }
        guard let yearText = request.uri.queryParameters["fy"], let year = Int(String(yearText)), (2000...2200).contains(year) else {
            throw Problem.badRequest(field: "fy", reason: "is required: a fiscal year such as 2015")
        }
        let principal = context.principal
        // The caller's own tenants are visible as usual; other tenants only through the
        // shared-row policies of the benchmark transaction.
        let access: TenantAccess = principal.isCenterAdmin ? .none : .tenants(principal.grantedTenantIDs)
        let fiscalYear = FiscalYear(endingYear: year, startMonth: 7)
        let values = try await backend.database.withTenantTransaction(access) { connection in
            guard try await backend.measures.template(templateID, on: connection) != nil else {
                throw Problem.notFound("There is no such library measure.")
            }
            return try await backend.insights.benchmark(templateID: templateID, from: fiscalYear.firstDay, through: fiscalYear.lastDay, on: connection)
        }
        var named: [UUID: BenchmarkBody.NamedSeries] = [:]
        var anonymizedTenants: Set<UUID> = []
        var anonymized: [CivilDate: [Decimal]] = [:]
        for value in values {
            switch value.sharing {
            case .named:
                named[value.tenantID, default: .init(tenantId: value.tenantID, tenantName: value.tenantName ?? "", values: [])]
                    .values.append(.init(period: value.period, value: value.value))
            case .anonymized:
                anonymizedTenants.insert(value.tenantID)
                anonymized[value.period, default: []].append(value.value)
            case .private:
                continue
            }
        }
        let showsAnonymized = anonymizedTenants.count >= Self.minimumAnonymizedSharers
        return BenchmarkBody(
            templateId: templateID,
            fiscalYear: year,
            named: named.values.sorted { $0.tenantName < $1.tenantName },
            anonymizedSharers: anonymizedTenants.count,
            anonymized: showsAnonymized
                ? anonymized.keys.sorted().map { BenchmarkBody.AnonymizedPeriod(period: $0, values: anonymized[$0, default: []].sorted()) } : []
        )
    }

    func portfolio(_ request: Request, _ context: AuthenticatedContext) async throws -> PortfolioBody {
        let principal = context.principal
        var today = CivilDate.today
        if let text = request.uri.queryParameters["asOf"] {
            guard let date = CivilDate(iso8601: text) else {
                throw Problem.badRequest(field: "asOf", reason: "must be a date as YYYY-MM-DD")
            }
            today = date
        }
        var requestedYear: Int?
        if let text = request.uri.queryParameters["fy"] {
            guard let year = Int(String(text)), (2000...2200).contains(year) else {
                throw Problem.badRequest(field: "fy", reason: "must be a fiscal year such as 2015")
            }
            requestedYear = year
        }
        let access: TenantAccess = principal.isCenterAdmin ? .center : .tenants(principal.grantedTenantIDs)
        return try await backend.database.withTenantTransaction(access) { connection in
            let tenants = try await backend.tenants.list(on: connection)
            let ids = tenants.map(\.id)
            let year = requestedYear ?? FiscalYear.containing(today, startMonth: 7).endingYear
            let rows = try await backend.measures.dashboard(tenantIDs: ids, departmentID: nil, fiscalYear: year, periods: 4, on: connection)
            let activity = try await backend.insights.activity(tenantIDs: ids, today: today, on: connection)
            var measures: [UUID: (count: Int, red: Int, due: Int)] = [:]
            for row in rows {
                var counts = measures[row.measure.tenantID, default: (0, 0, 0)]
                counts.count += 1
                if row.status == .red { counts.red += 1 }
                // Due: the period after the latest value has ended, or there is no value.
                let latest = row.points.last?.period
                if latest.map({ row.measure.frequency.nextPeriod(after: row.measure.frequency.nextPeriod(after: $0)) <= today }) ?? true {
                    counts.due += 1
                }
                measures[row.measure.tenantID] = counts
            }
            return PortfolioBody(
                asOf: today,
                tenants: tenants.map { tenant in
                    let counts = measures[tenant.id, default: (0, 0, 0)]
                    let activity = activity[tenant.id]
                    return PortfolioBody.Tenant(
                        tenantId: tenant.id, name: tenant.name, measures: counts.count, measuresInRed: counts.red, measuresDue: counts.due,
                        openActionItems: activity?.openActionItems ?? 0, overdueActionItems: activity?.overdueActionItems ?? 0,
                        nextMeeting: activity?.nextMeeting, openInvoices: activity?.openInvoices ?? 0
                    )
                }
            )
        }
    }
}
