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
    }

    /// What became of an acceptance. A used or expired invitation is not an error of the
    /// request but a state of the invitation, which the way in words (the API: 410).
    public enum Acceptance: Sendable {
        case accepted(UserRecord)
        case alreadyUsed
        case expired
    }

    /// Invites someone to a tenant: a CEO (Center admins) or a department head (Center
    /// admins and the tenant's CEO). The accept link goes to the outbox and nowhere else:
    /// not in the answer, not in a log line (DESIGN §4).
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
                throw ServiceError.unresolved("departmentId", "is not a department of this tenant")
            }
            let token = InvitationToken.generate(for: tenantID)
            let acceptURL = "\(settings.publicBaseURL)/invitations/\(token.text)"
            let expiresAt = now.addingTimeInterval(TimeInterval(settings.invitationLifetime.components.seconds))
            let id = try await work.stores.invitations.create(
                tenantID: tenantID, email: email, role: role, tokenHash: token.hash, invitedBy: work.userID,
                expiresAt: expiresAt, on: work.connection
            )
            let mail = MailTemplates.invitation(
                inviter: work.session.user.displayName, tenant: tenant.name, acceptURL: acceptURL,
                validDays: max(1, Int(settings.invitationLifetime.components.seconds / 86_400))
            )
            try await work.stores.outbox.enqueue(mail.entry(to: email, kind: "invitation"), on: work.connection)
            try await work.audit("invitations.create", target: "invitations/\(id)", tenantID: tenantID)
            return Invitation(id: id, tenantID: tenantID, email: email, role: role, expiresAt: expiresAt)
        }
    }

    /// What the invitation form of a tenant offers its caller: the departments, and whether
    /// they may invite a chief executive (Center admins) as well as department heads (and
    /// the tenant's CEO); one transaction.
    public struct Form: Sendable {
        public var tenantName: String
        public var departments: [Department]
        public var mayInviteChiefExecutive: Bool
        public var readerName: String
    }

    public func form(_ caller: Caller, tenant tenantID: UUID) async throws -> Form {
        try await services.inTenant(caller, tenantID, .inviteDepartmentHead, target: "tenants/\(tenantID)/invitations") { work in
            guard let tenant = try await work.stores.tenants.find(tenantID, on: work.connection) else { throw ServiceError.notFound }
            return Form(
                tenantName: tenant.name,
                departments: try await work.stores.tenants.departments(of: tenantID, on: work.connection),
                mayInviteChiefExecutive: AuthorizationPolicy.decide(work.principal, .inviteChiefExecutive, .tenant(tenantID)) == .allow,
                readerName: work.session.user.displayName
            )
        }
    }

    /// Accepts an invitation without a session: a new account for the invited address, with
    /// the name and the password chosen here, and the role. An address that already has an
    /// account is refused with nothing changed (409): accepting never changes an existing
    /// account without its owner, who signs in and accepts it with that session.
    public func accept(
        _ caller: AnonymousCaller,
        _ token: InvitationToken,
        displayName: String?,
        password: String?
    ) async throws -> Acceptance {
        var validation = Validation()
        let name = validation.text(displayName ?? "", field: "displayName")
        let password = validation.password(password ?? "")
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
            guard try await stores.users.user(email: invitation.email, on: connection) == nil else {
                throw ServiceError.conflict(
                    "This address already has an account. Sign in as that account, then accept the invitation: nothing was changed."
                )
            }
            // bcrypt's work is done only for an invitation that can be accepted, and locked.
            let hash = try await services.hasher.hash(password)
            guard
                let user = try await stores.users.create(
                    email: invitation.email, displayName: name, passwordHash: hash, isCenterAdmin: false, on: connection
                )
            else {
                throw ServiceError.conflict("An account with this address appeared meanwhile; sign in and accept the invitation.")
            }
            try await stores.users.addMembership(tenant: invitation.tenantID, user: user.id, role: invitation.role, on: connection)
            try await stores.invitations.markAccepted(invitation, by: user.id, on: connection)
            try await stores.audit.record(
                AuditEvent(
                    tenantID: invitation.tenantID, actorID: user.id, action: "invitations.accept", target: "invitations/\(invitation.id)",
                    outcome: .success, clientAddress: caller.clientAddress
                ),
                on: connection
            )
            return .accepted(user)
        }
    }

    /// Accepts an invitation as the signed-in owner of the address it was sent to: the
    /// account gains the role and nothing else about it changes. An invitation to another
    /// address is refused (403, audited); so is one to a tenant where the account already
    /// has a role (409), which only its own use case changes.
    public func accept(_ caller: Caller, _ token: InvitationToken) async throws -> Acceptance {
        let now = services.clock.now
        return try await services.run(caller, scope: .platform) { work in
            try await work.connection.setTenantAccess(.tenant(token.tenantID), logger: services.database.logger)
            let stores = work.stores
            guard let invitation = try await stores.invitations.pending(tenantID: token.tenantID, tokenHash: token.hash, on: work.connection) else {
                throw ServiceError.notFound("There is no such invitation.")
            }
            let target = "invitations/\(invitation.id)"
            guard invitation.email.lowercased() == work.session.user.email.lowercased() else {
                throw Denial(
                    error: .forbidden("This invitation was sent to another address; sign in as its owner to accept it."),
                    event: AuditEvent(
                        tenantID: invitation.tenantID, actorID: work.userID, action: "invitations.accept", target: target,
                        outcome: .denied, clientAddress: caller.clientAddress
                    )
                )
            }
            guard invitation.acceptedAt == nil else { return .alreadyUsed }
            guard invitation.expiresAt > now else { return .expired }
            guard try await stores.users.addMembership(tenant: invitation.tenantID, user: work.userID, role: invitation.role, on: work.connection)
            else {
                throw ServiceError.conflict("You already have a role in this tenant; a Center admin or its CEO changes it, not an invitation.")
            }
            try await stores.invitations.markAccepted(invitation, by: work.userID, on: work.connection)
            try await work.audit("invitations.accept", target: target, tenantID: invitation.tenantID)
            return .accepted(work.session.user)
        }
    }
}

extension Services {
    public var invitations: InvitationService { InvitationService(services: self) }
}
