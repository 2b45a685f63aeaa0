import Billing
import Domain
import Foundation
import Hummingbird
import Services
import Storage

/// Tenants in the console: the list, onboarding one (Center admins), and inviting its
/// people (a CEO by a Center admin; department heads by a Center admin or the CEO).
struct TenantPages {
    let console: Console

    var services: Services { console.services }

    func register<Context: ConsoleRequestContext>(on router: Router<Context>) {
        router.get("/tenants") { request, context in
            await list(request, clientAddress: context.clientAddress)
        }
        router.get("/tenants/new") { request, context in
            await onboardingForm(request, clientAddress: context.clientAddress)
        }
        router.post("/tenants/new") { request, context in
            try await onboard(request, clientAddress: context.clientAddress, context: context)
        }
        router.get("/tenants/{t}/invitations") { request, context in
            await invitationForm(request, tenant: context.parameters.get("t") ?? "", clientAddress: context.clientAddress)
        }
        router.post("/tenants/{t}/invitations") { request, context in
            try await invite(request, tenant: context.parameters.get("t") ?? "", clientAddress: context.clientAddress, context: context)
        }
    }

    func caller(_ request: Request, _ clientAddress: String?, _ route: String) -> Caller? {
        console.cookies.caller(of: request, clientAddress: clientAddress, route: route)
    }

    // MARK: The list

    static let pageSize = 50

    func list(_ request: Request, clientAddress: String?) async -> Response {
        guard let caller = caller(request, clientAddress, "GET /tenants") else { return Pages.redirect(to: "/login") }
        let query = request.uri.queryParameters
        var cursor: (String, UUID)?
        if let name = query["afterName"], let id = query["afterId"].flatMap({ UUID(uuidString: String($0)) }) {
            cursor = (String(name), id)
        }
        do {
            let listing = try await services.tenants.listing(caller, after: cursor, limit: Self.pageSize)
            let tenants: [[String: Any]] = listing.tenants.map { tenant in
                var values: [String: Any] = [
                    "id": tenant.id.uuidString.lowercased(), "name": tenant.name, "kind": tenant.kindCode, "jurisdiction": tenant.jurisdictionCode,
                    "population": tenant.population.map { $0.formatted(.number.grouping(.automatic)) } ?? "—", "dueDay": tenant.dataDueDay,
                ]
                if let summary = listing.summaries[tenant.id] {
                    values["programYear"] = summary.programYear ?? "Not enrolled"
                    values["analysts"] = summary.analysts ?? "None yet"
                    values["fee"] = summary.invoiceAmountCents.map(Formatting.dollars) ?? "—"
                    let standing = summary.invoiceStatus.map { InvoiceStanding.of(status: $0, dueOn: summary.invoiceDueOn, asOf: listing.today) }
                    values["invoice"] = standing.flatMap { InvoicePages.standingWords[$0] } ?? "No invoice"
                    values["late"] = standing == .pastDue
                    values["lastData"] = summary.lastData.map { CivilDate($0).description } ?? "None yet"
                }
                return values
            }
            var values: [String: Any] = [
                "tenants": tenants, "hasTenants": !tenants.isEmpty, "centerAdmin": listing.mayOnboard, "wide": true,
                "summaries": !listing.summaries.isEmpty,
            ]
            if let next = listing.next {
                values["next"] = Pages.link("/tenants", [("afterName", next.0), ("afterId", next.1.uuidString.lowercased())])
            }
            if cursor != nil { values["first"] = "/tenants" }
            return console.page("tenants", title: "Tenants", request: request, values: values, signedIn: .init(name: listing.readerName))
        } catch {
            return console.errorPage(error, request: request)
        }
    }

    // MARK: Onboarding

    func onboardingFields(
        _ choices: (jurisdictions: [JurisdictionRecord], kinds: [TenantKindRecord]), sent: Form? = nil
    ) -> [Field] {
        [
            Field(name: "name", label: "Name", value: sent?["name"] ?? "", autocomplete: "off", hint: "As the town or district calls itself, such as Amherst."),
            Field(
                name: "kind", label: "Kind", value: sent?["kind"] ?? choices.kinds.first?.code ?? "",
                options: choices.kinds.map { ($0.code, "\($0.name) (led by a \($0.executiveTitle))") }
            ),
            Field(
                name: "jurisdiction", label: "Jurisdiction", value: sent?["jurisdiction"] ?? choices.jurisdictions.first?.code ?? "",
                options: choices.jurisdictions.map { ($0.code, $0.name) }
            ),
            Field(
                name: "population", label: "Population, or enrollment for a school district", value: sent?["population"] ?? "",
                autocomplete: "off", hint: "A whole number; it sets the fee tier. Leave empty if unknown.", required: false
            ),
        ]
    }

    func onboardingForm(
        _ request: Request, clientAddress: String?, sent: Form? = nil, failures: [FieldError] = [], status: HTTPResponse.Status = .ok
    ) async -> Response {
        guard let caller = caller(request, clientAddress, "GET /tenants/new") else { return Pages.redirect(to: "/login") }
        do {
            let choices = try await services.tenants.onboardingChoices(caller)
            var fields = onboardingFields(choices, sent: sent)
            let general = Field.placing(failures, on: &fields)
            return console.formPage(
                title: "Onboard a tenant", request: request, action: "/tenants/new", fields: fields, submit: "Onboard",
                intro: "Then invite its chief executive on the next page.", links: [("All tenants", "/tenants")],
                signedIn: .init(name: ""), alerts: general + fields.compactMap(\.error), status: status
            )
        } catch {
            return console.errorPage(error, request: request)
        }
    }

    func onboard(_ request: Request, clientAddress: String?, context: some RequestContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        guard console.cookies.acceptsForm(request, field: form["csrf"]) else { return console.refusedForm(request, form: form) }
        guard let caller = caller(request, clientAddress, "POST /tenants/new") else { return Pages.redirect(to: "/login") }
        let populationText = (form["population"] ?? "").replacingOccurrences(of: ",", with: "").trimmingCharacters(in: .whitespaces)
        var population: Int?
        if !populationText.isEmpty {
            guard let number = Int(populationText) else {
                return await onboardingForm(
                    request, clientAddress: clientAddress, sent: form,
                    failures: [FieldError(field: "population", reason: "must be a whole number, such as 37819")], status: .unprocessableContent
                )
            }
            population = number
        }
        do {
            let tenant = try await services.tenants.onboard(
                caller, .init(name: form["name"] ?? "", kind: form["kind"] ?? "", jurisdiction: form["jurisdiction"] ?? "", population: population)
            )
            return Pages.redirect(to: "/tenants/\(tenant.id.uuidString.lowercased())/invitations?onboarded=1")
        } catch ServiceError.invalid(let failures), ServiceError.unresolved(let failures) {
            return await onboardingForm(request, clientAddress: clientAddress, sent: form, failures: failures, status: .unprocessableContent)
        } catch ServiceError.conflict(let detail) {
            return await onboardingForm(
                request, clientAddress: clientAddress, sent: form, failures: [FieldError(field: "name", reason: "is taken: \(detail)")],
                status: .conflict
            )
        } catch {
            return console.errorPage(error, request: request)
        }
    }

    // MARK: Invitations

    func invitationFields(_ form: InvitationService.Form, sent: Form? = nil) -> [Field] {
        var roles: [(String, String)] = []
        if form.mayInviteChiefExecutive { roles.append(("ceo", "Chief executive")) }
        if !form.departments.isEmpty { roles.append(("department_head", "Department head")) }
        var fields = [
            Field(name: "email", label: "E-mail address", type: "email", value: sent?["email"] ?? "", autocomplete: "off"),
            Field(name: "role", label: "Role", value: sent?["role"] ?? roles.first?.0 ?? "", options: roles),
        ]
        if !form.departments.isEmpty {
            fields.append(
                Field(
                    name: "departmentId", label: "Department (for a department head)", value: sent?["departmentId"] ?? "",
                    required: false, options: [("", "None (a chief executive)")] + form.departments.map { ($0.id.uuidString.lowercased(), $0.name) }
                )
            )
        }
        return fields
    }

    func invitationForm(
        _ request: Request, tenant text: String, clientAddress: String?, sent: Form? = nil, failures: [FieldError] = [],
        notice: String? = nil, status: HTTPResponse.Status = .ok
    ) async -> Response {
        guard let caller = caller(request, clientAddress, "GET /tenants/{t}/invitations") else { return Pages.redirect(to: "/login") }
        guard let tenantID = UUID(uuidString: text) else { return console.errorPage(ServiceError.notFound, request: request) }
        do {
            let form = try await services.invitations.form(caller, tenant: tenantID)
            var fields = invitationFields(form, sent: sent)
            let general = Field.placing(failures, on: &fields)
            var notice = notice
            if notice == nil, request.uri.queryParameters["onboarded"] != nil {
                notice = "\(form.tenantName) is onboarded. Invite its chief executive: the invitation goes by mail."
            }
            if notice == nil, let sentTo = request.uri.queryParameters["sent"] {
                notice = "The invitation is on its way to \(sentTo). Its link works for a week."
            }
            return console.formPage(
                title: "Invite someone to \(form.tenantName)", request: request, action: "/tenants/\(tenantID.uuidString.lowercased())/invitations",
                fields: fields, submit: "Send the invitation",
                intro: "The person gets a mail with a link to choose their name and password; nobody else sees the link.",
                links: [("The dashboard", "/tenants/\(tenantID.uuidString.lowercased())/dashboard")], signedIn: .init(name: form.readerName),
                alerts: general + fields.compactMap(\.error), notice: notice, status: status
            )
        } catch {
            return console.errorPage(error, request: request)
        }
    }

    func invite(_ request: Request, tenant text: String, clientAddress: String?, context: some RequestContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        guard console.cookies.acceptsForm(request, field: form["csrf"]) else { return console.refusedForm(request, form: form) }
        guard let caller = caller(request, clientAddress, "POST /tenants/{t}/invitations") else { return Pages.redirect(to: "/login") }
        guard let tenantID = UUID(uuidString: text) else { return console.errorPage(ServiceError.notFound, request: request) }
        let role = form["role"] ?? ""
        let department = role == "department_head" ? form["departmentId"].flatMap(UUID.init(uuidString:)) : nil
        if role == "department_head", department == nil {
            return await invitationForm(
                request, tenant: text, clientAddress: clientAddress, sent: form,
                failures: [FieldError(field: "departmentId", reason: "must be chosen for a department head")], status: .unprocessableContent
            )
        }
        do {
            let invitation = try await services.invitations.invite(
                caller, tenant: tenantID, .init(email: form["email"] ?? "", role: role, departmentID: department)
            )
            var components = URLComponents()
            components.queryItems = [URLQueryItem(name: "sent", value: invitation.email)]
            return Pages.redirect(to: "/tenants/\(tenantID.uuidString.lowercased())/invitations?\(components.percentEncodedQuery ?? "")")
        } catch ServiceError.invalid(let failures), ServiceError.unresolved(let failures) {
            return await invitationForm(request, tenant: text, clientAddress: clientAddress, sent: form, failures: failures, status: .unprocessableContent)
        } catch ServiceError.conflict(let detail) {
            return await invitationForm(
                request, tenant: text, clientAddress: clientAddress, sent: form, failures: [FieldError(field: "email", reason: "cannot be invited: \(detail)")],
                status: .conflict
            )
        } catch {
            return console.errorPage(error, request: request)
        }
    }
}
