import Domain
import Foundation

/// A user as the API shows one: never the password hash.
public struct UserRecord: Sendable, Hashable, Codable {
    public var id: UUID
    public var email: String
    public var displayName: String
    public var isCenterAdmin: Bool
    public var isDisabled: Bool
    public var hasPassword: Bool

    public init(id: UUID, email: String, displayName: String, isCenterAdmin: Bool, isDisabled: Bool, hasPassword: Bool) {
        self.id = id
        self.email = email
        self.displayName = displayName
        self.isCenterAdmin = isCenterAdmin
        self.isDisabled = isDisabled
        self.hasPassword = hasPassword
    }
}

/// What a login needs to know of the account an e-mail names.
public struct LoginAccount: Sendable {
    public var userID: UUID
    public var passwordHash: String?
    public var isDisabled: Bool
}

/// An invitation as its accept link finds it.
public struct PendingInvitation: Sendable {
    public var tenantID: UUID
    public var id: UUID
    public var email: String
    public var role: TenantRole
    public var expiresAt: Date
    public var acceptedAt: Date?
}

/// One audit record. `tenantID` nil: a platform event (logins, users, the catalogue).
public struct AuditEvent: Sendable, Hashable, Codable {
    public enum Outcome: String, Sendable, Codable {
        case success, failure, denied
    }

    public var id: UUID
    public var tenantID: UUID?
    public var occurredAt: Date
    public var actorID: UUID?
    public var action: String
    public var target: String
    public var outcome: Outcome
    public var clientAddress: String?

    public init(
        id: UUID = UUID(),
        tenantID: UUID?,
        occurredAt: Date = Date(),
        actorID: UUID?,
        action: String,
        target: String,
        outcome: Outcome,
        clientAddress: String?
    ) {
        self.id = id
        self.tenantID = tenantID
        self.occurredAt = occurredAt
        self.actorID = actorID
        self.action = action
        self.target = target
        self.outcome = outcome
        self.clientAddress = clientAddress
    }
}
