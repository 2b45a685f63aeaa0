import Domain
import Foundation
import Hummingbird
import Services
import Storage

/// Stat meetings (CitiStat): agendas drafted from open action items, measures in trouble
/// and items added by hand; action items carried until they are closed.
struct MeetingRoutes {
    let services: Services

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

        init(_ meeting: MeetingRecord, tenantID: UUID) {
            id = meeting.id
            tenantId = tenantID
            heldOn = meeting.heldOn
            title = meeting.title
            attendees = meeting.attendees
        }
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

        init(_ tracked: TrackedActionItem) {
            let item = tracked.item
            id = item.id
            title = item.title
            ownerId = item.ownerID
            dueOn = item.dueOn
            status = item.status.rawValue
            measureId = item.measureID
            meetingId = item.meetingID
            overdue = tracked.isOverdue
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
        var status: ActionItemStatus?
    }

    struct Agenda: ResponseEncodable, Sendable {
        struct StandingItem: Encodable, Sendable {
            var measureId: UUID
            var name: String
            var status: String
            var trend: String
            var latest: Quantity?
            var target: Quantity?
        }
        struct NewItem: ResponseEncodable, Sendable {
            var id: UUID
            var title: String
            var measureId: UUID?

            init(_ item: AgendaItem) {
                id = item.id
                title = item.title
                measureId = item.measureID
            }
        }
        var meeting: MeetingBody
        var followUps: [ActionItemBody]
        var standingItems: [StandingItem]
        var newItems: [NewItem]

        init(_ agenda: MeetingService.Agenda, tenantID: UUID) {
            meeting = MeetingBody(agenda.meeting, tenantID: tenantID)
            followUps = agenda.followUps.map(ActionItemBody.init)
            standingItems = agenda.standingItems.map {
                StandingItem(
                    measureId: $0.measureID, name: $0.name, status: $0.status.rawValue, trend: $0.trend.rawValue,
                    latest: $0.latest, target: $0.target
                )
            }
            newItems = agenda.newItems.map(NewItem.init)
        }
    }

    func register(on group: RouterGroup<SignedInContext>) {
        group.get("/tenants/{t}/meetings") { request, context in
            let tenantID = try request.uuidParameter("t", context: context)
            let page = try PageRequest(request)
            let meetings = try await services.meetings.list(context.caller, tenantID)
            return try page.page(ofWhole: meetings.map { MeetingBody($0, tenantID: tenantID) })
        }
        group.post("/tenants/{t}/meetings") { request, context in
            let tenantID = try request.uuidParameter("t", context: context)
            let body = try await request.decodeJSON(as: NewMeeting.self, context: context)
            let meeting = try await services.meetings.create(
                context.caller, tenantID, .init(heldOn: body.heldOn, title: body.title, attendees: body.attendees ?? [])
            )
            return try Response.created(MeetingBody(meeting, tenantID: tenantID), context: context, request: request)
        }
        group.get("/tenants/{t}/meetings/{id}/agenda") { request, context in
            let (tenantID, meetingID) = try Self.ids(request, context)
            return Agenda(try await services.meetings.agenda(context.caller, tenantID, meetingID), tenantID: tenantID)
        }
        group.post("/tenants/{t}/meetings/{id}/agenda-items") { request, context in
            let (tenantID, meetingID) = try Self.ids(request, context)
            let body = try await request.decodeJSON(as: NewAgendaItem.self, context: context)
            let item = try await services.meetings.addAgendaItem(
                context.caller, tenantID, meetingID, .init(title: body.title, measureID: body.measureId)
            )
            return try Response.created(Agenda.NewItem(item), context: context, request: request)
        }
        group.get("/tenants/{t}/action-items") { request, context in
            let tenantID = try request.uuidParameter("t", context: context)
            let page = try PageRequest(request)
            let items = try await services.actionItems.list(context.caller, tenantID)
            return try page.page(ofWhole: items.map(ActionItemBody.init))
        }
        group.post("/tenants/{t}/action-items") { request, context in
            let tenantID = try request.uuidParameter("t", context: context)
            let body = try await request.decodeJSON(as: NewActionItem.self, context: context)
            let item = try await services.actionItems.create(
                context.caller, tenantID,
                .init(title: body.title, ownerID: body.ownerId, dueOn: body.dueOn, measureID: body.measureId, meetingID: body.meetingId)
            )
            return try Response.created(ActionItemBody(item), context: context, request: request)
        }
        group.patch("/tenants/{t}/action-items/{id}") { request, context in
            let (tenantID, itemID) = try Self.ids(request, context)
            let patch = try await request.decodeJSON(as: ActionItemPatch.self, context: context)
            let item = try await services.actionItems.update(
                context.caller, tenantID, itemID, .init(title: patch.title, ownerID: patch.ownerId, dueOn: patch.dueOn, status: patch.status)
            )
            return ActionItemBody(item)
        }
    }

    static func ids(_ request: Request, _ context: SignedInContext) throws -> (UUID, UUID) {
        (try request.uuidParameter("t", context: context), try request.uuidParameter("id", context: context))
    }
}
