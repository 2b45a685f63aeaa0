import Foundation

/// Who sends a command, as the way in (the API, the console) knows them before the
/// database does: the session token's hash, the client's address, and the route, for the
/// audit record of a refused token.
public struct Caller: Sendable, Hashable {
    /// The SHA-256 of the session token, hex.
    public var sessionTokenHash: String
    public var clientAddress: String?
    /// The route's template (`GET /v1/tenants/{t}`), never the raw path: paths may carry
    /// secrets, templates do not.
    public var route: String

    public init(sessionTokenHash: String, clientAddress: String?, route: String) {
        self.sessionTokenHash = sessionTokenHash
        self.clientAddress = clientAddress
        self.route = route
    }
}

extension Caller {
    /// The audit record of a token that has no live session: its action and target.
    static let unknownSessionAction = "auth.session"
    var unknownSessionTarget: String { "\(route): unknown or ended token" }
}

extension ServiceError {
    /// No live session behind the caller's token.
    public static let sessionEnded = ServiceError.unauthenticated("The session has ended or does not exist; sign in again.")
}

/// Someone without a session: signing in, accepting an invitation.
public struct AnonymousCaller: Sendable, Hashable {
    public var clientAddress: String?

    public init(clientAddress: String?) {
        self.clientAddress = clientAddress
    }
}
