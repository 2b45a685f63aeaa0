import HTTPTypes
import Hummingbird
import Logging

/// One log line per request, with its id and its route's template, and the id in the
/// `X-Request-Id` answer header.
///
/// It sits outside the problem middleware, so it logs the final status of every answer.
public struct AccessLogMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let start = ContinuousClock.now
        var response = try await next(request, context)
        response.headers[.requestID] = context.id
        let elapsed = ContinuousClock.now - start
        let milliseconds = Double(elapsed.components.attoseconds / 1_000_000_000_000) / 1000
            + Double(elapsed.components.seconds) * 1000
        // The route's template, never the raw path: a path may carry a secret (an
        // invitation's token).
        context.logger.info(
            "\(request.method) \(context.endpointPath ?? "(no route)") \(response.status.code)",
            metadata: ["http.duration_ms": "\(milliseconds)"]
        )
        return response
    }
}

extension HTTPField.Name {
    static let requestID = HTTPField.Name("X-Request-Id")!
}
