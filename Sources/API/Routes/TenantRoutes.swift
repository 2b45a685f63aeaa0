import Domain
import Foundation
import Hummingbird
import Services

/// Tenants and their departments: onboarding by Center admins, profiles for everyone who
/// works with the tenant.
struct TenantRoutes {
    let services: Services

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
        var dataDueDay: Int?
        /// Absent: unchanged; null: cleared.
        var billingEmail: String??

        enum CodingKeys: String, CodingKey { case name, population, dataDueDay, billingEmail }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decodeIfPresent(String.self, forKey: .name)
            dataDueDay = try container.decodeIfPresent(Int.self, forKey: .dataDueDay)
            if container.contains(.billingEmail) {
                billingEmail = .some(try container.decodeNil(forKey: .billingEmail) ? nil : container.decode(String.self, forKey: .billingEmail))
            }
            if container.contains(.population) {
                population = .some(try container.decodeNil(forKey: .population) ? nil : container.decode(Int.self, forKey: .population))
            }
        }
    }

    struct NewDepartment: Decodable {
        var name: String
    }

    func register(on group: RouterGroup<SignedInContext>) {
        group.get("/tenants") { request, context in
            let page = try PageRequest(request)
            let cursor = try page.cursor.map(Self.decodeCursor)
            let tenants = try await services.tenants.list(context.caller, after: cursor, limit: page.limit + 1)
            return page.page(tenants.map(TenantBody.init)) { $0.id.uuidString + $0.name }
        }
        group.post("/tenants") { request, context in
            let body = try await request.decodeJSON(as: NewTenant.self, context: context)
            let tenant = try await services.tenants.onboard(
                context.caller, .init(name: body.name, kind: body.kind, jurisdiction: body.jurisdiction, population: body.population)
            )
            return try Response.created(TenantBody(tenant), context: context, request: request)
        }
        group.get("/tenants/{t}") { request, context in
            TenantBody(try await services.tenants.profile(context.caller, try request.uuidParameter("t", context: context)))
        }
        group.patch("/tenants/{t}") { request, context in
            let tenantID = try request.uuidParameter("t", context: context)
            let patch = try await request.decodeJSON(as: TenantPatch.self, context: context)
            let tenant = try await services.tenants.updateProfile(
                context.caller, tenantID, .init(
                    name: patch.name, population: patch.population, dataDueDay: patch.dataDueDay, billingEmail: patch.billingEmail
                )
            )
            return TenantBody(tenant)
        }
        group.get("/tenants/{t}/departments") { request, context in
            let tenantID = try request.uuidParameter("t", context: context)
            let page = try PageRequest(request)
            let cursor = try page.cursor.map(Self.decodeCursor)
            let departments = try await services.tenants.departments(context.caller, tenantID, after: cursor, limit: page.limit + 1)
            return page.page(departments.map(DepartmentBody.init)) { $0.id.uuidString + $0.name }
        }
        group.post("/tenants/{t}/departments") { request, context in
            let tenantID = try request.uuidParameter("t", context: context)
            let body = try await request.decodeJSON(as: NewDepartment.self, context: context)
            let department = try await services.tenants.createDepartment(context.caller, tenantID, name: body.name)
            return try Response.created(DepartmentBody(department), context: context, request: request)
        }
    }

    /// A keyset cursor of a list sorted by name: the id (36 characters), then the name.
    static func decodeCursor(_ key: String) throws -> (String, UUID) {
        guard key.count >= 36, let id = UUID(uuidString: String(key.prefix(36))) else {
            throw Cursor.noSuchPage
        }
        return (String(key.dropFirst(36)), id)
    }
}
