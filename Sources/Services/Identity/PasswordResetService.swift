import Foundation
import Storage

/// A forgotten password, reset by mail (DESIGN §4, §12): the request answers the same for
/// every address, the mail carries a single-use link valid for an hour, and using it sets
/// the new password and ends every session of the account.
public struct PasswordResetService: Sendable {
    let services: Services

    /// How long a link works.
    public static let lifetime: TimeInterval = 3600

    /// Mails a reset link to `email` when it names an account that may sign in; otherwise
    /// does nothing, and says nothing different. Every request counts against the same
    /// limits as failed sign-ins (per address and account, and per address), whether the
    /// account exists or not; over them, `ServiceError.throttled`.
    public func request(_ caller: AnonymousCaller, email rawEmail: String) async throws {
        var validation = Validation()
        let email = validation.email(rawEmail)
        try validation.check()
        guard let email else { throw ServiceError.invalid(validation.errors) }
        let stores = services.stores
        let settings = services.settings
        var keys = ["reset-" + LoginThrottle.accountKey(email, from: caller.clientAddress)]
        if let address = caller.clientAddress { keys.append("reset-" + LoginThrottle.addressKey(address)) }
        let now = services.clock.now
        let outcome: Result<Void, ServiceError> = try await services.anonymous { connection in
            if try await stores.throttle.isLocked(keys, on: connection) {
                try await stores.audit.record(
                    AuditEvent(
                        tenantID: nil, actorID: nil, action: "auth.password_reset", target: "request", outcome: .denied,
                        clientAddress: caller.clientAddress
                    ),
                    on: connection
                )
                return .failure(.throttled("Too many password-reset requests; try again later."))
            }
            try await stores.throttle.recordFailure(keys[0], rule: settings.accountThrottle, on: connection)
            if keys.count > 1 {
                try await stores.throttle.recordFailure(keys[1], rule: settings.addressThrottle, on: connection)
            }
            guard let account = try await stores.users.loginAccount(email: email, on: connection), !account.isDisabled,
                account.passwordHash != nil
            else { return .success(()) }
            let token = SecretToken.generate()
            try await stores.passwordResets.create(
                tokenHash: SecretToken.hash(token), userID: account.userID, expiresAt: now.addingTimeInterval(Self.lifetime),
                on: connection
            )
            let mail = MailTemplates.passwordReset(resetURL: "\(settings.publicBaseURL)/password-reset/\(token)")
            try await stores.outbox.enqueue(mail.entry(to: email, kind: "password_reset"), on: connection)
            try await stores.audit.record(
                AuditEvent(
                    tenantID: nil, actorID: account.userID, action: "auth.password_reset", target: "users/\(account.userID)",
                    outcome: .success, clientAddress: caller.clientAddress
                ),
                on: connection
            )
            return .success(())
        }
        try outcome.get()
    }

    /// Sets `newPassword` for the account of the link `token` and ends its sessions; the
    /// link is used up. `ServiceError.notFound` for a link that is unknown, used or expired.
    public func reset(_ caller: AnonymousCaller, token: String, newPassword rawPassword: String) async throws {
        var validation = Validation()
        let password = validation.password(rawPassword, field: "password")
        try validation.check()
        guard let password else { throw ServiceError.invalid(validation.errors) }
        let hash = try await services.hasher.hash(password)
        let stores = services.stores
        let now = services.clock.now
        try await services.anonymous { connection in
            guard let userID = try await stores.passwordResets.take(tokenHash: SecretToken.hash(token), now: now, on: connection) else {
                throw ServiceError.notFound("This reset link is unknown, used or expired: ask for a new one.")
            }
            try await stores.users.setPassword(hash, of: userID, on: connection)
            try await stores.audit.record(
                AuditEvent(
                    tenantID: nil, actorID: userID, action: "auth.password", target: "users/\(userID)", outcome: .success,
                    clientAddress: caller.clientAddress
                ),
                on: connection
            )
        }
    }
}

extension Services {
    public var passwordResets: PasswordResetService { PasswordResetService(services: self) }
}
