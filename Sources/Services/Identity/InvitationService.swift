import Domain
import Foundation
import PostgresNIO
import Storage

/// Invitations: a Center admin invites a tenant's CEO, a CEO invites department heads; the
/// invitee accepts with the link, choosing a name and a password.
public struct InvitationService: Sendable {
    let services: Services

    public struct NewInvitation: Sendable {
        public var email: String
        /// `ceo` or `department_head`.
        public var role: String
        /// Required for a department head.
        public var departmentID: UUID?

        public init(email: String, role: String, departmentID: UUID?) {
            self.email = email
            self.role = role
            self.departmentID = departmentID
        }
    }

    public struct Invitation: Sendable {
        public var id: UUID
        public var tenantID: UUID
        public var email: String
        public var role: TenantRole
        public var expiresAt: Date
        /// The single-use link that is mailed (through the outbox).
        public var acceptURL: String
    }

    /// What became of an acceptance. A used or expired invitation is not an error of the
    /// request but a state of the invitation, which the way in words (the API: 410).
    public enum Acceptance: Sendable {
        case accepted(UserRecord)
        case alreadyUsed
        case expired
    }

    /// Invites someone to a tenant: a CEO (Center admins) or a department head (Center
    /// admins and the tenant's CEO). The link goes to the outbox.
    public func invite(_ caller: Caller, tenant tenantID: UUID, _ command: NewInvitation) async throws -> Invitation {
        var validation = Validation()
        let email = validation.email(command.email)
        let role: TenantRole?
        switch command.role {
        case "ceo":
            role = .chiefExecutive
        case "department_head":
            if let departmentID = command.departmentID {
                role = .departmentHead(departmentID: departmentID)
            } else {
                validation.fail("departmentId", "is required for a department head")
                role = nil
            }
        default:
            validation.fail("role", "must be ceo or department_head")
            role = nil
        }
        let action: Action = command.role == "ceo" ? .inviteChiefExecutive : .inviteDepartmentHead
        let settings = services.settings
        let now = services.clock.now
        return try await services.inTenant(caller, tenantID, action, target: "tenants/\(tenantID)/invitations") { work in
            try validation.check()
            guard let email, let role else { throw ServiceError.invalid(validation.errors) }
            guard let tenant = try await work.stores.tenants.find(tenantID, on: work.connection) else { throw ServiceError.notFound }
            if case .departmentHead(let departmentID) = role,
                try await work.stores.tenants.department(departmentID, of: tenantID, on: work.connection) == nil
            {
                throw ServiceError.invalid("departmentId", "is not a department of this tenant")
            }
            let token = InvitationToken.generate(for: tenantID)
            let acceptURL = "\(settings.publicBaseURL)/v1/invitations/\(token.text)/accept"
            let expiresAt = now.addingTimeInterval(TimeInterval(settings.invitationLifetime.components.seconds))
            let id = try await work.stores.invitations.create(
                tenantID: tenantID, email: email, role: role, tokenHash: token.hash, invitedBy: work.userID,
                expiresAt: expiresAt, on: work.connection
            )
            try await work.stores.invitations.enqueueMail(
                to: email,
                subject: "You are invited to the MPMP platform for \(tenant.name)",
                body: "\(work.session.user.displayName) invites you to work with \(tenant.name) on the MPMP platform.\n\nAccept within 7 days: \(acceptURL)\n",
                on: work.connection
            )
            try await work.audit("invitations.create", target: "invitations/\(id)", tenantID: tenantID)
            return Invitation(id: id, tenantID: tenantID, email: email, role: role, expiresAt: expiresAt, acceptURL: acceptURL)
        }
    }

    /// Accepts an invitation without a session: a new account gets the name and the
    /// password; an existing one keeps its password (it gets these only when it has none)
    /// and gains the role.
    public func accept(
        _ caller: AnonymousCaller,
        _ token: InvitationToken,
        displayName: String,
        password: String
    ) async throws -> Acceptance {
        var validation = Validation()
        let name = validation.text(displayName, field: "displayName")
        let password = validation.password(password)
        try validation.check()
        guard let name, let password else { throw ServiceError.invalid(validation.errors) }
        let now = services.clock.now
        return try await services.anonymous(access: .tenant(token.tenantID)) { connection in
            let stores = services.stores
            guard let invitation = try await stores.invitations.pending(tenantID: token.tenantID, tokenHash: token.hash, on: connection) else {
                throw ServiceError.notFound("There is no such invitation.")
            }
            guard invitation.acceptedAt == nil else { return .alreadyUsed }
            guard invitation.expiresAt > now else { return .expired }
            let user = try await account(for: invitation, name: name, password: password, on: connection)
            try await stores.users.addMembership(tenant: invitation.tenantID, user: user.id, role: invitation.role, on: connection)
            try await stores.invitations.markAccepted(invitation, by: user.id, on: connection)
            try await stores.audit.record(
                AuditEvent(
                    tenantID: invitation.tenantID, actorID: user.id, action: "invitations.accept", target: "invitations/\(invitation.id)",
                    outcome: .success, clientAddress: caller.clientAddress
                ),
                on: connection
            )
            return .accepted(try await stores.users.user(id: user.id, on: connection) ?? user)
        }
    }

    /// The account an invitation is accepted into: the one its address has, or a new one.
    /// bcrypt's work is done only when a password is set, with the invitation locked.
    private func account(
        for invitation: PendingInvitation,
        name: String,
        password: String,
        on connection: PostgresConnection
    ) async throws -> UserRecord {
        let users = services.stores.users
        if let existing = try await users.user(email: invitation.email, on: connection) {
            guard !existing.isDisabled else { throw ServiceError.forbidden("This account is disabled.") }
            if !existing.hasPassword {
                try await users.setPassword(try await services.hasher.hash(password), displayName: name, of: existing.id, on: connection)
            }
            return existing
        }
        let hash = try await services.hasher.hash(password)
        guard
            let created = try await users.create(
                email: invitation.email, displayName: name, passwordHash: hash, isCenterAdmin: false, on: connection
            )
        else {
            throw ServiceError.conflict("A user with this e-mail appeared meanwhile; try again.")
        }
        return created
    }
}

extension Services {
    public var invitations: InvitationService { InvitationService(services: self) }
}
