import HTTPTypes
import Services

extension Problem {
    /// The one mapping of a use case's refusal to HTTP.
    init(_ error: ServiceError) {
        switch error {
        case .unauthenticated(let detail):
            self = .unauthenticated(detail)
        case .notFound(let detail):
            self = .notFound(detail)
        case .forbidden(let detail):
            self = .forbidden(detail)
        case .invalid(let fields):
            self = .validation(fields.map { FieldError(field: $0.field, reason: $0.reason) })
        case .malformed(let field, let reason):
            self = .badRequest(field: field, reason: reason)
        case .conflict(let detail):
            self = .conflict(detail)
        case .unresolved(let fields):
            self = Problem(
                .conflict,
                type: "https://mpmp.example/problems/unresolved-reference",
                title: "The request names something that is not there for it",
                detail: fields.map { "\($0.field): \($0.reason)" }.joined(separator: "; "),
                errors: fields.map { FieldError(field: $0.field, reason: $0.reason) }
            )
        case .throttled(let detail):
            self = Problem(.tooManyRequests, type: "https://mpmp.example/problems/login-throttled", detail: detail)
        case .unavailable(let detail):
            self = Problem(.serviceUnavailable, type: "https://mpmp.example/problems/unavailable", detail: detail)
        }
    }
}
