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
        context.sessionTokenHash = try await bearerTokenHash(of: request, context: context, services: services)
        return try await next(request, context)
    }
}

/// The SHA-256 of the request's `Bearer` token; nil without an Authorization header. A
/// malformed header is recorded and refused with 401.
func bearerTokenHash(of request: Request, context: AppRequestContext, services: Services) async throws -> String? {
    guard let header = request.headers[.authorization] else { return nil }
    let parts = header.split(separator: " ", maxSplits: 1)
    guard parts.count == 2, parts[0].lowercased() == "bearer", SecretToken.isWellFormed(parts[1]) else {
        await services.identity.recordMalformedToken(clientAddress: context.clientAddress, route: context.route)
        throw Problem.unauthenticated("The Authorization header must be `Bearer` followed by a session token.")
    }
    return SecretToken.hash(String(parts[1]))
}

extension HTTPField.Name {
    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!
}
