import Domain
import Foundation
import Hummingbird
import Services

/// Center admins manage people: create users (analysts, Center admins), disable them, and
/// assign analysts their portfolios.
struct UserRoutes {
    let services: Services

    struct NewUser: Decodable {
        var email: String
        var displayName: String?
        var password: String
        var centerAdmin: Bool?
    }

    func register(on group: RouterGroup<SignedInContext>) {
        group.get("/users") { request, context in
            let page = try PageRequest(request)
            let users = try await services.users.list(context.caller, after: page.cursor, limit: page.limit + 1)
            return page.page(users.map(UserBody.init)) { $0.email.lowercased() }
        }
        group.post("/users") { request, context in
            let body = try await request.decodeJSON(as: NewUser.self, context: context)
            let user = try await services.users.create(
                context.caller,
                .init(email: body.email, displayName: body.displayName, password: body.password, centerAdmin: body.centerAdmin ?? false)
            )
            return try Response.created(UserBody(user), context: context, request: request)
        }
        group.post("/users/{id}/disable") { request, context in
            UserBody(try await services.users.disable(context.caller, try request.uuidParameter("id", context: context)))
        }
        group.put("/analysts/{userId}/portfolio/{tenantId}") { request, context in
            let (userID, tenantID) = try portfolioParameters(request, context)
            try await services.users.assignPortfolio(context.caller, analyst: userID, tenant: tenantID)
            return Response.noContent
        }
        group.delete("/analysts/{userId}/portfolio/{tenantId}") { request, context in
            let (userID, tenantID) = try portfolioParameters(request, context)
            try await services.users.removePortfolio(context.caller, analyst: userID, tenant: tenantID)
            return Response.noContent
        }
    }

    private func portfolioParameters(_ request: Request, _ context: SignedInContext) throws -> (UUID, UUID) {
        (try request.uuidParameter("userId", context: context), try request.uuidParameter("tenantId", context: context))
    }
}
