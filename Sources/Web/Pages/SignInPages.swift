import Foundation
import Hummingbird
import Services

/// Signing in and out, a forgotten password, and an invitation accepted: the pages everyone
/// meets first (DESIGN §11, "everyone").
struct SignInPages {
    let console: Console

    var services: Services { console.services }

    func register<Context: ConsoleRequestContext>(on router: Router<Context>) {
        router.get("/login") { request, _ in
            signInForm(request, notice: Self.notices[request.uri.queryParameters["notice"].map(String.init) ?? ""])
        }
        router.post("/login") { request, context in
            try await signIn(request, clientAddress: context.clientAddress, context: context)
        }
        router.post("/logout") { request, context in
            try await signOut(request, clientAddress: context.clientAddress, context: context)
        }
        router.get("/password-reset") { request, _ in
            resetRequestForm(request)
        }
        router.post("/password-reset") { request, context in
            try await requestReset(request, clientAddress: context.clientAddress, context: context)
        }
        router.get("/password-reset/{token}") { request, context in
            newPasswordForm(request, token: context.parameters.get("token") ?? "")
        }
        router.post("/password-reset/{token}") { request, context in
            try await resetPassword(request, token: context.parameters.get("token") ?? "", clientAddress: context.clientAddress, context: context)
        }
    }

    static let notices: [String: String] = [
        "signed-out": "You are signed out.",
        "expired": "Your session has ended. Please sign in again.",
        "reset": "Your password is changed. Sign in with the new one.",
        "password": "Your password is changed and every session has ended. Sign in with the new one.",
        "accepted": "Your account is ready. Sign in with the address the invitation went to and the password you chose.",
    ]

    // MARK: Signing in

    static func signInFields(email: String = "") -> [Field] {
        [
            Field(name: "email", label: "E-mail address", type: "email", value: email, autocomplete: "username"),
            Field(name: "password", label: "Password", type: "password", autocomplete: "current-password"),
        ]
    }

    func signInForm(_ request: Request, fields: [Field] = signInFields(), alerts: [String] = [], notice: String? = nil, status: HTTPResponse.Status = .ok) -> Response {
        console.formPage(
            title: "Sign in", request: request, action: "/login", fields: fields, submit: "Sign in",
            links: [("Forgot your password?", "/password-reset")], alerts: alerts, notice: notice, status: status
        )
    }

    func signIn(_ request: Request, clientAddress: String?, context: some RequestContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        guard console.cookies.acceptsForm(request, field: form["csrf"]) else { return console.refusedForm(request, form: form) }
        let email = form["email"] ?? ""
        var fields = Self.signInFields(email: email)
        do {
            let signedIn = try await services.identity.login(AnonymousCaller(clientAddress: clientAddress), email: email, password: form["password"] ?? "")
            var response = Pages.redirect(to: "/")
            response.setCookie(console.cookies.session(signedIn.token))
            return response
        } catch let error as ServiceError {
            switch error {
            case .invalid(let failures):
                let general = Field.placing(failures, on: &fields)
                return signInForm(request, fields: fields, alerts: general + fields.compactMap(\.error), status: .unprocessableContent)
            case .unauthenticated(let detail):
                fields[1].error = detail
                return signInForm(request, fields: fields, alerts: [detail], status: .unauthorized)
            case .throttled(let detail):
                return signInForm(request, fields: fields, alerts: [detail], status: .tooManyRequests)
            default:
                return console.errorPage(error, request: request)
            }
        }
    }

    func signOut(_ request: Request, clientAddress: String?, context: some RequestContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        guard console.cookies.acceptsForm(request, field: form["csrf"]) else { return console.refusedForm(request, form: form) }
        if let caller = console.cookies.caller(of: request, clientAddress: clientAddress, route: "POST /logout") {
            // A session that ended already is signed out all the same.
            try? await services.identity.logout(caller)
        }
        var response = Pages.redirect(to: "/login?notice=signed-out")
        response.setCookie(console.cookies.endedSession())
        return response
    }

    // MARK: A forgotten password

    func resetRequestForm(_ request: Request, fields: [Field]? = nil, alerts: [String] = [], status: HTTPResponse.Status = .ok) -> Response {
        console.formPage(
            title: "Forgot your password?", request: request, action: "/password-reset",
            fields: fields ?? [Field(name: "email", label: "E-mail address", type: "email", autocomplete: "email")],
            submit: "Send me a link",
            intro: "Give the address you sign in with: we mail it a link to choose a new password, valid for an hour.",
            links: [("Back to sign in", "/login")], alerts: alerts, status: status
        )
    }

    func requestReset(_ request: Request, clientAddress: String?, context: some RequestContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        guard console.cookies.acceptsForm(request, field: form["csrf"]) else { return console.refusedForm(request, form: form) }
        var fields = [Field(name: "email", label: "E-mail address", type: "email", value: form["email"] ?? "", autocomplete: "email")]
        do {
            try await services.passwordResets.request(AnonymousCaller(clientAddress: clientAddress), email: form["email"] ?? "")
        } catch ServiceError.invalid(let failures) {
            let general = Field.placing(failures, on: &fields)
            return resetRequestForm(request, fields: fields, alerts: general + fields.compactMap(\.error), status: .unprocessableContent)
        } catch ServiceError.throttled(let detail) {
            return resetRequestForm(request, fields: fields, alerts: [detail], status: .tooManyRequests)
        } catch {
            return console.errorPage(error, request: request)
        }
        return console.messagePage(
            title: "Check your mail", request: request,
            paragraphs: [
                "If an account signs in with this address, a link to choose a new password is on its way to it. The link works once, within an hour.",
                "No mail after a few minutes? Check the spam folder, or ask again.",
            ],
            links: [("Back to sign in", "/login")]
        )
    }

    static func newPasswordFields() -> [Field] {
        [
            Field(
                name: "password", label: "New password", type: "password", autocomplete: "new-password",
                hint: "8 characters or more; a few words you remember make a strong one."
            ),
            Field(name: "confirmation", label: "The new password again", type: "password", autocomplete: "new-password"),
        ]
    }

    func newPasswordForm(_ request: Request, token: String, fields: [Field] = newPasswordFields(), alerts: [String] = [], status: HTTPResponse.Status = .ok) -> Response {
        console.formPage(
            title: "Choose a new password", request: request, action: "/password-reset/\(token)", fields: fields, submit: "Set the password",
            intro: "Setting it signs you out everywhere you are signed in.", alerts: alerts, status: status
        )
    }

    func resetPassword(_ request: Request, token: String, clientAddress: String?, context: some RequestContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        guard console.cookies.acceptsForm(request, field: form["csrf"]) else { return console.refusedForm(request, form: form) }
        var fields = Self.newPasswordFields()
        let password = form["password"] ?? ""
        guard password == form["confirmation"] else {
            fields[1].error = "The two passwords differ; type the same one twice."
            return newPasswordForm(request, token: token, fields: fields, alerts: [fields[1].error ?? ""], status: .unprocessableContent)
        }
        do {
            try await services.passwordResets.reset(AnonymousCaller(clientAddress: clientAddress), token: token, newPassword: password)
        } catch ServiceError.invalid(let failures) {
            let general = Field.placing(failures, on: &fields)
            return newPasswordForm(request, token: token, fields: fields, alerts: general + fields.compactMap(\.error), status: .unprocessableContent)
        } catch ServiceError.notFound(let detail) {
            return console.messagePage(
                title: "This link does not work", request: request, paragraphs: [detail],
                links: [("Ask for a new link", "/password-reset"), ("Sign in", "/login")], status: .notFound
            )
        } catch {
            return console.errorPage(error, request: request)
        }
        var response = Pages.redirect(to: "/login?notice=reset")
        response.setCookie(console.cookies.endedSession())
        return response
    }
}
