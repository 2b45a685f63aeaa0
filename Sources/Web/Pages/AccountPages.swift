import Domain
import Foundation
import Hummingbird
import Services
import Storage

/// A signed-in person's own pages: home, a new password, the weekly digest on or off, and
/// an invitation accepted (with a new account, or by the account it was sent to).
struct AccountPages {
    let console: Console

    var services: Services { console.services }

    func register<Context: ConsoleRequestContext>(on router: Router<Context>) {
        router.get("/") { request, context in
            await home(request, clientAddress: context.clientAddress)
        }
        router.get("/account/password") { request, context in
            await passwordForm(request, clientAddress: context.clientAddress)
        }
        router.post("/account/password") { request, context in
            try await changePassword(request, clientAddress: context.clientAddress, context: context)
        }
        router.post("/account/digest") { request, context in
            try await setDigest(request, clientAddress: context.clientAddress, context: context)
        }
        router.get("/invitations/{token}") { request, context in
            await invitation(request, token: context.parameters.get("token") ?? "", clientAddress: context.clientAddress)
        }
        router.post("/invitations/{token}") { request, context in
            try await accept(request, token: context.parameters.get("token") ?? "", clientAddress: context.clientAddress, context: context)
        }
    }

    static func roleName(_ role: TenantRole) -> String {
        switch role {
        case .analyst: "Analyst"
        case .chiefExecutive: "Chief executive"
        case .departmentHead: "Department head"
        }
    }

    // MARK: Home

    func home(_ request: Request, clientAddress: String?) async -> Response {
        guard let caller = console.cookies.caller(of: request, clientAddress: clientAddress, route: "GET /") else {
            return Pages.redirect(to: "/login")
        }
        do {
            let overview = try await services.identity.overview(caller)
            let isAnalyst = overview.roles.contains { if case .analyst = $0.role { true } else { false } }
            // An analyst's home is their portfolio (DESIGN §11): the towns at a glance.
            var portfolio: [[String: Any]] = []
            if isAnalyst {
                portfolio = try await services.insights.portfolio(caller, asOf: nil, fiscalYear: nil).tenants.map { town in
                    [
                        "tenantID": town.tenantID.uuidString.lowercased(), "name": town.name, "measures": town.measures.measures,
                        "due": town.measures.measuresDue, "red": town.measures.measuresInRed, "overdue": town.overdueActionItems,
                        "nextMeeting": town.nextMeeting?.description ?? "none scheduled",
                    ]
                }
            }
            let roles = overview.roles.map {
                [
                    "tenant": $0.tenantName, "tenantID": $0.tenantID.uuidString.lowercased(), "role": Self.roleName($0.role),
                    "canInvite": { if case .chiefExecutive = $0.role { true } else { false } }($0),
                ]
            }
            return console.page(
                "home", title: "Home", request: request,
                values: [
                    "name": overview.user.displayName, "centerAdmin": overview.user.isCenterAdmin, "roles": roles, "hasRoles": !roles.isEmpty,
                    "weeklyDigest": overview.weeklyDigest,
                    // The digest is an analyst's: of the towns in their portfolio.
                    "analyst": isAnalyst, "portfolio": portfolio, "hasPortfolio": !portfolio.isEmpty, "wide": isAnalyst,
                ],
                signedIn: .init(name: overview.user.displayName),
                notice: request.uri.queryParameters["notice"] == "digest" ? "Your mail preference is saved." : nil
            )
        } catch {
            return console.errorPage(error, request: request)
        }
    }

    func setDigest(_ request: Request, clientAddress: String?, context: some RequestContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        guard console.cookies.acceptsForm(request, field: form["csrf"]) else { return console.refusedForm(request, form: form) }
        guard let caller = console.cookies.caller(of: request, clientAddress: clientAddress, route: "POST /account/digest") else {
            return Pages.redirect(to: "/login")
        }
        do {
            _ = try await services.identity.updatePreferences(caller, weeklyDigest: form["weeklyDigest"] == "on")
            return Pages.redirect(to: "/?notice=digest")
        } catch {
            return console.errorPage(error, request: request)
        }
    }

    // MARK: A new password

    static func passwordFields() -> [Field] {
        [
            Field(name: "currentPassword", label: "Current password", type: "password", autocomplete: "current-password"),
            Field(
                name: "newPassword", label: "New password", type: "password", autocomplete: "new-password",
                hint: "8 characters or more; a few words you remember make a strong one."
            ),
            Field(name: "confirmation", label: "The new password again", type: "password", autocomplete: "new-password"),
        ]
    }

    func passwordForm(
        _ request: Request, clientAddress: String?, fields: [Field] = passwordFields(), alerts: [String] = [], status: HTTPResponse.Status = .ok
    ) async -> Response {
        guard let caller = console.cookies.caller(of: request, clientAddress: clientAddress, route: "GET /account/password") else {
            return Pages.redirect(to: "/login")
        }
        do {
            let me = try await services.identity.me(caller)
            return console.formPage(
                title: "Change your password", request: request, action: "/account/password", fields: fields, submit: "Change the password",
                intro: "Changing it signs you out everywhere, here too: then sign in with the new one.",
                signedIn: .init(name: me.user.displayName), alerts: alerts, status: status
            )
        } catch {
            return console.errorPage(error, request: request)
        }
    }

    func changePassword(_ request: Request, clientAddress: String?, context: some RequestContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        guard console.cookies.acceptsForm(request, field: form["csrf"]) else { return console.refusedForm(request, form: form) }
        guard let caller = console.cookies.caller(of: request, clientAddress: clientAddress, route: "POST /account/password") else {
            return Pages.redirect(to: "/login")
        }
        var fields = Self.passwordFields()
        let new = form["newPassword"] ?? ""
        guard new == form["confirmation"] else {
            fields[2].error = "The two new passwords differ; type the same one twice."
            return await passwordForm(request, clientAddress: clientAddress, fields: fields, alerts: [fields[2].error ?? ""], status: .unprocessableContent)
        }
        do {
            try await services.identity.changePassword(caller, current: form["currentPassword"] ?? "", new: new)
        } catch ServiceError.invalid(let failures) {
            let general = Field.placing(failures, on: &fields)
            return await passwordForm(
                request, clientAddress: clientAddress, fields: fields, alerts: general + fields.compactMap(\.error), status: .unprocessableContent
            )
        } catch {
            return console.errorPage(error, request: request)
        }
        var response = Pages.redirect(to: "/login?notice=password")
        response.setCookie(console.cookies.endedSession())
        return response
    }

    // MARK: An invitation

    static func acceptFields(name: String = "") -> [Field] {
        [
            Field(name: "displayName", label: "Your name", value: name, autocomplete: "name", hint: "As colleagues should see it, such as Pat Smith."),
            Field(
                name: "password", label: "Choose a password", type: "password", autocomplete: "new-password",
                hint: "8 characters or more; a few words you remember make a strong one."
            ),
            Field(name: "confirmation", label: "The password again", type: "password", autocomplete: "new-password"),
        ]
    }

    func invitation(
        _ request: Request, token text: String, clientAddress: String?, fields: [Field] = acceptFields(), alerts: [String] = [],
        status: HTTPResponse.Status = .ok
    ) async -> Response {
        guard InvitationToken(text) != nil else { return noSuchInvitation(request) }
        if let caller = console.cookies.caller(of: request, clientAddress: clientAddress, route: "GET /invitations/{token}"),
            let me = try? await services.identity.me(caller)
        {
            return console.page(
                "accept-signed-in", title: "Accept the invitation", request: request,
                values: ["accountName": me.user.displayName, "action": "/invitations/\(text)"], signedIn: .init(name: me.user.displayName),
                alerts: alerts, status: status
            )
        }
        return console.formPage(
            title: "Accept the invitation", request: request, action: "/invitations/\(text)", fields: fields, submit: "Create my account",
            intro: "Choose your name and a password: you then sign in with the address this invitation was sent to.",
            links: [("You have an account already? Sign in first, then open the link from the mail again.", "/login")],
            alerts: alerts, status: status
        )
    }

    func noSuchInvitation(_ request: Request) -> Response {
        console.messagePage(
            title: "This invitation does not work", request: request,
            paragraphs: ["The link is not one of ours, or it was cut short: open it from the mail again, or ask whoever invited you for a new one."],
            links: [("Sign in", "/login")], status: .notFound
        )
    }

    func accept(_ request: Request, token text: String, clientAddress: String?, context: some RequestContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        guard console.cookies.acceptsForm(request, field: form["csrf"]) else { return console.refusedForm(request, form: form) }
        guard let token = InvitationToken(text) else { return noSuchInvitation(request) }
        let caller = console.cookies.caller(of: request, clientAddress: clientAddress, route: "POST /invitations/{token}")
        let signedIn = form["as"] == "signed-in" && caller != nil
        var fields = Self.acceptFields(name: form["displayName"] ?? "")
        if !signedIn, form["password"] != form["confirmation"] {
            fields[2].error = "The two passwords differ; type the same one twice."
            return await invitation(request, token: text, clientAddress: nil, fields: fields, alerts: [fields[2].error ?? ""], status: .unprocessableContent)
        }
        let acceptance: InvitationService.Acceptance
        do {
            if signedIn, let caller {
                acceptance = try await services.invitations.accept(caller, token)
            } else {
                acceptance = try await services.invitations.accept(
                    AnonymousCaller(clientAddress: clientAddress), token, displayName: form["displayName"], password: form["password"]
                )
            }
        } catch ServiceError.invalid(let failures) {
            let general = Field.placing(failures, on: &fields)
            return await invitation(
                request, token: text, clientAddress: nil, fields: fields, alerts: general + fields.compactMap(\.error), status: .unprocessableContent
            )
        } catch ServiceError.notFound {
            return noSuchInvitation(request)
        } catch ServiceError.conflict(let detail) {
            return console.messagePage(
                title: "This invitation cannot be accepted here", request: request, paragraphs: [detail],
                links: [("Sign in, then open the link from the mail again", "/login")], status: .conflict
            )
        } catch {
            return console.errorPage(error, request: request)
        }
        switch acceptance {
        case .accepted:
            return Pages.redirect(to: signedIn ? "/" : "/login?notice=accepted")
        case .alreadyUsed:
            return console.messagePage(
                title: "This invitation was accepted already", request: request,
                paragraphs: ["Each invitation works once. If it was you, sign in."], links: [("Sign in", "/login")], status: .gone
            )
        case .expired:
            return console.messagePage(
                title: "This invitation has expired", request: request,
                paragraphs: ["Invitations work for a week. Ask whoever invited you to send a new one."], links: [("Sign in", "/login")],
                status: .gone
            )
        }
    }
}
