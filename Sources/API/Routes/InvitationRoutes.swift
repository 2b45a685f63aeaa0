import Domain
import Foundation
import Hummingbird
import Services
import Storage

/// Invitations: a Center admin invites a tenant's CEO, a CEO invites department heads;
/// the invitee accepts with the link, choosing a name and a password.
struct InvitationRoutes {
    let backend: Backend

    struct NewInvitation: Decodable {
        var email: String
        var role: String
        var departmentId: UUID?
    }

    struct InvitationBody: ResponseEncodable, Sendable {
        var id: UUID
        var tenantId: UUID
        var email: String
        var role: String
        var departmentId: UUID?
        var expiresAt: Date
        /// The single-use link that would be e-mailed (also in the outbox).
        var acceptUrl: String
    }

    struct Acceptance: Decodable {
        var displayName: String
        var password: String
    }

    func registerPublic(on group: RouterGroup<AppRequestContext>) {
        group.post("/invitations/{token}/accept") { request, context in try await accept(request, context) }
    }

    func register(on group: RouterGroup<AuthenticatedContext>) {
        group.post("/tenants/{t}/invitations") { request, context in try await invite(request, context) }
    }

    /// The token names its tenant, so that it can be found under row-level security:
    /// `<tenant id>.<256-bit secret>`.
    static func parse(_ token: String) -> (tenantID: UUID, hash: String)? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let tenantID = UUID(uuidString: String(parts[0])), SecretToken.isWellFormed(parts[1]) else {
            return nil
        }
        return (tenantID, SecretToken.hash(token))
    }

    func invite(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        let tenantID = try request.uuidParameter("t", context: context)
        let body = try await request.decodeJSON(as: NewInvitation.self, context: context)
        var validation = Validation()
        let email = validation.email(body.email)
        let role: TenantRole?
        switch body.role {
        case "ceo":
            role = .chiefExecutive
        case "department_head":
            if let departmentID = body.departmentId {
                role = .departmentHead(departmentID: departmentID)
            } else {
                validation.fail("departmentId", "is required for a department head")
                role = nil
            }
        default:
            validation.fail("role", "must be ceo or department_head")
            role = nil
        }
        let action: Action = body.role == "ceo" ? .inviteChiefExecutive : .inviteDepartmentHead
        let access = try await backend.accessGuard.tenant(tenantID, action, target: "tenants/\(tenantID)/invitations", context: context)
        try validation.check()
        guard let email, let role else { throw ServiceError.invalid(validation.errors) }

        let token = "\(tenantID.uuidString.lowercased()).\(SecretToken.generate())"
        let acceptURL = "\(backend.settings.publicBaseURL)/v1/invitations/\(token)/accept"
        let invitation = try await backend.database.withTenantTransaction(access) { connection in
            guard let tenant = try await backend.tenants.find(tenantID, on: connection) else { throw Problem.notFound() }
            if case .departmentHead(let departmentID) = role,
                try await backend.tenants.department(departmentID, of: tenantID, on: connection) == nil
            {
                throw Problem.validation([.init(field: "departmentId", reason: "is not a department of this tenant")])
            }
            let id = try await backend.invitations.create(
                tenantID: tenantID,
                email: email,
                role: role,
                tokenHash: SecretToken.hash(token),
                invitedBy: context.userID,
                lifetime: backend.settings.invitationLifetime,
                on: connection
            )
            try await backend.invitations.enqueueMail(
                to: email,
                subject: "You are invited to the MPMP platform for \(tenant.name)",
                body: "\(context.session.user.displayName) invites you to work with \(tenant.name) on the MPMP platform.\n\nAccept within 7 days: \(acceptURL)\n",
                on: connection
            )
            try await backend.audit.record(
                context.success("invitations.create", target: "invitations/\(id)", tenantID: tenantID),
                on: connection
            )
            let departmentID: UUID? = if case .departmentHead(let id) = role { id } else { nil }
            return InvitationBody(
                id: id, tenantId: tenantID, email: email, role: role.name, departmentId: departmentID,
                expiresAt: Date().addingTimeInterval(TimeInterval(backend.settings.invitationLifetime.components.seconds)),
                acceptUrl: acceptURL
            )
        }
        return try .created(invitation, context: context, request: request)
    }

    func accept(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let token = context.parameters.get("token"), let parsed = Self.parse(token) else {
            throw Problem.notFound("There is no such invitation.")
        }
        let body = try await request.decodeJSON(as: Acceptance.self, context: context)
        var validation = Validation()
        let name = validation.text(body.displayName, field: "displayName")
        let password = validation.password(body.password)
        try validation.check()
        guard let name, let password else { throw ServiceError.invalid(validation.errors) }
        let hash = try await backend.hasher.hash(password)

        let user = try await backend.database.withTenantTransaction(.tenant(parsed.tenantID)) { connection in
            guard let invitation = try await backend.invitations.pending(tenantID: parsed.tenantID, tokenHash: parsed.hash, on: connection) else {
                throw Problem.notFound("There is no such invitation.")
            }
            guard invitation.acceptedAt == nil else {
                throw Problem(.gone, type: "https://mpmp.example/problems/invitation-used", detail: "This invitation has been used.")
            }
            guard invitation.expiresAt > Date() else {
                throw Problem(.gone, type: "https://mpmp.example/problems/invitation-expired", detail: "This invitation has expired; ask for a new one.")
            }
            let user: UserRecord
            if let existing = try await backend.users.user(email: invitation.email, on: connection) {
                // Someone who already has an account gains the role; their password stays.
                guard !existing.isDisabled else { throw Problem.forbidden("This account is disabled.") }
                if !existing.hasPassword {
                    try await backend.users.setPassword(hash, displayName: name, of: existing.id, on: connection)
                }
                user = existing
            } else {
                guard let created = try await backend.users.create(email: invitation.email, displayName: name, passwordHash: hash, isCenterAdmin: false, on: connection) else {
                    throw Problem.conflict("A user with this e-mail appeared meanwhile; try again.")
                }
                user = created
            }
            try await backend.users.addMembership(tenant: invitation.tenantID, user: user.id, role: invitation.role, on: connection)
            try await backend.invitations.markAccepted(invitation, by: user.id, on: connection)
            try await backend.audit.record(
                AuditEvent(tenantID: invitation.tenantID, actorID: user.id, action: "invitations.accept", target: "invitations/\(invitation.id)", outcome: .success, clientAddress: context.clientAddress),
                on: connection
            )
            return try await backend.users.user(id: user.id, on: connection) ?? user
        }
        return try UserBody(user).response(from: request, context: context)
    }
}
