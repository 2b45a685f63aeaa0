import Domain
import Foundation
import Storage

/// What the console's meeting screens show, each in one transaction: the meetings of a
/// town, one meeting's agenda with what it raised, and the town's action items, with the
/// names of the people and measures they refer to.
extension MeetingService {
    public struct Overview: Sendable {
        public var tenantName: String
        public var readerName: String
        public var meetings: [MeetingRecord]
        /// Whether the reader schedules meetings and raises action items (analysts, the CEO).
        public var mayManage: Bool
    }

    public func overview(_ caller: Caller, _ tenantID: UUID) async throws -> Overview {
        try await services.inTenant(caller, tenantID, .readMeetings, target: "tenants/\(tenantID)/meetings") { work in
            guard let tenant = try await work.stores.tenants.find(tenantID, on: work.connection) else { throw ServiceError.notFound }
            return Overview(
                tenantName: tenant.name, readerName: work.session.user.displayName,
                meetings: try await work.stores.meetings.meetings(tenantID: tenantID, on: work.connection),
                mayManage: AuthorizationPolicy.decide(work.principal, .manageMeetings, .tenant(tenantID)) == .allow
            )
        }
    }

    public struct Page: Sendable {
        public var agenda: Agenda
        public var tenantName: String
        public var readerName: String
        public var mayManage: Bool
        /// The action items raised at this meeting.
        public var raised: [TrackedActionItem]
        /// Who may own an action item, and the measures an item may be about, by name.
        public var people: [(id: UUID, name: String)]
        public var measures: [(id: UUID, name: String)]
    }

    public func page(_ caller: Caller, _ tenantID: UUID, _ meetingID: UUID) async throws -> Page {
        let agenda = try await agenda(caller, tenantID, meetingID) { work in
            guard let tenant = try await work.stores.tenants.find(tenantID, on: work.connection) else { throw ServiceError.notFound }
            let items = try await work.stores.meetings.actionItems(tenantID: tenantID, ownerID: nil, on: work.connection)
            let measures = try await work.stores.measures.measures(tenantID: tenantID, departmentID: nil, after: nil, limit: 10_000, on: work.connection)
            return (
                tenant.name, work.session.user.displayName,
                AuthorizationPolicy.decide(work.principal, .manageMeetings, .tenant(tenantID)) == .allow,
                items.filter { $0.meetingID == meetingID }.map { TrackedActionItem($0, asOf: work.today) },
                try await work.stores.users.workers(of: tenantID, on: work.connection),
                measures.map { (id: $0.id, name: $0.name) }.sorted { $0.name < $1.name }
            )
        }
        let (tenantName, readerName, mayManage, raised, people, measures) = agenda.extra
        return Page(
            agenda: agenda.agenda, tenantName: tenantName, readerName: readerName, mayManage: mayManage, raised: raised, people: people,
            measures: measures
        )
    }
}

extension ActionItemService {
    public struct Board: Sendable {
        public var tenantName: String
        public var readerName: String
        public var readerID: UUID
        public var items: [TrackedActionItem]
        public var people: [UUID: String]
        public var mayManage: Bool
    }

    /// The town's action items as `list` gives them (a department head's own), with names.
    public func board(_ caller: Caller, _ tenantID: UUID) async throws -> Board {
        try await list(caller, tenantID) { work, items in
            guard let tenant = try await work.stores.tenants.find(tenantID, on: work.connection) else { throw ServiceError.notFound }
            let people = try await work.stores.users.workers(of: tenantID, on: work.connection)
            return Board(
                tenantName: tenant.name, readerName: work.session.user.displayName, readerID: work.userID, items: items,
                people: Dictionary(people.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first }),
                mayManage: AuthorizationPolicy.decide(work.principal, .manageMeetings, .tenant(tenantID)) == .allow
            )
        }
    }
}
