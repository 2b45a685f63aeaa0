import Domain
import Foundation
import Hummingbird
import Services
import Storage

/// Center admins manage people: create users (analysts, Center admins), disable them, and
/// assign analysts their portfolios.
struct UserRoutes {
    let backend: Backend

    struct NewUser: Decodable {
        var email: String
        var displayName: String?
        var password: String
        var centerAdmin: Bool?
    }

    func register(on group: RouterGroup<AuthenticatedContext>) {
        group.get("/users") { request, context in try await list(request, context) }
        group.post("/users") { request, context in try await create(request, context) }
        group.post("/users/{id}/disable") { request, context in try await disable(request, context) }
        group.put("/analysts/{userId}/portfolio/{tenantId}") { request, context in
            try await assign(request, context)
        }
        group.delete("/analysts/{userId}/portfolio/{tenantId}") { request, context in
            try await unassign(request, context)
        }
    }

    func list(_ request: Request, _ context: AuthenticatedContext) async throws -> Page<UserBody> {
        try await backend.accessGuard.authorize(.manageUsers, target: "users", context: context)
        let page = try PageRequest(request)
        let users = try await backend.database.withTransaction { connection in
            try await backend.users.list(after: page.cursor, limit: page.limit + 1, on: connection)
        }
        return page.page(users.map(UserBody.init)) { $0.email.lowercased() }
    }

    func create(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        try await backend.accessGuard.authorize(.manageUsers, target: "users", context: context)
        let body = try await request.decodeJSON(as: NewUser.self, context: context)
        var validation = Validation()
        let email = validation.email(body.email)
        let name = validation.text(body.displayName ?? "", field: "displayName", required: false) ?? ""
        let password = validation.password(body.password)
        try validation.check()
        guard let email, let password else { throw ServiceError.invalid(validation.errors) }
        let hash = try await backend.hasher.hash(password)
        let user = try await backend.database.withTransaction { connection in
            let user = try await backend.users.create(
                email: email,
                displayName: name,
                passwordHash: hash,
                isCenterAdmin: body.centerAdmin ?? false,
                on: connection
            )
            if let user {
                try await backend.audit.record(
                    context.success("users.create", target: "users/\(user.id)"),
                    on: connection
                )
            }
            return user
        }
        guard let user else {
            throw Problem.conflict("A user with this e-mail exists.")
        }
        return try .created(UserBody(user), context: context, request: request)
    }

    func disable(_ request: Request, _ context: AuthenticatedContext) async throws -> UserBody {
        let userID = try request.uuidParameter("id", context: context)
        try await backend.accessGuard.authorize(.manageUsers, target: "users/\(userID)", context: context)
        guard userID != context.userID else {
            throw Problem.conflict("You cannot disable yourself; ask another Center admin.")
        }
        let user = try await backend.database.withTransaction { connection in
            guard try await backend.users.disable(userID, on: connection) else { return UserRecord?.none }
            try await backend.audit.record(
                context.success("users.disable", target: "users/\(userID)"),
                on: connection
            )
            return try await backend.users.user(id: userID, on: connection)
        }
        guard let user else { throw Problem.notFound("There is no such user.") }
        return UserBody(user)
    }

    func assign(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        let (userID, tenantID) = try portfolioParameters(request, context)
        try await backend.accessGuard.authorize(.manageUsers, target: "analysts/\(userID)/portfolio/\(tenantID)", context: context)
        try await backend.database.withTenantTransaction(.tenant(tenantID)) { connection in
            guard try await backend.tenants.find(tenantID, on: connection) != nil else {
                throw Problem.notFound("There is no such tenant.")
            }
            guard let user = try await backend.users.user(id: userID, on: connection), !user.isDisabled else {
                throw Problem.notFound("There is no such user.")
            }
            try await backend.users.assignPortfolio(analyst: userID, tenant: tenantID, on: connection)
            try await backend.audit.record(
                context.success("portfolio.assign", target: "users/\(userID)", tenantID: tenantID),
                on: connection
            )
        }
        return .noContent
    }

    func unassign(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        let (userID, tenantID) = try portfolioParameters(request, context)
        try await backend.accessGuard.authorize(.manageUsers, target: "analysts/\(userID)/portfolio/\(tenantID)", context: context)
        try await backend.database.withTenantTransaction(.tenant(tenantID)) { connection in
            guard try await backend.users.removePortfolio(analyst: userID, tenant: tenantID, on: connection) else {
                throw Problem.notFound("This tenant is not in this analyst's portfolio.")
            }
            try await backend.audit.record(
                context.success("portfolio.remove", target: "users/\(userID)", tenantID: tenantID),
                on: connection
            )
        }
        return .noContent
    }

    private func portfolioParameters(_ request: Request, _ context: AuthenticatedContext) throws -> (UUID, UUID) {
        (try request.uuidParameter("userId", context: context), try request.uuidParameter("tenantId", context: context))
    }
}
