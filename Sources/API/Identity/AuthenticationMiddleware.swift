import Foundation
import Logging
import Services
import HTTPTypes
import Hummingbird
import Storage

/// Takes the client's address from the connection, or from `X-Forwarded-For` behind a
/// trusted proxy, for throttling and the audit trail.
struct ClientAddressMiddleware: RouterMiddleware {
    let trustForwardedFor: Bool

    func handle(
        _ request: Request,
        context: AppRequestContext,
        next: (Request, AppRequestContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        if trustForwardedFor, let forwarded = request.headers[.forwardedFor] {
            let first = forwarded.split(separator: ",").first.map { $0.trimmingCharacters(in: .whitespaces) }
            if let first, !first.isEmpty, first.count <= 64 {
                context.clientAddress = first
            }
        }
        return try await next(request, context)
    }
}

/// Reads a `Bearer` token into its SHA-256 and the route into the context; touches no
/// database. The use case checks the session inside its own transaction.
///
/// Without an Authorization header the request goes on anonymous (and a route that needs a
/// user refuses it when `SignedInContext` cannot be made); a malformed header ends here
/// with 401.
struct BearerTokenMiddleware: RouterMiddleware {
    let services: Services

    func handle(
        _ request: Request,
        context: AppRequestContext,
        next: (Request, AppRequestContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        context.route = "\(request.method) \(context.endpointPath ?? request.uri.path)"
        guard let header = request.headers[.authorization] else {
            return try await next(request, context)
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer", SecretToken.isWellFormed(parts[1]) else {
            await services.identity.recordMalformedToken(clientAddress: context.clientAddress, route: context.route)
            throw Problem.unauthenticated("The Authorization header must be `Bearer` followed by a session token.")
        }
        context.sessionTokenHash = SecretToken.hash(String(parts[1]))
        return try await next(request, context)
    }
}

/// (Being replaced by `BearerTokenMiddleware`.) Finds the session of a `Bearer` token and the grants its user holds now.
///
/// Without an Authorization header the request goes on anonymous (and a route that needs a
/// user refuses it when `AuthenticatedContext` cannot be made); with a malformed or dead
/// token it ends here with 401.
struct LegacyAuthenticationMiddleware: RouterMiddleware {
    let database: Database
    let users: UserStore
    let audit: AuditStore
    let settings: AuthSettings

    func handle(
        _ request: Request,
        context: AppRequestContext,
        next: (Request, AppRequestContext) async throws -> Response
    ) async throws -> Response {
        guard let header = request.headers[.authorization] else {
            return try await next(request, context)
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer", SecretToken.isWellFormed(parts[1]) else {
            await recordRefusal("malformed", request: request, context: context)
            throw Problem.unauthenticated("The Authorization header must be `Bearer` followed by a session token.")
        }
        let tokenHash = SecretToken.hash(String(parts[1]))
        let session = try await database.withTransaction { connection in
            try await users.sessionUser(tokenHash: tokenHash, idleTimeout: settings.sessionIdleTimeout, on: connection)
        }
        guard let session else {
            await recordRefusal("unknown or ended", request: request, context: context)
            throw Problem.unauthenticated("The session has ended or does not exist; sign in again.")
        }
        var context = context
        context.session = session
        context.sessionTokenHash = tokenHash
        return try await next(request, context)
    }

    /// A refused token is a denied access: recorded, without the token.
    private func recordRefusal(_ reason: String, request: Request, context: AppRequestContext) async {
        let event = AuditEvent(
            tenantID: nil, actorID: nil, action: "auth.session", target: "\(request.method) \(request.uri.path): \(reason) token",
            outcome: .denied, clientAddress: context.clientAddress
        )
        do {
            try await database.withTransaction { try await audit.record(event, on: $0) }
        } catch {
            context.logger.error("could not record a refused token", metadata: ["error": "\(String(reflecting: error))"])
        }
    }
}

extension HTTPField.Name {
    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!
}
