import Domain
import Foundation
import Hummingbird
import Services
import Storage

/// Jurisdictions and tenant kinds: data a Center admin adds, no code and no migration.
struct CatalogRoutes {
    let services: Services

    struct JurisdictionBody: Codable, ResponseEncodable, Sendable {
        var code: String
        var name: String
        var fiscalYearStartMonth: Int
        var currency: String?

        init(_ record: JurisdictionRecord) {
            self.code = record.code
            self.name = record.name
            self.fiscalYearStartMonth = record.fiscalYearStartMonth
            self.currency = record.currency
        }
    }

    struct TenantKindBody: Codable, ResponseEncodable, Sendable {
        var code: String
        var name: String
        var executiveTitle: String
        var unitName: String?
        var sizeMeasure: String?

        init(_ record: TenantKindRecord) {
            self.code = record.code
            self.name = record.name
            self.executiveTitle = record.executiveTitle
            self.unitName = record.unitName
            self.sizeMeasure = record.sizeMeasure
        }
    }

    func register(on group: RouterGroup<SignedInContext>) {
        group.get("/jurisdictions") { request, context in
            let page = try PageRequest(request)
            let records = try await services.catalog.jurisdictions(context.caller, after: page.cursor, limit: page.limit + 1)
            return page.page(records.map(JurisdictionBody.init)) { $0.code }
        }
        group.post("/jurisdictions") { request, context in
            let body = try await request.decodeJSON(as: JurisdictionBody.self, context: context)
            let record = try await services.catalog.addJurisdiction(
                context.caller,
                .init(code: body.code, name: body.name, fiscalYearStartMonth: body.fiscalYearStartMonth, currency: body.currency)
            )
            return try Response.created(JurisdictionBody(record), context: context, request: request)
        }
        group.get("/tenant-kinds") { request, context in
            let page = try PageRequest(request)
            let records = try await services.catalog.tenantKinds(context.caller, after: page.cursor, limit: page.limit + 1)
            return page.page(records.map(TenantKindBody.init)) { $0.code }
        }
        group.post("/tenant-kinds") { request, context in
            let body = try await request.decodeJSON(as: TenantKindBody.self, context: context)
            let record = try await services.catalog.addTenantKind(
                context.caller,
                .init(
                    code: body.code, name: body.name, executiveTitle: body.executiveTitle,
                    unitName: body.unitName, sizeMeasure: body.sizeMeasure
                )
            )
            return try Response.created(TenantKindBody(record), context: context, request: request)
        }
    }
}
