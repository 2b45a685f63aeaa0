import Domain
import Foundation
import Hummingbird
import PostgresNIO
import Services
import Storage

/// Stat meetings (CitiStat): agendas drafted from open action items, measures in trouble
/// and items added by hand; action items carried until they are closed.
struct MeetingRoutes {
    let backend: Backend

    struct NewMeeting: Decodable {
        var heldOn: CivilDate
        var title: String
        var attendees: [String]?
    }

    struct MeetingBody: ResponseEncodable, Sendable {
        var id: UUID
        var tenantId: UUID
        var heldOn: CivilDate
        var title: String
        var attendees: [String]
    }

    struct NewAgendaItem: Decodable {
        var title: String
        var measureId: UUID?
    }

    struct ActionItemBody: ResponseEncodable, Sendable {
        var id: UUID
        var title: String
        var ownerId: UUID?
        var dueOn: CivilDate?
        var status: String
        var measureId: UUID?
        var meetingId: UUID?
        var overdue: Bool

        init(_ item: ActionItemRecord, today: CivilDate = .today) {
            id = item.id
            title = item.title
            ownerId = item.ownerID
            dueOn = item.dueOn
            status = item.status.rawValue
            measureId = item.measureID
            meetingId = item.meetingID
            overdue = item.status == .open && (item.dueOn.map { $0 < today } ?? false)
        }
    }

    struct NewActionItem: Decodable {
        var title: String
        var ownerId: UUID?
        var dueOn: CivilDate?
        var measureId: UUID?
        var meetingId: UUID?
    }

    struct ActionItemPatch: Decodable {
        var title: String?
        var ownerId: UUID?
        var dueOn: CivilDate?
        var status: ActionItemRecord.Status?
    }

    struct Agenda: ResponseEncodable, Sendable {
        struct StandingItem: Encodable, Sendable {
            var measureId: UUID
            var name: String
            var status: String
            var trend: String
            var latest: Decimal?
            var target: Decimal?
        }
        struct NewItem: ResponseEncodable, Sendable {
            var id: UUID
            var title: String
            var measureId: UUID?
        }
        var meeting: MeetingBody
        var followUps: [ActionItemBody]
        var standingItems: [StandingItem]
        var newItems: [NewItem]
    }

    func register(on group: RouterGroup<AuthenticatedContext>) {
        group.get("/tenants/{t}/meetings") { request, context in try await list(request, context) }
        group.post("/tenants/{t}/meetings") { request, context in try await create(request, context) }
        group.get("/tenants/{t}/meetings/{id}/agenda") { request, context in try await agenda(request, context) }
        group.post("/tenants/{t}/meetings/{id}/agenda-items") { request, context in try await addItem(request, context) }
        group.get("/tenants/{t}/action-items") { request, context in try await listItems(request, context) }
        group.post("/tenants/{t}/action-items") { request, context in try await createItem(request, context) }
        group.patch("/tenants/{t}/action-items/{id}") { request, context in try await updateItem(request, context) }
    }

    static func body(_ meeting: MeetingRecord, tenantID: UUID) -> MeetingBody {
        MeetingBody(id: meeting.id, tenantId: tenantID, heldOn: meeting.heldOn, title: meeting.title, attendees: meeting.attendees)
    }

    func list(_ request: Request, _ context: AuthenticatedContext) async throws -> Page<MeetingBody> {
        let tenantID = try request.uuidParameter("t", context: context)
        let access = try await backend.accessGuard.tenant(tenantID, .readMeetings, target: "tenants/\(tenantID)/meetings", context: context)
        let meetings = try await backend.database.withTenantTransaction(access) { connection in
            try await backend.meetings.meetings(tenantID: tenantID, on: connection)
        }
        return try PageRequest(request).page(ofWhole: meetings.map { Self.body($0, tenantID: tenantID) })
    }

    func create(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        let tenantID = try request.uuidParameter("t", context: context)
        let access = try await backend.accessGuard.tenant(tenantID, .manageMeetings, target: "tenants/\(tenantID)/meetings", context: context)
        let body = try await request.decodeJSON(as: NewMeeting.self, context: context)
        var validation = Validation()
        let title = validation.text(body.title, field: "title")
        let attendees = (body.attendees ?? []).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if attendees.count > 100 || attendees.contains(where: { $0.count > 200 }) {
            validation.fail("attendees", "must be at most 100 names of at most 200 characters")
        }
        try validation.check()
        let meeting = MeetingRecord(id: UUID(), heldOn: body.heldOn, title: title ?? "", attendees: attendees)
        try await backend.database.withTenantTransaction(access) { connection in
            try await backend.meetings.create(meeting, tenantID: tenantID, by: context.userID, on: connection)
            try await backend.audit.record(context.success("meetings.create", target: "meetings/\(meeting.id)", tenantID: tenantID), on: connection)
        }
        return try .created(Self.body(meeting, tenantID: tenantID), context: context, request: request)
    }

    func agenda(_ request: Request, _ context: AuthenticatedContext) async throws -> Agenda {
        let tenantID = try request.uuidParameter("t", context: context)
        let meetingID = try request.uuidParameter("id", context: context)
        let access = try await backend.accessGuard.tenant(tenantID, .readMeetings, target: "tenants/\(tenantID)/meetings/\(meetingID)/agenda", context: context)
        return try await backend.database.withTenantTransaction(access) { connection in
            guard let meeting = try await backend.meetings.meeting(meetingID, tenantID: tenantID, on: connection) else {
                throw Problem.notFound("There is no such meeting.")
            }
            let startMonth = try await backend.tenants.fiscalYearStartMonth(of: tenantID, on: connection) ?? 7
            let year = FiscalYear.containing(meeting.heldOn, startMonth: startMonth).endingYear
            let followUps = try await backend.meetings.followUps(for: meeting, tenantID: tenantID, on: connection)
            let dashboard = try await backend.measures.dashboard(tenantIDs: [tenantID], departmentID: nil, fiscalYear: year, on: connection)
            let standing = dashboard.filter { $0.status == .red || $0.trend == .worsening }
            let items = try await backend.meetings.items(meetingID: meetingID, tenantID: tenantID, on: connection)
            return Agenda(
                meeting: Self.body(meeting, tenantID: tenantID),
                followUps: followUps.map { ActionItemBody($0, today: meeting.heldOn) },
                standingItems: standing.map {
                    Agenda.StandingItem(measureId: $0.measure.id, name: $0.measure.name, status: $0.status.rawValue, trend: $0.trend.rawValue, latest: $0.latest, target: $0.target?.value)
                },
                newItems: items.map { Agenda.NewItem(id: $0.id, title: $0.title, measureId: $0.measureID) }
            )
        }
    }

    func addItem(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        let tenantID = try request.uuidParameter("t", context: context)
        let meetingID = try request.uuidParameter("id", context: context)
        let access = try await backend.accessGuard.tenant(tenantID, .manageMeetings, target: "tenants/\(tenantID)/meetings/\(meetingID)", context: context)
        let body = try await request.decodeJSON(as: NewAgendaItem.self, context: context)
        var validation = Validation()
        let title = validation.text(body.title, field: "title", maximumLength: 300)
        try validation.check()
        let item = try await backend.database.withTenantTransaction(access) { connection in
            guard try await backend.meetings.meeting(meetingID, tenantID: tenantID, on: connection) != nil else {
                throw Problem.notFound("There is no such meeting.")
            }
            try await requireMeasure(body.measureId, tenantID: tenantID, connection: connection)
            let id = try await backend.meetings.addItem(title: title ?? "", measureID: body.measureId, meetingID: meetingID, tenantID: tenantID, on: connection)
            try await backend.audit.record(context.success("agenda-items.create", target: "meetings/\(meetingID)/items/\(id)", tenantID: tenantID), on: connection)
            return Agenda.NewItem(id: id, title: title ?? "", measureId: body.measureId)
        }
        return try .created(item, context: context, request: request)
    }

    private func requireMeasure(_ id: UUID?, tenantID: UUID, connection: PostgresConnection) async throws {
        guard let id else { return }
        guard try await backend.measures.measure(id, tenantID: tenantID, on: connection) != nil else {
            throw Problem.validation([.init(field: "measureId", reason: "is not a measure of this tenant")])
        }
    }

    func listItems(_ request: Request, _ context: AuthenticatedContext) async throws -> Page<ActionItemBody> {
        let tenantID = try request.uuidParameter("t", context: context)
        // A department head reads the items assigned to them; the others, all of the tenant's.
        let confined = AccessGuard.departmentScope(of: context.principal, in: tenantID) != nil
        let resource: Resource = confined ? .actionItem(tenantID: tenantID, assigneeID: context.userID) : .tenant(tenantID)
        let access = try await backend.accessGuard.tenant(tenantID, .readMeetings, resource: resource, target: "tenants/\(tenantID)/action-items", context: context)
        let items = try await backend.database.withTenantTransaction(access) { connection in
            try await backend.meetings.actionItems(tenantID: tenantID, ownerID: confined ? context.userID : nil, on: connection)
        }
        return try PageRequest(request).page(ofWhole: items.map { ActionItemBody($0) })
    }

    func createItem(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        let tenantID = try request.uuidParameter("t", context: context)
        let access = try await backend.accessGuard.tenant(tenantID, .manageMeetings, target: "tenants/\(tenantID)/action-items", context: context)
        let body = try await request.decodeJSON(as: NewActionItem.self, context: context)
        var validation = Validation()
        let title = validation.text(body.title, field: "title", maximumLength: 300)
        try validation.check()
        let item = ActionItemRecord(
            id: UUID(), title: title ?? "", ownerID: body.ownerId, dueOn: body.dueOn, status: .open,
            measureID: body.measureId, meetingID: body.meetingId
        )
        try await backend.database.withTenantTransaction(access) { connection in
            try await requireMeasure(body.measureId, tenantID: tenantID, connection: connection)
            try await backend.requireUser(body.ownerId, field: "ownerId", on: connection)
            if let meetingID = body.meetingId, try await backend.meetings.meeting(meetingID, tenantID: tenantID, on: connection) == nil {
                throw Problem.validation([.init(field: "meetingId", reason: "is not a meeting of this tenant")])
            }
            try await backend.meetings.create(item, tenantID: tenantID, on: connection)
            try await backend.audit.record(context.success("action-items.create", target: "action-items/\(item.id)", tenantID: tenantID), on: connection)
        }
        return try .created(ActionItemBody(item), context: context, request: request)
    }

    func updateItem(_ request: Request, _ context: AuthenticatedContext) async throws -> ActionItemBody {
        let tenantID = try request.uuidParameter("t", context: context)
        let itemID = try request.uuidParameter("id", context: context)
        let target = "tenants/\(tenantID)/action-items/\(itemID)"
        let visible = try await backend.accessGuard.tenant(tenantID, .readTenantProfile, target: target, context: context)
        let existing = try await backend.database.withTenantTransaction(visible) { connection in
            try await backend.meetings.actionItem(itemID, tenantID: tenantID, on: connection)
        }
        guard var item = existing else { throw Problem.notFound("There is no such action item.") }
        let patch = try await request.decodeJSON(as: ActionItemPatch.self, context: context)
        // Those who manage meetings change anything; the owner of an item may report on it.
        let manages = AuthorizationPolicy.decide(context.principal, .manageMeetings, .tenant(tenantID)) == .allow
        if !manages {
            _ = try await backend.accessGuard.tenant(
                tenantID, .readMeetings, resource: .actionItem(tenantID: tenantID, assigneeID: item.ownerID), target: target, context: context
            )
            if patch.ownerId != nil || patch.title != nil || patch.dueOn != nil {
                throw Problem.forbidden("The owner of an action item may change its status only.")
            }
        }
        var validation = Validation()
        if let title = validation.text(patch.title, field: "title", maximumLength: 300, required: false) { item.title = title }
        try validation.check()
        if let owner = patch.ownerId { item.ownerID = owner }
        if let due = patch.dueOn { item.dueOn = due }
        if let status = patch.status { item.status = status }
        let updated = item
        try await backend.database.withTenantTransaction(visible) { connection in
            try await backend.requireUser(patch.ownerId, field: "ownerId", on: connection)
            try await backend.meetings.update(updated, tenantID: tenantID, on: connection)
            try await backend.audit.record(context.success("action-items.update", target: "action-items/\(itemID)", tenantID: tenantID), on: connection)
        }
        return ActionItemBody(updated)
    }
}
