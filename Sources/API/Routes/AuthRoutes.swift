import Domain
import Foundation
import Hummingbird
import Services
import Storage

/// Sign in, sign out, who am I, change my password.
struct AuthRoutes {
    let services: Services

    struct LoginBody: Decodable {
        var email: String
        var password: String
    }

    struct LoginResult: ResponseEncodable, Sendable {
        var token: String
        var tokenType = "Bearer"
        var expiresInSeconds: Int64
        var user: UserBody
    }

    struct PasswordChange: Decodable {
        var currentPassword: String
        var newPassword: String
    }

    struct PasswordResetRequest: Decodable {
        var email: String
    }

    struct PasswordReset: Decodable {
        var password: String
    }

    struct ResetRequested: ResponseEncodable, Sendable {
        var detail = "If the address belongs to an account, a link to reset its password is on its way; it works once, within an hour."
    }

    struct Me: ResponseEncodable, Sendable {
        var user: UserBody
        var grants: [GrantBody]
    }

    struct Preferences: ResponseEncodable, Sendable {
        var weeklyDigest: Bool
    }

    struct PreferencesPatch: Decodable {
        var weeklyDigest: Bool?
    }

    func registerPublic(on group: RouterGroup<AppRequestContext>) {
        group.post("/auth/login") { request, context in
            let body = try await request.decodeJSON(as: LoginBody.self, context: context)
            let signedIn = try await services.identity.login(
                AnonymousCaller(clientAddress: context.clientAddress), email: body.email, password: body.password
            )
            return LoginResult(token: signedIn.token, expiresInSeconds: signedIn.expiresInSeconds, user: UserBody(signedIn.user))
        }
        // The same answer for every address: 202, and a mail only when there is an account.
        group.post("/auth/password-reset") { request, context in
            let body = try await request.decodeJSON(as: PasswordResetRequest.self, context: context)
            try await services.passwordResets.request(AnonymousCaller(clientAddress: context.clientAddress), email: body.email)
            return EditedResponse(status: .accepted, response: ResetRequested())
        }
        group.post("/auth/password-reset/{token}") { request, context in
            let body = try await request.decodeJSON(as: PasswordReset.self, context: context)
            let token = context.parameters.get("token") ?? ""
            try await services.passwordResets.reset(
                AnonymousCaller(clientAddress: context.clientAddress), token: token, newPassword: body.password
            )
            return Response.noContent
        }
    }

    func register(on group: RouterGroup<SignedInContext>) {
        group.post("/auth/logout") { _, context in
            try await services.identity.logout(context.caller)
            return Response.noContent
        }
        group.get("/me") { _, context in
            let me = try await services.identity.me(context.caller)
            return Me(user: UserBody(me.user), grants: me.grants.map(GrantBody.init))
        }
        group.get("/me/preferences") { _, context in
            Preferences(weeklyDigest: try await services.identity.preferences(context.caller).weeklyDigest)
        }
        group.patch("/me/preferences") { request, context in
            let body = try await request.decodeJSON(as: PreferencesPatch.self, context: context)
            let preferences = try await services.identity.updatePreferences(context.caller, weeklyDigest: body.weeklyDigest)
            return Preferences(weeklyDigest: preferences.weeklyDigest)
        }
        group.post("/auth/password") { request, context in
            let body = try await request.decodeJSON(as: PasswordChange.self, context: context)
            try await services.identity.changePassword(context.caller, current: body.currentPassword, new: body.newPassword)
            return Response.noContent
        }
    }
}
