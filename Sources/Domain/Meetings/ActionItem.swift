import Foundation

/// Where an action item stands.
public enum ActionItemStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case open, done, dropped
}

/// A task raised at (or between) stat meetings: owner, due date, status, linked measure.
/// Open ones carry into the next meeting as follow-ups.
public struct ActionItem: Sendable, Hashable {
    public var id: UUID
    public var title: String
    public var ownerID: UUID?
    public var dueOn: CivilDate?
    public var status: ActionItemStatus
    public var measureID: UUID?
    /// The meeting it was raised at, if any.
    public var meetingID: UUID?
    /// The day of that meeting; nil when the item was raised outside a meeting.
    public var raisedOn: CivilDate?

    public init(
        id: UUID,
        title: String,
        ownerID: UUID? = nil,
        dueOn: CivilDate? = nil,
        status: ActionItemStatus = .open,
        measureID: UUID? = nil,
        meetingID: UUID? = nil,
        raisedOn: CivilDate? = nil
    ) {
        self.id = id
        self.title = title
        self.ownerID = ownerID
        self.dueOn = dueOn
        self.status = status
        self.measureID = measureID
        self.meetingID = meetingID
        self.raisedOn = raisedOn
    }

    /// Overdue on `today`: still open and due before it. An item without a due date
    /// is never overdue; one due today is not overdue yet.
    public static func isOverdue(status: ActionItemStatus, dueOn: CivilDate?, today: CivilDate) -> Bool {
        guard status == .open, let dueOn else { return false }
        return dueOn < today
    }

    /// `isOverdue(status:dueOn:today:)` of this item.
    public func isOverdue(on today: CivilDate) -> Bool {
        Self.isOverdue(status: status, dueOn: dueOn, today: today)
    }

    /// A follow-up of the meeting held on `meetingDay`: still open, and not raised at
    /// that meeting or a later one.
    public func isFollowUp(ofMeetingOn meetingDay: CivilDate) -> Bool {
        guard status == .open else { return false }
        return raisedOn.map { $0 < meetingDay } ?? true
    }
}

/// An item added to a meeting's agenda by hand.
public struct AgendaItem: Sendable, Hashable {
    public var id: UUID
    public var title: String
    public var measureID: UUID?

    public init(id: UUID, title: String, measureID: UUID? = nil) {
        self.id = id
        self.title = title
        self.measureID = measureID
    }
}
