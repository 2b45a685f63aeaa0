import Foundation
import Hummingbird
import Logging
import Services

/// What every page shares: the layout's values, the CSRF cookie on a browser's first page,
/// and the answers to the errors any use case may give.
extension Console {
    /// Someone signed in, as the header names them.
    struct SignedIn {
        var name: String
    }

    func page(
        _ template: String, title: String, request: Request, values: [String: Any] = [:], signedIn: SignedIn? = nil,
        alerts: [String] = [], notice: String? = nil, status: HTTPResponse.Status = .ok
    ) -> Response {
        let csrf = cookies.csrf(of: request)
        var all = values
        all["title"] = title
        all["csrf"] = csrf.token
        if let signedIn { all["signedIn"] = ["name": signedIn.name] }
        if !alerts.isEmpty {
            all["alerts"] = alerts
            all["hasAlerts"] = true
        }
        if let notice { all["notice"] = notice }
        var response = pages.render(template, all, status: status)
        if csrf.isNew { response.setCookie(cookies.csrfCookie(csrf.token)) }
        return response
    }

    /// A form page: `fields` with their errors beside them, `alerts` above.
    func formPage(
        title: String, request: Request, action: String, fields: [Field], submit: String, intro: String? = nil,
        links: [(label: String, href: String)] = [], signedIn: SignedIn? = nil, alerts: [String] = [], notice: String? = nil,
        status: HTTPResponse.Status = .ok
    ) -> Response {
        var values: [String: Any] = ["action": action, "fields": fields.map(\.values), "submit": submit]
        if let intro { values["intro"] = intro }
        if !links.isEmpty {
            values["links"] = links.map { ["label": $0.label, "href": $0.href] }
            values["hasLinks"] = true
        }
        return page(
            "form", title: title, request: request, values: values, signedIn: signedIn, alerts: alerts, notice: notice, status: status
        )
    }

    /// A page of a few sentences and links: a result, or why something cannot be done.
    func messagePage(
        title: String, request: Request, paragraphs: [String], links: [(label: String, href: String)] = [],
        signedIn: SignedIn? = nil, status: HTTPResponse.Status = .ok
    ) -> Response {
        var values: [String: Any] = ["paragraphs": paragraphs]
        if !links.isEmpty {
            values["links"] = links.map { ["label": $0.label, "href": $0.href] }
            values["hasLinks"] = true
        }
        return page("message", title: title, request: request, values: values, signedIn: signedIn, status: status)
    }

    /// A form that did not come from one of our pages: 403, nothing done.
    func refusedForm(_ request: Request, form: Form) -> Response {
        let reason = cookies.refusal(of: request, field: form["csrf"])?.rawValue ?? "refused"
        services.logger.notice("a console form was refused", metadata: ["path": "\(request.uri.path)", "why": "\(reason)", "origin": "\(request.headers[.origin] ?? "-")", "authority": "\(request.head.authority ?? "-")"])
        return messagePage(
            title: "This form has expired", request: request,
            paragraphs: ["The form was not sent from this site's own page, or it is too old. Nothing was changed.", "Go back, reload the page and try again."],
            links: [("Home", "/")], status: .forbidden
        )
    }

    /// The answer to an error no form can show beside a field.
    func errorPage(_ error: any Error, request: Request, signedIn: SignedIn? = nil) -> Response {
        switch error as? ServiceError {
        case .unauthenticated:
            var response = Pages.redirect(to: "/login?notice=expired")
            response.setCookie(cookies.endedSession())
            return response
        case .notFound(let detail):
            return messagePage(title: "Not found", request: request, paragraphs: [detail], links: [("Home", "/")], signedIn: signedIn, status: .notFound)
        case .forbidden(let detail):
            return messagePage(title: "Not allowed", request: request, paragraphs: [detail], links: [("Home", "/")], signedIn: signedIn, status: .forbidden)
        case .throttled(let detail):
            return messagePage(title: "Too many attempts", request: request, paragraphs: [detail], status: .tooManyRequests)
        case .conflict(let detail):
            return messagePage(title: "This cannot be done now", request: request, paragraphs: [detail], links: [("Home", "/")], signedIn: signedIn, status: .conflict)
        case .invalid(let failures), .unresolved(let failures):
            return messagePage(
                title: "Please check what you sent", request: request, paragraphs: failures.map { "\($0.field) \($0.reason)." },
                signedIn: signedIn, status: .unprocessableContent
            )
        case .malformed(let field, let reason):
            return messagePage(title: "Please check what you sent", request: request, paragraphs: ["\(field) \(reason)."], status: .badRequest)
        case nil:
            services.logger.error("a console page failed", metadata: ["error": "\(error)"])
            return messagePage(
                title: "Something went wrong", request: request,
                paragraphs: ["Something went wrong on our side and nothing was changed. Please try again; if it happens again, tell the Center."],
                links: [("Home", "/")], status: .internalServerError
            )
        case .unavailable:
            var response = messagePage(
                title: "The service is busy", request: request,
                paragraphs: ["The platform cannot reach its database just now. Nothing was changed; please try again in a minute."],
                status: .serviceUnavailable
            )
            response.headers[.retryAfter] = "30"
            return response
        }
    }
}
