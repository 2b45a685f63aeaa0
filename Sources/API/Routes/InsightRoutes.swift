import Domain
import Foundation
import Hummingbird
import Services
import Storage

/// The measure library, peer benchmarks, and the portfolio overview.
struct InsightRoutes {
    let services: Services

    struct TemplateBody: Codable, ResponseEncodable, Sendable {
        var id: UUID?
        var name: String
        var definition: String?
        var unit: String
        var direction: Direction
        var frequency: Frequency

        init(_ template: MeasureTemplateRecord) {
            id = template.id
            name = template.name
            definition = template.definition
            unit = template.unit
            direction = template.direction
            frequency = template.frequency
        }
    }

    /// A template's benchmark as the caller may see it (DESIGN.md section 5): named values
    /// with their tenant, and per-period aggregates of the anonymized values of tenants the
    /// caller cannot see, only where at least three such tenants have a value.
    struct BenchmarkBody: ResponseEncodable, Sendable {
        struct Value: Encodable, Sendable {
            var period: CivilDate
            var value: Quantity
        }
        struct NamedSeries: Encodable, Sendable {
            var tenantId: UUID
            var tenantName: String
            var values: [Value]
        }
        struct AnonymizedPeriod: Encodable, Sendable {
            var period: CivilDate
            var sharers: Int
            var count: Int
            var minimum: Quantity
            var maximum: Quantity
            var mean: Quantity
            var median: Quantity
        }
        var templateId: UUID
        var fiscalYear: Int
        var named: [NamedSeries]
        /// Tenants that share anonymously and that the caller cannot see.
        var anonymizedSharers: Int
        var anonymized: [AnonymizedPeriod]

        init(_ benchmark: Benchmark, templateID: UUID, fiscalYear: Int) {
            templateId = templateID
            self.fiscalYear = fiscalYear
            named = benchmark.named.map { series in
                NamedSeries(
                    tenantId: series.tenantID, tenantName: series.tenantName,
                    values: series.values.map { Value(period: $0.period, value: $0.value) }
                )
            }
            anonymizedSharers = benchmark.hiddenSharers
            anonymized = benchmark.anonymized.map {
                AnonymizedPeriod(
                    period: $0.period, sharers: $0.sharers, count: $0.count, minimum: $0.minimum, maximum: $0.maximum,
                    mean: $0.mean, median: $0.median
                )
            }
        }
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
            var openInvoices: Int?
        }
        var asOf: CivilDate
        var tenants: [Tenant]

        init(_ portfolio: InsightService.Portfolio) {
            asOf = portfolio.asOf
            tenants = portfolio.tenants.map {
                Tenant(
                    tenantId: $0.tenantID, name: $0.name, measures: $0.measures.measures, measuresInRed: $0.measures.measuresInRed,
                    measuresDue: $0.measures.measuresDue, openActionItems: $0.openActionItems, overdueActionItems: $0.overdueActionItems,
                    nextMeeting: $0.nextMeeting, openInvoices: $0.openInvoices
                )
            }
        }
    }

    func register(on group: RouterGroup<SignedInContext>) {
        group.get("/library/measures") { request, context in
            let page = try PageRequest(request)
            let templates = try await services.library.list(context.caller, after: page.cursor, limit: page.limit + 1)
            return page.page(templates.map(TemplateBody.init)) { $0.name.lowercased() }
        }
        group.post("/library/measures") { request, context in
            let body = try await request.decodeJSON(as: TemplateBody.self, context: context)
            let template = try await services.library.publish(
                context.caller,
                .init(name: body.name, definition: body.definition, unit: body.unit, direction: body.direction, frequency: body.frequency)
            )
            return try Response.created(TemplateBody(template), context: context, request: request)
        }
        group.get("/benchmarks/{templateId}") { request, context in
            guard let idText = context.parameters.get("templateId"), let templateID = UUID(uuidString: idText) else {
                throw Problem.notFound("There is no such library measure.")
            }
            guard let text = request.uri.queryParameters["fy"], let year = Int(String(text)), (2000...2200).contains(year) else {
                throw Problem.badRequest(field: "fy", reason: "is required: a fiscal year such as 2015")
            }
            let benchmark = try await services.insights.benchmark(context.caller, templateID: templateID, fiscalYear: year)
            return BenchmarkBody(benchmark, templateID: templateID, fiscalYear: year)
        }
        group.get("/portfolio") { request, context in
            let asOf = try DateParameter.optional(request, "asOf")
            let year = try FiscalYearParameter.optional(request)
            return PortfolioBody(try await services.insights.portfolio(context.caller, asOf: asOf, fiscalYear: year))
        }
    }
}
