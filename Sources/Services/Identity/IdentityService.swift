import Domain
import Foundation
import Logging
import Storage

/// Signing in and out, who am I, changing one's password.
public struct IdentityService: Sendable {
    let services: Services

    public struct SignedIn: Sendable {
        public var token: String
        public var expiresInSeconds: Int64
        public var user: UserRecord
    }

    /// Signs in: throttled per account and address and per address, the same answer and the same
    /// bcrypt work for an unknown e-mail and a wrong password.
    ///
    /// One transaction, held across the bcrypt check: the throttle's count and the attempt's
    /// outcome are decided together, so concurrent guesses cannot slip past the limit.
    public func login(_ caller: AnonymousCaller, email rawEmail: String, password: String) async throws -> SignedIn {
        var validation = Validation()
        let email = validation.email(rawEmail)
        if password.isEmpty { validation.fail("password", "is required") }
        try validation.check()
        guard let email else { throw ServiceError.invalid(validation.errors) }

        let stores = services.stores
        let settings = services.settings
        var keys = [LoginThrottle.accountKey(email, from: caller.clientAddress)]
        if let address = caller.clientAddress { keys.append(LoginThrottle.addressKey(address)) }
        let outcome: Result<SignedIn, ServiceError> = try await services.anonymous { connection in
            func record(_ userID: UUID?, _ outcome: AuditEvent.Outcome) async throws {
                try await stores.audit.record(
                    AuditEvent(
                        tenantID: nil, actorID: userID, action: "auth.login", target: "session", outcome: outcome,
                        clientAddress: caller.clientAddress
                    ),
                    on: connection
                )
            }
            if try await stores.throttle.isLocked(keys, on: connection) {
                try await record(nil, .denied)
                return .failure(.throttled("Too many failed sign-ins; try again later."))
            }
            let account = try await stores.users.loginAccount(email: email, on: connection)
            var verified = false
            if let account, let hash = account.passwordHash, !account.isDisabled {
                verified = try await services.hasher.verify(password, hash: hash)
            } else {
                try await services.hasher.verifyAgainstDecoy(password)
            }
            guard verified, let account, let user = try await stores.users.user(id: account.userID, on: connection) else {
                try await stores.throttle.recordFailure(keys[0], rule: settings.accountThrottle, on: connection)
                if keys.count > 1 {
                    try await stores.throttle.recordFailure(keys[1], rule: settings.addressThrottle, on: connection)
                }
                try await record(account?.userID, .failure)
                return .failure(.unauthenticated("The e-mail or the password is wrong."))
            }
            let token = SecretToken.generate()
            try await stores.users.createSession(
                tokenHash: SecretToken.hash(token), userID: account.userID, lifetime: settings.sessionLifetime,
                clientAddress: caller.clientAddress, on: connection
            )
            try await stores.throttle.clear(keys[0], on: connection)
            try await record(account.userID, .success)
            return .success(SignedIn(token: token, expiresInSeconds: settings.sessionLifetime.components.seconds, user: user))
        }
        // The failures' records commit with the refusal: the refusal is thrown only now.
        return try outcome.get()
    }

    /// Records a malformed `Authorization` header as a denied access, without the header.
    /// A failure to record is logged: the caller gets their 401 either way.
    public func recordMalformedToken(clientAddress: String?, route: String) async {
        let event = AuditEvent(
            tenantID: nil, actorID: nil, action: "auth.session", target: "\(route): malformed token",
            outcome: .denied, clientAddress: clientAddress
        )
        do {
            try await services.anonymous { connection in try await services.stores.audit.record(event, on: connection) }
        } catch {
            services.database.logger.error("could not record a refused token", metadata: ["error": "\(String(reflecting: error))"])
        }
    }

    /// Ends the caller's session.
    public func logout(_ caller: Caller) async throws {
        try await services.run(caller, scope: .platform) { work in
            try await work.stores.users.revokeSession(tokenHash: caller.sessionTokenHash, on: work.connection)
            try await work.audit("auth.logout", target: "session")
        }
    }

    /// The caller and the grants they hold now.
    public func me(_ caller: Caller) async throws -> (user: UserRecord, grants: [TenantGrant]) {
        try await services.run(caller, scope: .platform) { work in
            (work.session.user, work.principal.grants)
        }
    }

    /// The caller's home: who they are, each role with its tenant's name, and whether they
    /// get the weekly digest; one transaction.
    public struct Overview: Sendable {
        public var user: UserRecord
        public var roles: [(tenantID: UUID, tenantName: String, role: TenantRole)]
        public var weeklyDigest: Bool
    }

    public func overview(_ caller: Caller) async throws -> Overview {
        try await services.run(caller, scope: .own) { work in
            let grants = work.principal.grants
            let tenants = try await work.stores.tenants.list(on: work.connection)
            let names = Dictionary(tenants.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
            let roles = grants.map { (tenantID: $0.tenantID, tenantName: names[$0.tenantID] ?? "A tenant", role: $0.role) }
                .sorted { $0.tenantName < $1.tenantName }
            let digest = try await work.stores.digests.wantsDigest(work.userID, on: work.connection)
            return Overview(user: work.session.user, roles: roles, weeklyDigest: digest)
        }
    }

    /// What the caller chose to receive.
    public struct Preferences: Sendable, Hashable {
        /// The weekly digest of an analyst's portfolio, by mail on Mondays.
        public var weeklyDigest: Bool

        public init(weeklyDigest: Bool) {
            self.weeklyDigest = weeklyDigest
        }
    }

    public func preferences(_ caller: Caller) async throws -> Preferences {
        try await services.run(caller, scope: .platform) { work in
            Preferences(weeklyDigest: try await work.stores.digests.wantsDigest(work.userID, on: work.connection))
        }
    }

    /// Changes what the caller receives (nil: unchanged); anyone may opt out of digests,
    /// nobody out of invitations or password resets.
    public func updatePreferences(_ caller: Caller, weeklyDigest: Bool?) async throws -> Preferences {
        try await services.run(caller, scope: .platform) { work in
            let digests = work.stores.digests
            if let weeklyDigest {
                try await digests.setWantsDigest(weeklyDigest, of: work.userID, on: work.connection)
                try await work.audit("users.preferences", target: "users/\(work.userID): weeklyDigest \(weeklyDigest)")
            }
            return Preferences(weeklyDigest: try await digests.wantsDigest(work.userID, on: work.connection))
        }
    }

    /// Changes the caller's password after checking the current one; every session of the
    /// caller ends, this one included.
    public func changePassword(_ caller: Caller, current: String, new: String) async throws {
        var validation = Validation()
        let newPassword = validation.password(new, field: "newPassword")
        try validation.check()
        guard let newPassword else { throw ServiceError.invalid(validation.errors) }
        let newHash = try await services.hasher.hash(newPassword)
        try await services.run(caller, scope: .platform) { work in
            let currentHash = try await work.stores.users.passwordHash(of: work.userID, on: work.connection)
            guard let currentHash, try await services.hasher.verify(current, hash: currentHash) else {
                throw ServiceError.invalid("currentPassword", "is not your current password")
            }
            try await work.stores.users.setPassword(newHash, of: work.userID, on: work.connection)
            try await work.audit("auth.password", target: "users/\(work.userID)")
        }
    }
}

extension Services {
    public var identity: IdentityService { IdentityService(services: self) }
}
