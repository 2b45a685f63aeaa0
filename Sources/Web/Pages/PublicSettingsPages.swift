import Domain
import Foundation
import Hummingbird
import Services

/// The CEO's settings of the town's public page: on or off, its address, and which
/// measures it shows.
extension PublicPages {
    func settings(
        _ request: Request, tenant text: String, clientAddress: String?, sent: Form? = nil, failures: [FieldError] = [],
        status: HTTPResponse.Status = .ok
    ) async -> Response {
        guard let caller = console.cookies.caller(of: request, clientAddress: clientAddress, route: "GET /tenants/{t}/public-page") else {
            return Pages.redirect(to: "/login")
        }
        guard let tenantID = UUID(uuidString: text) else { return console.errorPage(ServiceError.notFound, request: request) }
        do {
            let settings = try await services.publicPages.settings(caller, tenantID)
            let enabled = sent.map { $0["enabled"] == "on" } ?? settings.enabled
            var slugField = Field(
                name: "slug", label: "Address", value: sent?["slug"] ?? settings.slug, autocomplete: "off",
                hint: "The page is at /public/ followed by this: lower-case letters, digits and hyphens.", required: false
            )
            if let failure = failures.first(where: { $0.field == "slug" }) { slugField.error = Field.sentence(failure.reason, field: "Address") }
            let measures: [[String: Any]] = settings.measures.map { measure in
                let id = measure.id.uuidString.lowercased()
                let checked = sent.map { $0["publish-\(id)"] == "on" } ?? measure.published
                return ["id": id, "name": measure.name, "department": measure.department, "checked": checked]
            }
            let tenant = tenantID.uuidString.lowercased()
            var values: [String: Any] = [
                "tenantID": tenant, "enabled": enabled, "slugField": [slugField.values], "measures": measures, "hasMeasures": !measures.isEmpty,
            ]
            if settings.enabled, !settings.slug.isEmpty { values["live"] = "/public/\(settings.slug)" }
            let saved = request.uri.queryParameters["saved"] != nil
            return console.page(
                "public-settings", title: "\(settings.tenantName): public page", request: request, values: values,
                signedIn: .init(name: settings.readerName), alerts: failures.filter { $0.field != "slug" }.map { "\($0.field) \($0.reason)" } + [slugField.error].compactMap { $0 },
                notice: saved ? "Saved. The public page shows what you chose within five minutes." : nil, status: status
            )
        } catch {
            return console.errorPage(error, request: request)
        }
    }

    func save(_ request: Request, tenant text: String, clientAddress: String?, context: some RequestContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        guard console.cookies.acceptsForm(request, field: form["csrf"]) else { return console.refusedForm(request, form: form) }
        guard let caller = console.cookies.caller(of: request, clientAddress: clientAddress, route: "POST /tenants/{t}/public-page") else {
            return Pages.redirect(to: "/login")
        }
        guard let tenantID = UUID(uuidString: text) else { return console.errorPage(ServiceError.notFound, request: request) }
        let published = Set(form.values.compactMap { name, value in
            name.hasPrefix("publish-") && value == "on" ? UUID(uuidString: String(name.dropFirst("publish-".count))) : nil
        })
        do {
            try await services.publicPages.save(caller, tenantID, enabled: form["enabled"] == "on", slug: form["slug"] ?? "", published: published)
            return Pages.redirect(to: "/tenants/\(tenantID.uuidString.lowercased())/public-page?saved=1")
        } catch ServiceError.invalid(let failures), ServiceError.unresolved(let failures) {
            return await settings(request, tenant: text, clientAddress: clientAddress, sent: form, failures: failures, status: .unprocessableContent)
        } catch ServiceError.conflict {
            return await settings(
                request, tenant: text, clientAddress: clientAddress, sent: form,
                failures: [FieldError(field: "slug", reason: "is taken by another town's page; choose another")], status: .conflict
            )
        } catch {
            return console.errorPage(error, request: request)
        }
    }
}
