import Domain
import Foundation
import Hummingbird
import Services

/// Invitations: a Center admin invites a tenant's CEO, a CEO invites department heads;
/// the invitee accepts with the link, choosing a name and a password.
struct InvitationRoutes {
    let services: Services

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

        init(_ invitation: InvitationService.Invitation) {
            self.id = invitation.id
            self.tenantId = invitation.tenantID
            self.email = invitation.email
            self.role = invitation.role.name
            if case .departmentHead(let departmentID) = invitation.role {
                self.departmentId = departmentID
            }
            self.expiresAt = invitation.expiresAt
        }
    }

    /// A new account's name and password; empty for the signed-in owner of an account.
    struct Acceptance: Decodable {
        var displayName: String?
        var password: String?
    }

    func registerPublic(on group: RouterGroup<AppRequestContext>) {
        group.post("/invitations/{token}/accept") { request, context in
            // A token of the wrong shape is an address with nothing at it, as an unknown one is.
            guard let text = context.parameters.get("token"), let token = InvitationToken(text) else {
                throw Problem.notFound("There is no such invitation.")
            }
            var context = context
            context.route = "POST /v1/invitations/{token}/accept"
            let body = try await request.decodeJSON(as: Acceptance.self, context: context)
            let acceptance: InvitationService.Acceptance
            if let tokenHash = try await bearerTokenHash(of: request, context: context, services: services) {
                // The owner of an existing account, signed in: the role is added to it.
                guard body.displayName == nil, body.password == nil else {
                    let field = body.displayName != nil ? "displayName" : "password"
                    throw Problem.validation([.init(field: field, reason: "is chosen only for a new account; a signed-in account keeps its own")])
                }
                let caller = Caller(sessionTokenHash: tokenHash, clientAddress: context.clientAddress, route: context.route)
                acceptance = try await services.invitations.accept(caller, token)
            } else {
                acceptance = try await services.invitations.accept(
                    AnonymousCaller(clientAddress: context.clientAddress), token, displayName: body.displayName, password: body.password
                )
            }
            switch acceptance {
            case .accepted(let user):
                return try UserBody(user).response(from: request, context: context)
            case .alreadyUsed:
                throw Problem(.gone, type: "https://mpmp.example/problems/invitation-used", detail: "This invitation has been used.")
            case .expired:
                throw Problem(.gone, type: "https://mpmp.example/problems/invitation-expired", detail: "This invitation has expired; ask for a new one.")
            }
        }
    }

    func register(on group: RouterGroup<SignedInContext>) {
        group.post("/tenants/{t}/invitations") { request, context in
            let tenantID = try request.uuidParameter("t", context: context)
            let body = try await request.decodeJSON(as: NewInvitation.self, context: context)
            let invitation = try await services.invitations.invite(
                context.caller, tenant: tenantID, .init(email: body.email, role: body.role, departmentID: body.departmentId)
            )
            return try Response.created(InvitationBody(invitation), context: context, request: request)
        }
    }
}
