import Domain
import Foundation
import Hummingbird
import Storage

/// Sign in, sign out, who am I, change my password.
struct AuthRoutes {
    let backend: Backend

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

    struct Me: ResponseEncodable, Sendable {
        var user: UserBody
        var grants: [GrantBody]
    }

    func registerPublic(on group: RouterGroup<AppRequestContext>) {
        group.post("/auth/login") { request, context in try await login(request, context) }
    }

    func register(on group: RouterGroup<AuthenticatedContext>) {
        group.post("/auth/logout") { _, context in try await logout(context) }
        group.get("/me") { _, context in
            Me(user: UserBody(context.session.user), grants: context.principal.grants.map(GrantBody.init))
        }
        group.post("/auth/password") { request, context in try await changePassword(request, context) }
    }

    func login(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let body = try await request.decodeJSON(as: LoginBody.self, context: context)
        var validation = Validation()
        let email = validation.email(body.email)
        if body.password.isEmpty { validation.fail("password", "is required") }
        try validation.check()
        guard let email else { throw Problem.validation(validation.errors) }

        var keys = [LoginThrottle.accountKey(email)]
        if let address = context.clientAddress { keys.append(LoginThrottle.addressKey(address)) }
        let locked = try await backend.database.withTransaction { connection in
            try await backend.throttle.isLocked(keys, on: connection)
        }
        if locked {
            try await recordLogin(nil, outcome: .denied, context: context)
            throw Problem(
                .tooManyRequests,
                type: "https://mpmp.example/problems/login-throttled",
                detail: "Too many failed sign-ins; try again later."
            )
        }

        let account = try await backend.database.withTransaction { connection in
            try await backend.users.loginAccount(email: email, on: connection)
        }
        var verified = false
        if let account, let hash = account.passwordHash, !account.isDisabled {
            verified = try await backend.hasher.verify(body.password, hash: hash)
        } else {
            try await backend.hasher.verifyAgainstDecoy(body.password)
        }
        guard verified, let account else {
            try await backend.database.withTransaction { connection in
                try await backend.throttle.recordFailure(keys[0], rule: backend.settings.accountThrottle, on: connection)
                if keys.count > 1 {
                    try await backend.throttle.recordFailure(keys[1], rule: backend.settings.addressThrottle, on: connection)
                }
            }
            try await recordLogin(account?.userID, outcome: .failure, context: context)
            throw Problem.unauthenticated("The e-mail or the password is wrong.")
        }

        let token = SecretToken.generate()
        let user = try await backend.database.withTransaction { connection in
            try await backend.users.createSession(
                tokenHash: SecretToken.hash(token),
                userID: account.userID,
                lifetime: backend.settings.sessionLifetime,
                clientAddress: context.clientAddress,
                on: connection
            )
            try await backend.throttle.clear(keys[0], on: connection)
            try await backend.audit.record(
                AuditEvent(tenantID: nil, actorID: account.userID, action: "auth.login", target: "session", outcome: .success, clientAddress: context.clientAddress),
                on: connection
            )
            return try await backend.users.user(id: account.userID, on: connection)
        }
        guard let user else { throw Problem.unauthenticated("The e-mail or the password is wrong.") }
        return try LoginResult(
            token: token,
            expiresInSeconds: backend.settings.sessionLifetime.components.seconds,
            user: UserBody(user)
        ).response(from: request, context: context)
    }

    private func recordLogin(_ userID: UUID?, outcome: AuditEvent.Outcome, context: AppRequestContext) async throws {
        try await backend.database.withTransaction { connection in
            try await backend.audit.record(
                AuditEvent(tenantID: nil, actorID: userID, action: "auth.login", target: "session", outcome: outcome, clientAddress: context.clientAddress),
                on: connection
            )
        }
    }

    func logout(_ context: AuthenticatedContext) async throws -> Response {
        try await backend.database.withTransaction { connection in
            try await backend.users.revokeSession(tokenHash: context.sessionTokenHash, on: connection)
            try await backend.audit.record(
                context.success("auth.logout", target: "session"),
                on: connection
            )
        }
        return .noContent
    }

    func changePassword(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        let body = try await request.decodeJSON(as: PasswordChange.self, context: context)
        var validation = Validation()
        let newPassword = validation.password(body.newPassword, field: "newPassword")
        try validation.check()
        guard let newPassword else { throw Problem.validation(validation.errors) }
        let currentHash = try await backend.database.withTransaction { connection in
            try await backend.users.passwordHash(of: context.userID, on: connection)
        }
        guard let currentHash, try await backend.hasher.verify(body.currentPassword, hash: currentHash) else {
            throw Problem.validation([.init(field: "currentPassword", reason: "is not your current password")])
        }
        let newHash = try await backend.hasher.hash(newPassword)
        try await backend.database.withTransaction { connection in
            try await backend.users.setPassword(newHash, of: context.userID, on: connection)
            try await backend.audit.record(
                context.success("auth.password", target: "users/\(context.userID)"),
                on: connection
            )
        }
        return .noContent
    }
}
