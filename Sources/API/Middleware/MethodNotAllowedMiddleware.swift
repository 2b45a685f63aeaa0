import Hummingbird

/// A method the OpenAPI document does not list on a path it does list answers 405 with
/// `Allow` naming the methods it does list, instead of the router's 404: the document says
/// which methods exist, and the answer says so too.
struct MethodNotAllowedMiddleware<Context: RequestContext>: RouterMiddleware {
    let contract: OpenAPIContract

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            // A route's own 404 (a tenant not found) comes from a documented method, and
            // stays a 404.
            guard let methods = contract.methods(matching: request.uri.path), !methods.contains(request.method) else {
                throw error
            }
            var problem = Problem(.methodNotAllowed, detail: "This address accepts \(methods.map(\.rawValue).joined(separator: ", ")) only.")
            problem.allow = methods.map(\.rawValue).joined(separator: ", ")
            throw problem
        }
    }
}
