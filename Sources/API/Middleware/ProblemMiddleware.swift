import Foundation
import Hummingbird
import Logging
import Services

/// Turns every error into `application/problem+json`: Problems as they are, the use cases'
/// ServiceErrors by their one mapping, Hummingbird's HTTP errors with their status, JSON
/// that does not decode as a 400 naming the field, and anything else as a 500 whose cause
/// goes to the log only.
public struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            return try problem(for: error, context: context).response(from: request, context: context)
        }
    }

    func problem(for error: any Error, context: Context) -> Problem {
        switch error {
        case let problem as Problem:
            return problem
        case let error as ServiceError:
            return Problem(error)
        case let error as HTTPError:
            return Problem(error.status, detail: error.body ?? Self.defaultDetail(error.status))
        case let error as DecodingError:
            return Self.problem(for: error)
        case let error as any HTTPResponseError:
            // Hummingbird's own: a body above the size limit (413), and the like.
            return Problem(error.status, detail: Self.defaultDetail(error.status))
        default:
            context.logger.error("unhandled error", metadata: ["error": "\(String(reflecting: error))"])
            return .internalError
        }
    }

    static func defaultDetail(_ status: HTTPResponse.Status) -> String? {
        switch status {
        case .notFound: "There is nothing at this address."
        case .methodNotAllowed: "This address does not accept that method."
        case .contentTooLarge: "The request body is larger than this route accepts."
        default: nil
        }
    }

    static func problem(for error: DecodingError) -> Problem {
        func path(_ codingPath: [any CodingKey]) -> String {
            codingPath.reduce(into: "") { path, key in
                if let index = key.intValue {
                    path += "[\(index)]"
                } else {
                    path += path.isEmpty ? key.stringValue : ".\(key.stringValue)"
                }
            }
        }
        let field: Problem.FieldError
        switch error {
        case .keyNotFound(let key, let context):
            field = .init(field: path(context.codingPath + [key]), reason: "is required")
        case .typeMismatch(let type, let context):
            field = .init(field: path(context.codingPath), reason: "must be \(Self.describe(type))")
        case .valueNotFound(let type, let context):
            field = .init(field: path(context.codingPath), reason: "must be \(Self.describe(type)), not null")
        case .dataCorrupted(let context):
            let name = path(context.codingPath)
            if name.isEmpty {
                return Problem(.badRequest, detail: "The body is not valid JSON.")
            }
            field = .init(field: name, reason: context.debugDescription)
        @unknown default:
            return Problem(.badRequest, detail: "The body could not be read.")
        }
        return Problem(
            .badRequest,
            type: "https://mpmp.example/problems/malformed-body",
            title: "The body does not have the expected shape",
            detail: "\(field.field): \(field.reason)",
            errors: [field]
        )
    }

    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type, is Int32.Type: "an integer"
        case is Bool.Type: "true or false"
        case is Double.Type: "a number"
        default: "a \(type)".lowercased()
        }
    }
}
