import Domain
import Foundation
import Hummingbird
import Services
import Storage

/// Stat meetings in the console: a town's meetings and scheduling one; a meeting's agenda
/// as the rule drafts it (follow-ups, measures in trouble, items added by hand), adding an
/// item, raising an action item, and the agenda as a printable memo.
struct MeetingPages {
    let console: Console

    var services: Services { console.services }

    func register<Context: ConsoleRequestContext>(on router: Router<Context>) {
        router.get("/tenants/{t}/meetings") { request, context in
            await list(request, tenant: context.parameters.get("t") ?? "", clientAddress: context.clientAddress)
        }
        router.post("/tenants/{t}/meetings") { request, context in
            try await schedule(request, tenant: context.parameters.get("t") ?? "", clientAddress: context.clientAddress, context: context)
        }
        router.get("/tenants/{t}/meetings/{id}") { request, context in
            await meeting(request, tenant: context.parameters.get("t") ?? "", meeting: context.parameters.get("id") ?? "", clientAddress: context.clientAddress)
        }
        router.get("/tenants/{t}/meetings/{id}/memo") { request, context in
            await meeting(
                request, tenant: context.parameters.get("t") ?? "", meeting: context.parameters.get("id") ?? "", clientAddress: context.clientAddress,
                memo: true
            )
        }
        router.post("/tenants/{t}/meetings/{id}/agenda-items") { request, context in
            try await addItem(
                request, tenant: context.parameters.get("t") ?? "", meeting: context.parameters.get("id") ?? "", clientAddress: context.clientAddress,
                context: context
            )
        }
        router.post("/tenants/{t}/meetings/{id}/action-items") { request, context in
            try await raise(
                request, tenant: context.parameters.get("t") ?? "", meeting: context.parameters.get("id") ?? "", clientAddress: context.clientAddress,
                context: context
            )
        }
    }

    func caller(_ request: Request, _ clientAddress: String?, _ route: String) -> Caller? {
        console.cookies.caller(of: request, clientAddress: clientAddress, route: route)
    }

    // MARK: The list

    func scheduleFields(sent: Form? = nil) -> [Field] {
        [
            Field(name: "title", label: "Title", value: sent?["title"] ?? "", autocomplete: "off", hint: "Such as DPW stat, March."),
            Field(name: "heldOn", label: "Day", type: "date", value: sent?["heldOn"] ?? ""),
            Field(
                name: "attendees", label: "Attendees", value: sent?["attendees"] ?? "", autocomplete: "off",
                hint: "Names separated by commas; they head the memo.", required: false
            ),
        ]
    }

    func list(
        _ request: Request, tenant text: String, clientAddress: String?, sent: Form? = nil, failures: [FieldError] = [],
        status: HTTPResponse.Status = .ok
    ) async -> Response {
        guard let caller = caller(request, clientAddress, "GET /tenants/{t}/meetings") else { return Pages.redirect(to: "/login") }
        guard let tenantID = UUID(uuidString: text) else { return console.errorPage(ServiceError.notFound, request: request) }
        do {
            let overview = try await services.meetings.overview(caller, tenantID)
            let tenant = tenantID.uuidString.lowercased()
            var fields = scheduleFields(sent: sent)
            let general = Field.placing(failures, on: &fields)
            let meetings: [[String: Any]] = overview.meetings.map {
                ["title": $0.title, "heldOn": $0.heldOn.description, "href": "/tenants/\(tenant)/meetings/\($0.id.uuidString.lowercased())"]
            }
            return console.page(
                "meetings", title: "\(overview.tenantName): stat meetings", request: request,
                values: [
                    "meetings": meetings, "hasMeetings": !meetings.isEmpty, "mayManage": overview.mayManage, "fields": fields.map(\.values),
                    "tenantID": tenant,
                ],
                signedIn: .init(name: overview.readerName), alerts: general + fields.compactMap(\.error), status: status
            )
        } catch {
            return console.errorPage(error, request: request)
        }
    }

    func schedule(_ request: Request, tenant text: String, clientAddress: String?, context: some RequestContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        guard console.cookies.acceptsForm(request, field: form["csrf"]) else { return console.refusedForm(request, form: form) }
        guard let caller = caller(request, clientAddress, "POST /tenants/{t}/meetings") else { return Pages.redirect(to: "/login") }
        guard let tenantID = UUID(uuidString: text) else { return console.errorPage(ServiceError.notFound, request: request) }
        var failures: [FieldError] = []
        let day = BillingPages.day(form["heldOn"], field: "heldOn", failures: &failures)
        if day == nil, failures.isEmpty { failures.append(FieldError(field: "heldOn", reason: "is needed")) }
        guard failures.isEmpty, let day else {
            return await list(request, tenant: text, clientAddress: clientAddress, sent: form, failures: failures, status: .unprocessableContent)
        }
        let attendees = (form["attendees"] ?? "").split(separator: ",").map(String.init)
        do {
            let meeting = try await services.meetings.create(caller, tenantID, .init(heldOn: day, title: form["title"] ?? "", attendees: attendees))
            return Pages.redirect(to: "/tenants/\(tenantID.uuidString.lowercased())/meetings/\(meeting.id.uuidString.lowercased())")
        } catch ServiceError.invalid(let failures), ServiceError.unresolved(let failures) {
            return await list(request, tenant: text, clientAddress: clientAddress, sent: form, failures: failures, status: .unprocessableContent)
        } catch {
            return console.errorPage(error, request: request)
        }
    }
}
