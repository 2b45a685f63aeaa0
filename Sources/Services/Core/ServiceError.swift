import Foundation

/// A field of a command and what is wrong with it.
public struct FieldError: Sendable, Hashable, Codable {
    /// The field's path in the body (`population`, `items[3].value`) or a CSV row.
    public var field: String
    public var reason: String

    public init(field: String, reason: String) {
        self.field = field
        self.reason = reason
    }
}

/// Why a use case refused: each case is one answer a caller can act on. The API maps them
/// to HTTP in one place; the console and the command line word them their own way.
public enum ServiceError: Error, Sendable, Hashable {
    /// No live session: sign in again.
    case unauthenticated(String)
    /// Nothing there, or nothing the caller may see (the same answer, on purpose).
    case notFound(String)
    /// Visible, but the caller's role does not allow it.
    case forbidden(String)
    /// The command is well formed but its fields break rules; every bad field is named.
    case invalid([FieldError])
    /// The command cannot be read at all (a query parameter of the wrong shape).
    case malformed(field: String, reason: String)
    /// The command clashes with what exists (a taken name, a state that forbids it).
    case conflict(String)
    /// The command is well formed, but a field names something that is not there for it (a
    /// department of another tenant, a kind not in the catalogue, an owner who does not
    /// work on the tenant) or asks for more than the state allows (a payment above the
    /// balance): every such field is named. Unlike `invalid`, no form of the field alone
    /// would have told.
    case unresolved([FieldError])
    /// Too many attempts; try later.
    case throttled(String)
    /// The database cannot be reached; try again shortly.
    case unavailable(String)

    public static func invalid(_ field: String, _ reason: String) -> ServiceError {
        .invalid([FieldError(field: field, reason: reason)])
    }

    public static func unresolved(_ field: String, _ reason: String) -> ServiceError {
        .unresolved([FieldError(field: field, reason: reason)])
    }

    public static let notFound = ServiceError.notFound("There is nothing at this address.")
    public static let forbidden = ServiceError.forbidden("Your role does not allow this.")
}
