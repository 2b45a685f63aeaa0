import Domain
import Foundation
import Storage

/// Stat meetings (CitiStat): scheduling them, and the agenda drafted from open action items,
/// measures in trouble and items added by hand.
public struct MeetingService: Sendable {
    let services: Services

    public struct NewMeeting: Sendable {
        public var heldOn: CivilDate
        public var title: String
        public var attendees: [String]

        public init(heldOn: CivilDate, title: String, attendees: [String]) {
            self.heldOn = heldOn
            self.title = title
            self.attendees = attendees
        }
    }

    public struct NewAgendaItem: Sendable {
        public var title: String
        public var measureID: UUID?

        public init(title: String, measureID: UUID?) {
            self.title = title
            self.measureID = measureID
        }
    }

    /// A meeting's agenda (DESIGN.md section 5): follow-ups overdue as of the meeting day.
    public struct Agenda: Sendable {
        public var meeting: MeetingRecord
        public var followUps: [TrackedActionItem]
        /// Measures in red or trending worse against the targets of the meeting's fiscal year.
        public var standingItems: [MeasureEvaluation]
        public var newItems: [AgendaItem]
    }

    /// The tenant's meetings, latest first.
    public func list(_ caller: Caller, _ tenantID: UUID) async throws -> [MeetingRecord] {
        try await services.inTenant(caller, tenantID, .readMeetings, target: "tenants/\(tenantID)/meetings") { work in
            try await work.stores.meetings.meetings(tenantID: tenantID, on: work.connection)
        }
    }

    public func create(_ caller: Caller, _ tenantID: UUID, _ command: NewMeeting) async throws -> MeetingRecord {
        try await services.inTenant(caller, tenantID, .manageMeetings, target: "tenants/\(tenantID)/meetings") { work in
            var validation = Validation()
            let title = validation.text(command.title, field: "title")
            let attendees = command.attendees.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            if attendees.count > 100 || attendees.contains(where: { $0.count > 200 }) {
                validation.fail("attendees", "must be at most 100 names of at most 200 characters")
            }
            try validation.check()
            let meeting = MeetingRecord(id: UUID(), heldOn: command.heldOn, title: title ?? "", attendees: attendees)
            try await work.stores.meetings.create(meeting, tenantID: tenantID, by: work.userID, on: work.connection)
            try await work.audit("meetings.create", target: "meetings/\(meeting.id)", tenantID: tenantID)
            return meeting
        }
    }

    /// Drafts the agenda of a meeting from what stands now: the open action items, every
    /// measure evaluated against the targets of the fiscal year the meeting falls in, and
    /// the items added by hand.
    public func agenda(_ caller: Caller, _ tenantID: UUID, _ meetingID: UUID) async throws -> Agenda {
        try await agenda(caller, tenantID, meetingID) { _ in () }.agenda
    }

    /// The agenda, and what `extra` reads in the same transaction (a page's names).
    func agenda<Extra: Sendable>(
        _ caller: Caller, _ tenantID: UUID, _ meetingID: UUID, with extra: (Work) async throws -> Extra
    ) async throws -> (agenda: Agenda, extra: Extra) {
        let target = "tenants/\(tenantID)/meetings/\(meetingID)/agenda"
        return try await services.inTenant(caller, tenantID, .readMeetings, target: target) { work in
            let meeting = try await work.requireMeeting(meetingID, of: tenantID)
            let connection = work.connection
            let year = FiscalYear.containing(meeting.heldOn, startMonth: work.fiscalYearStartMonth).endingYear
            let actionItems = try await work.stores.meetings.openActionItems(tenantID: tenantID, on: connection)
            let measures = try await work.stores.measures.dashboard(tenantIDs: [tenantID], departmentID: nil, fiscalYear: year, on: connection)
            let manualItems = try await work.stores.meetings.items(meetingID: meetingID, tenantID: tenantID, on: connection)
            let draft = AgendaDraft.draft(
                heldOn: meeting.heldOn, actionItems: actionItems, measures: measures.map(\.evaluation), manualItems: manualItems
            )
            let agenda = Agenda(
                meeting: meeting,
                followUps: draft.followUps.map { TrackedActionItem($0, asOf: draft.heldOn) },
                standingItems: draft.standingItems,
                newItems: draft.newItems
            )
            return (agenda, try await extra(work))
        }
    }

    /// Adds an item to a meeting's agenda by hand, optionally about one of the tenant's measures.
    public func addAgendaItem(_ caller: Caller, _ tenantID: UUID, _ meetingID: UUID, _ command: NewAgendaItem) async throws -> AgendaItem {
        let target = "tenants/\(tenantID)/meetings/\(meetingID)"
        return try await services.inTenant(caller, tenantID, .manageMeetings, target: target) { work in
            _ = try await work.requireMeeting(meetingID, of: tenantID)
            var validation = Validation()
            let title = validation.text(command.title, field: "title", maximumLength: 300)
            try validation.check()
            try await work.requireMeasure(command.measureID, of: tenantID)
            let item = AgendaItem(id: UUID(), title: title ?? "", measureID: command.measureID)
            try await work.stores.meetings.addItem(item, meetingID: meetingID, tenantID: tenantID, on: work.connection)
            try await work.audit("agenda-items.create", target: "meetings/\(meetingID)/items/\(item.id)", tenantID: tenantID)
            return item
        }
    }
}

extension Services {
    public var meetings: MeetingService { MeetingService(services: self) }
}

extension Work {
    /// The meeting, or 404.
    func requireMeeting(_ id: UUID, of tenantID: UUID) async throws -> MeetingRecord {
        guard let meeting = try await stores.meetings.meeting(id, tenantID: tenantID, on: connection) else {
            throw ServiceError.notFound("There is no such meeting.")
        }
        return meeting
    }

    /// 422 naming `measureId` when `id` is not a measure of the tenant.
    func requireMeasure(_ id: UUID?, of tenantID: UUID) async throws {
        guard let id else { return }
        guard try await stores.measures.measure(id, tenantID: tenantID, on: connection) != nil else {
            throw ServiceError.unresolved("measureId", "is not a measure of this tenant")
        }
    }
}
