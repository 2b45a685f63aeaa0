import Domain
import Foundation
import Hummingbird
import Logging
import PostgresNIO
import Storage

/// Jurisdictions and tenant kinds: data a Center admin adds, no code and no migration.
struct CatalogRoutes {
    let backend: Backend

    struct Jurisdiction: Codable, ResponseEncodable, Sendable {
        var code: String
        var name: String
        var fiscalYearStartMonth: Int
        var currency: String?
    }

    struct TenantKind: Codable, ResponseEncodable, Sendable {
        var code: String
        var name: String
        var executiveTitle: String
        var unitName: String?
        var sizeMeasure: String?
    }

    func register(on group: RouterGroup<AuthenticatedContext>) {
        group.get("/jurisdictions") { request, _ in try await listJurisdictions(request) }
        group.post("/jurisdictions") { request, context in try await createJurisdiction(request, context) }
        group.get("/tenant-kinds") { request, _ in try await listKinds(request) }
        group.post("/tenant-kinds") { request, context in try await createKind(request, context) }
    }

    func listJurisdictions(_ request: Request) async throws -> Page<Jurisdiction> {
        let page = try PageRequest(request)
        let items = try await backend.database.withTransaction { connection in
            let rows = try await connection.query(
                """
                SELECT code, name, fiscal_year_start_month::int, currency::text FROM jurisdictions
                WHERE \(page.cursor)::text IS NULL OR code > \(page.cursor) ORDER BY code LIMIT \(page.limit + 1)
                """,
                logger: backend.database.logger
            )
            var items: [Jurisdiction] = []
            for try await (code, name, month, currency) in rows.decode((String, String, Int, String).self) {
                items.append(Jurisdiction(code: code, name: name, fiscalYearStartMonth: month, currency: currency))
            }
            return items
        }
        return page.page(items) { $0.code }
    }

    func createJurisdiction(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        try await backend.accessGuard.authorize(.manageCatalog, target: "jurisdictions", context: context)
        let body = try await request.decodeJSON(as: Jurisdiction.self, context: context)
        var validation = Validation()
        if body.code.range(of: "^[A-Z]{2,8}$", options: .regularExpression) == nil {
            validation.fail("code", "must be 2 to 8 capital letters, such as MA or RI")
        }
        let name = validation.text(body.name, field: "name")
        _ = validation.integer(body.fiscalYearStartMonth, field: "fiscalYearStartMonth", in: 1...12, required: true)
        let currency = body.currency ?? "USD"
        if currency.range(of: "^[A-Z]{3}$", options: .regularExpression) == nil {
            validation.fail("currency", "must be an ISO 4217 code such as USD")
        }
        try validation.check()
        let created = try await backend.database.withTransaction { connection in
            let rows = try await connection.query(
                """
                INSERT INTO jurisdictions (code, name, fiscal_year_start_month, currency)
                VALUES (\(body.code), \(name ?? ""), \(Int16(body.fiscalYearStartMonth)), \(currency))
                ON CONFLICT (code) DO NOTHING RETURNING code
                """,
                logger: backend.database.logger
            )
            var inserted = false
            for try await _ in rows { inserted = true }
            if inserted {
                try await backend.audit.record(
                    AuditEvent(tenantID: nil, actorID: context.userID, action: "jurisdictions.create", target: "jurisdictions/\(body.code)", outcome: .success, clientAddress: context.clientAddress),
                    on: connection
                )
            }
            return inserted
        }
        guard created else { throw Problem.conflict("Jurisdiction \(body.code) exists.") }
        var result = body
        result.name = name ?? body.name
        result.currency = currency
        return try .created(result, context: context, request: request)
    }

    func listKinds(_ request: Request) async throws -> Page<TenantKind> {
        let page = try PageRequest(request)
        let items = try await backend.database.withTransaction { connection in
            let rows = try await connection.query(
                """
                SELECT code, name, executive_title, unit_name, size_measure FROM tenant_kinds
                WHERE \(page.cursor)::text IS NULL OR code > \(page.cursor) ORDER BY code LIMIT \(page.limit + 1)
                """,
                logger: backend.database.logger
            )
            var items: [TenantKind] = []
            for try await (code, name, title, unit, size) in rows.decode((String, String, String, String, String).self) {
                items.append(TenantKind(code: code, name: name, executiveTitle: title, unitName: unit, sizeMeasure: size))
            }
            return items
        }
        return page.page(items) { $0.code }
    }

    func createKind(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        try await backend.accessGuard.authorize(.manageCatalog, target: "tenant-kinds", context: context)
        let body = try await request.decodeJSON(as: TenantKind.self, context: context)
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
        let kind = TenantKind(code: body.code, name: name ?? "", executiveTitle: title ?? "", unitName: unit, sizeMeasure: size)
        let created = try await backend.database.withTransaction { connection in
            let rows = try await connection.query(
                """
                INSERT INTO tenant_kinds (code, name, executive_title, unit_name, size_measure)
                VALUES (\(kind.code), \(kind.name), \(kind.executiveTitle), \(kind.unitName ?? "Department"), \(size))
                ON CONFLICT (code) DO NOTHING RETURNING code
                """,
                logger: backend.database.logger
            )
            var inserted = false
            for try await _ in rows { inserted = true }
            if inserted {
                try await backend.audit.record(
                    AuditEvent(tenantID: nil, actorID: context.userID, action: "tenant-kinds.create", target: "tenant-kinds/\(kind.code)", outcome: .success, clientAddress: context.clientAddress),
                    on: connection
                )
            }
            return inserted
        }
        guard created else { throw Problem.conflict("Tenant kind \(body.code) exists.") }
        return try .created(kind, context: context, request: request)
    }
}
