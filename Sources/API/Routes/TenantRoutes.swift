import Domain
import Foundation
import Hummingbird
import Storage

/// Tenants and their departments: onboarding by Center admins, profiles for everyone who
/// works with the tenant.
struct TenantRoutes {
    let backend: Backend

    struct NewTenant: Decodable {
        var name: String
        var kind: String
        var jurisdiction: String
        var population: Int?
    }

    struct TenantPatch: Decodable {
        var name: String?
        /// Absent: unchanged; null: cleared.
        var population: Int??

        enum CodingKeys: String, CodingKey { case name, population }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decodeIfPresent(String.self, forKey: .name)
            if container.contains(.population) {
                population = .some(try container.decodeNil(forKey: .population) ? nil : container.decode(Int.self, forKey: .population))
            }
        }
    }

    struct NewDepartment: Decodable {
        var name: String
    }

    static let populationRange = 0...100_000_000

    func register(on group: RouterGroup<AuthenticatedContext>) {
        group.get("/tenants") { request, context in try await list(request, context) }
        group.post("/tenants") { request, context in try await create(request, context) }
        group.get("/tenants/{t}") { request, context in try await read(request, context) }
        group.patch("/tenants/{t}") { request, context in try await update(request, context) }
        group.get("/tenants/{t}/departments") { request, context in try await departments(request, context) }
        group.post("/tenants/{t}/departments") { request, context in try await createDepartment(request, context) }
    }

    func list(_ request: Request, _ context: AuthenticatedContext) async throws -> Page<TenantBody> {
        let page = try PageRequest(request)
        let cursor = try page.cursor.map(Self.decodeCursor)
        let principal = context.principal
        let access: TenantAccess = principal.isCenterAdmin ? .center : .tenants(principal.grantedTenantIDs)
        let tenants = try await backend.database.withTenantTransaction(access) { connection in
            try await backend.tenants.list(after: cursor, limit: page.limit + 1, on: connection)
        }
        return page.page(tenants.map(TenantBody.init)) { $0.id.uuidString + $0.name }
    }

    static func decodeCursor(_ key: String) throws -> (String, UUID) {
        guard key.count >= 36, let id = UUID(uuidString: String(key.prefix(36))) else {
            throw Problem.badRequest(field: "cursor", reason: "is not a cursor this API gave out")
        }
        return (String(key.dropFirst(36)), id)
    }

    func create(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        try await backend.accessGuard.authorize(.onboardTenant, target: "tenants", context: context)
        let body = try await request.decodeJSON(as: NewTenant.self, context: context)
        var validation = Validation()
        let name = validation.text(body.name, field: "name")
        let population = validation.integer(body.population, field: "population", in: Self.populationRange)
        try validation.check()
        let tenant = Tenant(id: UUID(), name: name ?? "", kindCode: body.kind, jurisdictionCode: body.jurisdiction, population: population)
        try await backend.database.withTenantTransaction(.tenant(tenant.id)) { connection in
            var catalog = Validation()
            if try await !backend.catalog.unknownTenantKinds([body.kind], on: connection).isEmpty {
                catalog.fail("kind", "is not a tenant kind; see GET /v1/tenant-kinds")
            }
            if try await !backend.catalog.jurisdictionExists(body.jurisdiction, on: connection) {
                catalog.fail("jurisdiction", "is not a jurisdiction; see GET /v1/jurisdictions")
            }
            try catalog.check()
            try await backend.tenants.create(tenant, on: connection)
            try await backend.audit.record(
                context.success("tenants.create", target: "tenants/\(tenant.id)", tenantID: tenant.id),
                on: connection
            )
        }
        return try .created(TenantBody(tenant), context: context, request: request)
    }

    func read(_ request: Request, _ context: AuthenticatedContext) async throws -> TenantBody {
        let tenantID = try request.uuidParameter("t", context: context)
        let access = try await backend.accessGuard.tenant(tenantID, .readTenantProfile, target: "tenants/\(tenantID)", context: context)
        let tenant = try await backend.database.withTenantTransaction(access) { connection in
            try await backend.tenants.find(tenantID, on: connection)
        }
        guard let tenant else { throw Problem.notFound() }
        return TenantBody(tenant)
    }

    func update(_ request: Request, _ context: AuthenticatedContext) async throws -> TenantBody {
        let tenantID = try request.uuidParameter("t", context: context)
        let access = try await backend.accessGuard.tenant(tenantID, .updateTenantProfile, target: "tenants/\(tenantID)", context: context)
        let patch = try await request.decodeJSON(as: TenantPatch.self, context: context)
        var validation = Validation()
        let name = validation.text(patch.name, field: "name", required: false)
        if case .some(.some(let population)) = patch.population {
            _ = validation.integer(population, field: "population", in: Self.populationRange)
        }
        try validation.check()
        let tenant = try await backend.database.withTenantTransaction(access) { connection in
            let tenant = try await backend.tenants.update(tenantID, name: name, population: patch.population, on: connection)
            try await backend.audit.record(
                context.success("tenants.update", target: "tenants/\(tenantID)", tenantID: tenantID),
                on: connection
            )
            return tenant
        }
        guard let tenant else { throw Problem.notFound() }
        return TenantBody(tenant)
    }

    func departments(_ request: Request, _ context: AuthenticatedContext) async throws -> Page<DepartmentBody> {
        let tenantID = try request.uuidParameter("t", context: context)
        let page = try PageRequest(request)
        let cursor = try page.cursor.map(Self.decodeCursor)
        let access = try await backend.accessGuard.tenant(tenantID, .readTenantProfile, target: "tenants/\(tenantID)/departments", context: context)
        let departments = try await backend.database.withTenantTransaction(access) { connection in
            try await backend.tenants.departments(of: tenantID, after: cursor, limit: page.limit + 1, on: connection)
        }
        return page.page(departments.map(DepartmentBody.init)) { $0.id.uuidString + $0.name }
    }

    func createDepartment(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        let tenantID = try request.uuidParameter("t", context: context)
        let access = try await backend.accessGuard.tenant(tenantID, .manageDepartments, target: "tenants/\(tenantID)/departments", context: context)
        let body = try await request.decodeJSON(as: NewDepartment.self, context: context)
        var validation = Validation()
        let name = validation.text(body.name, field: "name")
        try validation.check()
        let department = Department(tenantID: tenantID, id: UUID(), name: name ?? "")
        let created = try await backend.database.withTenantTransaction(access) { connection in
            guard try await backend.tenants.createDepartment(department, on: connection) else { return false }
            try await backend.audit.record(
                context.success("departments.create", target: "departments/\(department.id)", tenantID: tenantID),
                on: connection
            )
            return true
        }
        guard created else { throw Problem.conflict("This tenant has a department of that name.") }
        return try .created(DepartmentBody(department), context: context, request: request)
    }
}
