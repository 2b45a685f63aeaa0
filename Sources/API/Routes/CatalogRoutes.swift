import Domain
import Foundation
import Hummingbird
import Services
import Storage

/// Jurisdictions and tenant kinds: data a Center admin adds, no code and no migration.
struct CatalogRoutes {
    let backend: Backend

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

    func register(on group: RouterGroup<AuthenticatedContext>) {
        group.get("/jurisdictions") { request, context in try await listJurisdictions(request, context) }
        group.post("/jurisdictions") { request, context in try await createJurisdiction(request, context) }
        group.get("/tenant-kinds") { request, context in try await listKinds(request, context) }
        group.post("/tenant-kinds") { request, context in try await createKind(request, context) }
    }

    func listJurisdictions(_ request: Request, _ context: AuthenticatedContext) async throws -> Page<JurisdictionBody> {
        try await backend.accessGuard.authorize(.readCatalog, target: "jurisdictions", context: context)
        let page = try PageRequest(request)
        let records = try await backend.database.withTransaction { connection in
            try await backend.catalog.jurisdictions(after: page.cursor, limit: page.limit + 1, on: connection)
        }
        return page.page(records.map(JurisdictionBody.init)) { $0.code }
    }

    func createJurisdiction(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        try await backend.accessGuard.authorize(.manageCatalog, target: "jurisdictions", context: context)
        let body = try await request.decodeJSON(as: JurisdictionBody.self, context: context)
        var validation = Validation()
        if body.code.range(of: "^[A-Z]{2,8}$", options: .regularExpression) == nil {
            validation.fail("code", "must be 2 to 8 capital letters, such as MA or RI")
        }
        let name = validation.text(body.name, field: "name")
        let month = validation.integer(body.fiscalYearStartMonth, field: "fiscalYearStartMonth", in: 1...12, required: true)
        let currency = body.currency ?? "USD"
        if currency.range(of: "^[A-Z]{3}$", options: .regularExpression) == nil {
            validation.fail("currency", "must be an ISO 4217 code such as USD")
        }
        try validation.check()
        let record = JurisdictionRecord(code: body.code, name: name ?? "", fiscalYearStartMonth: month ?? 7, currency: currency)
        try await backend.database.withTransaction { connection in
            guard try await backend.catalog.add(record, on: connection) else {
                throw Problem.conflict("Jurisdiction \(record.code) exists.")
            }
            try await backend.audit.record(
                context.success("jurisdictions.create", target: "jurisdictions/\(record.code)"),
                on: connection
            )
        }
        return try .created(JurisdictionBody(record), context: context, request: request)
    }

    func listKinds(_ request: Request, _ context: AuthenticatedContext) async throws -> Page<TenantKindBody> {
        try await backend.accessGuard.authorize(.readCatalog, target: "tenant-kinds", context: context)
        let page = try PageRequest(request)
        let records = try await backend.database.withTransaction { connection in
            try await backend.catalog.tenantKinds(after: page.cursor, limit: page.limit + 1, on: connection)
        }
        return page.page(records.map(TenantKindBody.init)) { $0.code }
    }

    func createKind(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        try await backend.accessGuard.authorize(.manageCatalog, target: "tenant-kinds", context: context)
        let body = try await request.decodeJSON(as: TenantKindBody.self, context: context)
        var validation = Validation()
        if body.code.range(of: "^[a-z][a-z0-9_]{1,39}$", options: .regularExpression) == nil {
            validation.fail("code", "must be 2 to 40 lowercase letters, digits or _, such as school_district")
        }
        let name = validation.text(body.name, field: "name")
        let title = validation.text(body.executiveTitle, field: "executiveTitle")
        let unit = validation.text(body.unitName ?? "Department", field: "unitName", maximumLength: 100)
        let size = body.sizeMeasure ?? "population"
        if !["population", "enrollment"].contains(size) {
            validation.fail("sizeMeasure", "must be population or enrollment")
        }
        try validation.check()
        let record = TenantKindRecord(code: body.code, name: name ?? "", executiveTitle: title ?? "", unitName: unit ?? "Department", sizeMeasure: size)
        try await backend.database.withTransaction { connection in
            guard try await backend.catalog.add(record, on: connection) else {
                throw Problem.conflict("Tenant kind \(record.code) exists.")
            }
            try await backend.audit.record(
                context.success("tenant-kinds.create", target: "tenant-kinds/\(record.code)"),
                on: connection
            )
        }
        return try .created(TenantKindBody(record), context: context, request: request)
    }
}
