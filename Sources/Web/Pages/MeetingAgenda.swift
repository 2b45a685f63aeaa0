import Domain
import Foundation
import Hummingbird
import Services
import Storage

/// One meeting: its agenda as drafted now, what it raised, the forms that add to it, and
/// the same agenda as a memo to print.
extension MeetingPages {
    /// A form of the meeting page that came back with errors.
    struct Failed {
        var form: String
        var sent: Form
        var failures: [FieldError]
    }

    func meeting(
        _ request: Request, tenant text: String, meeting meetingText: String, clientAddress: String?, memo: Bool = false, failed: Failed? = nil,
        status: HTTPResponse.Status = .ok
    ) async -> Response {
        let route = memo ? "GET /tenants/{t}/meetings/{id}/memo" : "GET /tenants/{t}/meetings/{id}"
        guard let caller = caller(request, clientAddress, route) else { return Pages.redirect(to: "/login") }
        guard let tenantID = UUID(uuidString: text), let meetingID = UUID(uuidString: meetingText) else {
            return console.errorPage(ServiceError.notFound, request: request)
        }
        do {
            let page = try await services.meetings.page(caller, tenantID, meetingID)
            let names = Dictionary(page.people.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
            let measureNames = Dictionary(page.measures.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
            let meeting = page.agenda.meeting
            let tenant = tenantID.uuidString.lowercased()
            var values: [String: Any] = [
                "heldOn": meeting.heldOn.description, "attendees": meeting.attendees.joined(separator: ", "), "hasAttendees": !meeting.attendees.isEmpty,
                "tenant": page.tenantName, "reader": page.readerName, "tenantID": tenant,
                "path": "/tenants/\(tenant)/meetings/\(meetingID.uuidString.lowercased())",
                "followUps": page.agenda.followUps.map { Self.itemValues($0, names: names, measures: measureNames) },
                "hasFollowUps": !page.agenda.followUps.isEmpty,
                "standing": page.agenda.standingItems.map { evaluation in
                    [
                        "name": evaluation.name, "status": PerformancePages.statusWords[evaluation.status]?.word ?? evaluation.status.rawValue,
                        "trend": PerformancePages.trendWords[evaluation.trend] ?? evaluation.trend.rawValue,
                        "latest": evaluation.latest.map { "\($0)" } ?? "no value",
                    ]
                },
                "hasStanding": !page.agenda.standingItems.isEmpty,
                "newItems": page.agenda.newItems.map { item -> [String: Any] in
                    var values: [String: Any] = ["title": item.title]
                    if let measure = item.measureID.flatMap({ measureNames[$0] }) { values["measure"] = measure }
                    return values
                },
                "hasNewItems": !page.agenda.newItems.isEmpty,
                "raised": page.raised.map { Self.itemValues($0, names: names, measures: measureNames) }, "hasRaised": !page.raised.isEmpty,
            ]
            if memo {
                return console.page("memo", title: "Memo: \(meeting.title)", request: request, values: values, signedIn: .init(name: page.readerName))
            }
            var alerts: [String] = []
            if page.mayManage {
                var itemFields = agendaItemFields(page, sent: failed?.form == "agenda-items" ? failed?.sent : nil)
                var actionFields = actionItemFields(page, sent: failed?.form == "action-items" ? failed?.sent : nil)
                if let failed {
                    alerts += failed.form == "agenda-items" ? Field.placing(failed.failures, on: &itemFields) : Field.placing(failed.failures, on: &actionFields)
                }
                alerts += (itemFields + actionFields).compactMap(\.error)
                values["itemFields"] = itemFields.map(\.values)
                values["actionFields"] = actionFields.map(\.values)
                values["mayManage"] = true
            }
            let added = request.uri.queryParameters["added"].map(String.init)
            return console.page(
                "meeting", title: "\(meeting.title) · \(page.tenantName)", request: request, values: values, signedIn: .init(name: page.readerName),
                alerts: alerts, notice: added == "item" ? "The item is on the agenda." : added == "action" ? "The action item is raised." : nil,
                status: status
            )
        } catch {
            return console.errorPage(error, request: request)
        }
    }

    static func itemValues(_ tracked: TrackedActionItem, names: [UUID: String], measures: [UUID: String]) -> [String: Any] {
        let item = tracked.item
        var values: [String: Any] = [
            "title": item.title, "owner": item.ownerID.flatMap { names[$0] } ?? "no owner yet", "due": item.dueOn.map { "due \($0)" } ?? "no due day",
            "overdue": tracked.isOverdue, "status": ActionItemPages.statusWords[item.status] ?? "",
        ]
        // Absent, not empty: a section over an empty string would still be drawn.
        if let measure = item.measureID.flatMap({ measures[$0] }) { values["measure"] = measure }
        return values
    }

    func measureOptions(_ page: MeetingService.Page) -> [(value: String, label: String)] {
        [("", "None")] + page.measures.map { ($0.id.uuidString.lowercased(), $0.name) }
    }

    func agendaItemFields(_ page: MeetingService.Page, sent: Form?) -> [Field] {
        [
            Field(name: "title", label: "Item", value: sent?["title"] ?? "", autocomplete: "off", idSuffix: "-item"),
            Field(name: "measureId", label: "About the measure", value: sent?["measureId"] ?? "", required: false, idSuffix: "-item", options: measureOptions(page)),
        ]
    }

    func actionItemFields(_ page: MeetingService.Page, sent: Form?) -> [Field] {
        [
            Field(name: "title", label: "What is to be done", value: sent?["title"] ?? "", autocomplete: "off", idSuffix: "-action"),
            Field(
                name: "ownerId", label: "Owner", value: sent?["ownerId"] ?? "", required: false, idSuffix: "-action",
                options: [("", "No one yet")] + page.people.map { ($0.id.uuidString.lowercased(), $0.name) }
            ),
            Field(name: "dueOn", label: "Due", type: "date", value: sent?["dueOn"] ?? "", required: false, idSuffix: "-action"),
            Field(name: "measureId", label: "About the measure", value: sent?["measureId"] ?? "", required: false, idSuffix: "-action", options: measureOptions(page)),
        ]
    }

    // MARK: Adding to a meeting

    func addItem(_ request: Request, tenant text: String, meeting meetingText: String, clientAddress: String?, context: some RequestContext) async throws -> Response {
        try await posting("agenda-items", request, tenant: text, meeting: meetingText, clientAddress: clientAddress, context: context) { caller, tenantID, meetingID, form, _ in
            _ = try await services.meetings.addAgendaItem(
                caller, tenantID, meetingID, .init(title: form["title"] ?? "", measureID: form["measureId"].flatMap(UUID.init(uuidString:)))
            )
            return "item"
        }
    }

    func raise(_ request: Request, tenant text: String, meeting meetingText: String, clientAddress: String?, context: some RequestContext) async throws -> Response {
        try await posting("action-items", request, tenant: text, meeting: meetingText, clientAddress: clientAddress, context: context) { caller, tenantID, meetingID, form, failures in
            let due = BillingPages.day(form["dueOn"], field: "dueOn", failures: &failures)
            guard failures.isEmpty else { throw ServiceError.invalid(failures) }
            _ = try await services.actionItems.create(
                caller, tenantID,
                .init(
                    title: form["title"] ?? "", ownerID: form["ownerId"].flatMap(UUID.init(uuidString:)), dueOn: due,
                    measureID: form["measureId"].flatMap(UUID.init(uuidString:)), meetingID: meetingID
                )
            )
            return "action"
        }
    }

    /// A form of the meeting page: CSRF, the caller, the ids, `body`; back to the meeting
    /// with a notice, or the meeting with the errors beside the form's fields.
    func posting(
        _ form: String, _ request: Request, tenant text: String, meeting meetingText: String, clientAddress: String?, context: some RequestContext,
        _ body: (Caller, UUID, UUID, Form, inout [FieldError]) async throws -> String
    ) async throws -> Response {
        let sent = try await Form.read(request, context: context)
        guard console.cookies.acceptsForm(request, field: sent["csrf"]) else { return console.refusedForm(request, form: sent) }
        guard let caller = caller(request, clientAddress, "POST /tenants/{t}/meetings/{id}/\(form)") else { return Pages.redirect(to: "/login") }
        guard let tenantID = UUID(uuidString: text), let meetingID = UUID(uuidString: meetingText) else {
            return console.errorPage(ServiceError.notFound, request: request)
        }
        do {
            var failures: [FieldError] = []
            let added = try await body(caller, tenantID, meetingID, sent, &failures)
            return Pages.redirect(to: "/tenants/\(tenantID.uuidString.lowercased())/meetings/\(meetingID.uuidString.lowercased())?added=\(added)")
        } catch ServiceError.invalid(let failures), ServiceError.unresolved(let failures) {
            return await meeting(
                request, tenant: text, meeting: meetingText, clientAddress: clientAddress, failed: Failed(form: form, sent: sent, failures: failures),
                status: .unprocessableContent
            )
        } catch {
            return console.errorPage(error, request: request)
        }
    }
}
