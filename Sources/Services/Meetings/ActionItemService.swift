import Domain
import Foundation
import Storage

/// An action item as of a day: whether it is overdue then.
public struct TrackedActionItem: Sendable, Hashable {
    public var item: ActionItem
    public var isOverdue: Bool

    init(_ item: ActionItem, asOf day: CivilDate) {
        self.item = item
        self.isOverdue = item.isOverdue(on: day)
    }
}

/// Action items: raised at (or between) stat meetings, owned by someone who works on the
/// tenant, carried from meeting to meeting until closed.
public struct ActionItemService: Sendable {
    let services: Services

    public struct NewActionItem: Sendable {
        public var title: String
        public var ownerID: UUID?
        public var dueOn: CivilDate?
        public var measureID: UUID?
        public var meetingID: UUID?

        public init(title: String, ownerID: UUID?, dueOn: CivilDate?, measureID: UUID?, meetingID: UUID?) {
            self.title = title
            self.ownerID = ownerID
            self.dueOn = dueOn
            self.measureID = measureID
            self.meetingID = meetingID
        }
    }

    /// A change of an action item: nil leaves a field as it is.
    public struct Change: Sendable {
        public var title: String?
        public var ownerID: UUID?
        public var dueOn: CivilDate?
        public var status: ActionItemStatus?

        public init(title: String?, ownerID: UUID?, dueOn: CivilDate?, status: ActionItemStatus?) {
            self.title = title
            self.ownerID = ownerID
            self.dueOn = dueOn
            self.status = status
        }

        /// Whether it touches more than the status: what only those who manage meetings may do.
        var reassigns: Bool { title != nil || ownerID != nil || dueOn != nil }
    }

    /// The tenant's action items, open first; a department head's, only those assigned to them.
    public func list(_ caller: Caller, _ tenantID: UUID) async throws -> [TrackedActionItem] {
        try await list(caller, tenantID) { _, items in items }
    }

    /// The list, turned into `Result` by `body` in the same transaction.
    func list<Result: Sendable>(
        _ caller: Caller, _ tenantID: UUID, _ body: (Work, [TrackedActionItem]) async throws -> Result
    ) async throws -> Result {
        let target = "tenants/\(tenantID)/action-items"
        return try await services.run(caller, scope: .tenant(tenantID)) { work in
            guard work.session.tenantVisible else {
                throw work.denial(.notFound, action: .readMeetings, target: target, tenantID: nil)
            }
            let confined = work.departmentScope(in: tenantID) != nil
            let resource: Resource = confined ? .actionItem(tenantID: tenantID, assigneeID: work.userID) : .tenant(tenantID)
            try work.authorize(.readMeetings, on: resource, target: target)
            let items = try await work.stores.meetings.actionItems(
                tenantID: tenantID, ownerID: confined ? work.userID : nil, on: work.connection
            )
            return try await body(work, items.map { TrackedActionItem($0, asOf: work.today) })
        }
    }

    public func create(_ caller: Caller, _ tenantID: UUID, _ command: NewActionItem) async throws -> TrackedActionItem {
        try await services.inTenant(caller, tenantID, .manageMeetings, target: "tenants/\(tenantID)/action-items") { work in
            var validation = Validation()
            let title = validation.text(command.title, field: "title", maximumLength: 300)
            try validation.check()
            try await work.requireMeasure(command.measureID, of: tenantID)
            try await work.requireWorker(command.ownerID, of: tenantID, field: "ownerId")
            var raisedOn: CivilDate?
            if let meetingID = command.meetingID {
                guard let meeting = try await work.stores.meetings.meeting(meetingID, tenantID: tenantID, on: work.connection) else {
                    throw ServiceError.unresolved("meetingId", "is not a meeting of this tenant")
                }
                raisedOn = meeting.heldOn
            }
            let item = ActionItem(
                id: UUID(), title: title ?? "", ownerID: command.ownerID, dueOn: command.dueOn, status: .open,
                measureID: command.measureID, meetingID: command.meetingID, raisedOn: raisedOn
            )
            try await work.stores.meetings.create(item, tenantID: tenantID, on: work.connection)
            try await work.audit("action-items.create", target: "action-items/\(item.id)", tenantID: tenantID)
            return TrackedActionItem(item, asOf: work.today)
        }
    }

    /// Applies `change` to the item as it is in this transaction, locked until commit. Those
    /// who manage meetings change anything; the owner of an item may report its status.
    public func update(_ caller: Caller, _ tenantID: UUID, _ itemID: UUID, _ change: Change) async throws -> TrackedActionItem {
        let target = "tenants/\(tenantID)/action-items/\(itemID)"
        return try await services.inTenant(caller, tenantID, .readTenantProfile, target: target) { work in
            guard var item = try await work.stores.meetings.actionItem(itemID, tenantID: tenantID, lock: true, on: work.connection) else {
                throw ServiceError.notFound("There is no such action item.")
            }
            if AuthorizationPolicy.decide(work.principal, .manageMeetings, .tenant(tenantID)) != .allow {
                try work.authorize(.readMeetings, on: .actionItem(tenantID: tenantID, assigneeID: item.ownerID), target: target)
                if change.reassigns {
                    throw work.denial(
                        .forbidden("The owner of an action item may change its status only."),
                        action: .manageMeetings, target: target, tenantID: tenantID
                    )
                }
            }
            var validation = Validation()
            if let title = validation.text(change.title, field: "title", maximumLength: 300, required: false) { item.title = title }
            try validation.check()
            try await work.requireWorker(change.ownerID, of: tenantID, field: "ownerId")
            if let owner = change.ownerID { item.ownerID = owner }
            if let due = change.dueOn { item.dueOn = due }
            if let status = change.status { item.status = status }
            try await work.stores.meetings.update(item, tenantID: tenantID, on: work.connection)
            try await work.audit("action-items.update", target: "action-items/\(itemID)", tenantID: tenantID)
            return TrackedActionItem(item, asOf: work.today)
        }
    }
}

extension Services {
    public var actionItems: ActionItemService { ActionItemService(services: self) }
}
