import Domain
import Foundation
import Storage

/// People, as Center admins manage them: create users (analysts, Center admins), disable
/// them, and assign analysts their portfolios. An operator at the machine creates Center
/// admins too, the first one included.
public struct UserService: Sendable {
    let services: Services

    public struct NewUser: Sendable {
        public var email: String
        public var displayName: String?
        public var password: String
        public var centerAdmin: Bool

        public init(email: String, displayName: String?, password: String, centerAdmin: Bool) {
            self.email = email
            self.displayName = displayName
            self.password = password
            self.centerAdmin = centerAdmin
        }
    }

    /// Every user by e-mail, after `cursor` (an e-mail, lower-cased).
    public func list(_ caller: Caller, after cursor: String?, limit: Int) async throws -> [UserRecord] {
        try await services.global(caller, .manageUsers, target: "users") { work in
            try await work.stores.users.list(after: cursor, limit: limit, on: work.connection)
        }
    }

    public func create(_ caller: Caller, _ command: NewUser) async throws -> UserRecord {
        try await services.global(caller, .manageUsers, target: "users") { work in
            // Checked and hashed only once the caller may create users: no one else gets a
            // 422 for their body, nor makes the server spend bcrypt's work.
            let (email, name, password) = try checked(command)
            let hash = try await services.hasher.hash(password)
            guard
                let user = try await work.stores.users.create(
                    email: email, displayName: name, passwordHash: hash, isCenterAdmin: command.centerAdmin, on: work.connection
                )
            else {
                throw ServiceError.conflict("A user with this e-mail exists.")
            }
            try await work.audit("users.create", target: "users/\(user.id)")
            return user
        }
    }

    /// Creates a Center admin for an operator at the machine (`mpmp admin create`): there is
    /// no session to check, and the audit record names no actor.
    public func createCenterAdmin(
        _ caller: Operator,
        email: String,
        displayName: String,
        password: String
    ) async throws -> UserRecord {
        let (email, name, password) = try checked(
            NewUser(email: email, displayName: displayName, password: password, centerAdmin: true)
        )
        let hash = try await services.hasher.hash(password)
        let stores = services.stores
        return try await services.asOperator(access: .none) { connection in
            guard
                let user = try await stores.users.create(
                    email: email, displayName: name, passwordHash: hash, isCenterAdmin: true, on: connection
                )
            else {
                throw ServiceError.conflict("A user with this e-mail exists.")
            }
            try await stores.audit.record(caller.event("users.create-admin", target: "users/\(user.id)"), on: connection)
            return user
        }
    }

    /// Disables a user and ends their sessions; their next request is refused.
    public func disable(_ caller: Caller, _ userID: UUID) async throws -> UserRecord {
        try await services.global(caller, .manageUsers, target: "users/\(userID)") { work in
            guard userID != work.userID else {
                throw ServiceError.conflict("You cannot disable yourself; ask another Center admin.")
            }
            guard try await work.stores.users.disable(userID, on: work.connection),
                let user = try await work.stores.users.user(id: userID, on: work.connection)
            else {
                throw ServiceError.notFound("There is no such user.")
            }
            try await work.audit("users.disable", target: "users/\(userID)")
            return user
        }
    }

    /// Puts a tenant in an analyst's portfolio; their next request sees it.
    public func assignPortfolio(_ caller: Caller, analyst userID: UUID, tenant tenantID: UUID) async throws {
        let target = "analysts/\(userID)/portfolio/\(tenantID)"
        try await services.global(caller, .manageUsers, target: target, scope: .tenant(tenantID)) { work in
            guard try await work.stores.tenants.find(tenantID, on: work.connection) != nil else {
                throw ServiceError.notFound("There is no such tenant.")
            }
            guard let user = try await work.stores.users.user(id: userID, on: work.connection), !user.isDisabled else {
                throw ServiceError.notFound("There is no such user.")
            }
            try await work.stores.users.assignPortfolio(analyst: userID, tenant: tenantID, on: work.connection)
            try await work.audit("portfolio.assign", target: "users/\(userID)", tenantID: tenantID)
        }
    }

    /// Takes a tenant out of an analyst's portfolio; their next request no longer sees it.
    public func removePortfolio(_ caller: Caller, analyst userID: UUID, tenant tenantID: UUID) async throws {
        let target = "analysts/\(userID)/portfolio/\(tenantID)"
        try await services.global(caller, .manageUsers, target: target, scope: .tenant(tenantID)) { work in
            guard try await work.stores.users.removePortfolio(analyst: userID, tenant: tenantID, on: work.connection) else {
                throw ServiceError.notFound("This tenant is not in this analyst's portfolio.")
            }
            try await work.audit("portfolio.remove", target: "users/\(userID)", tenantID: tenantID)
        }
    }

    /// The e-mail, the name and the password of a new user, or a 422 naming each bad one.
    private func checked(_ command: NewUser) throws -> (email: String, name: String, password: String) {
        var validation = Validation()
        let email = validation.email(command.email)
        // Optional, as the document says: absent or blank is a user without a name yet.
        let name = validation.optionalText(command.displayName, field: "displayName", maximumLength: 200)
        let password = validation.password(command.password)
        try validation.check()
        guard let email, let password else { throw ServiceError.invalid(validation.errors) }
        return (email, name, password)
    }
}

extension Services {
    public var users: UserService { UserService(services: self) }
}
