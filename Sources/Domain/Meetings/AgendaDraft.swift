/// A stat meeting's agenda, drafted automatically (DESIGN.md section 5).
public struct AgendaDraft: Sendable, Hashable {
    /// The day of the meeting: follow-ups are overdue as of it.
    public var heldOn: CivilDate
    /// Open action items raised before the meeting (or outside any meeting), by due date,
    /// undated last; items with the same due date keep the order they were given in.
    public var followUps: [ActionItem]
    /// Measures in red or trending worse, in the order they were given in.
    public var standingItems: [MeasureEvaluation]
    /// Items added by hand, in the order they were given in.
    public var newItems: [AgendaItem]

    public init(heldOn: CivilDate, followUps: [ActionItem], standingItems: [MeasureEvaluation], newItems: [AgendaItem]) {
        self.heldOn = heldOn
        self.followUps = followUps
        self.standingItems = standingItems
        self.newItems = newItems
    }

    /// Drafts the agenda of the meeting held on `heldOn` from the tenant's action items
    /// (any status: closed ones and those raised at this meeting or later are left out),
    /// its evaluated measures (this fiscal year's targets) and the items added by hand.
    public static func draft(
        heldOn: CivilDate,
        actionItems: [ActionItem],
        measures: [MeasureEvaluation],
        manualItems: [AgendaItem]
    ) -> AgendaDraft {
        let followUps = actionItems.enumerated()
            .filter { $0.element.isFollowUp(ofMeetingOn: heldOn) }
            .sorted { lhs, rhs in
                switch (lhs.element.dueOn, rhs.element.dueOn) {
                case (let left?, let right?) where left != right: left < right
                case (.some, nil): true
                case (nil, .some): false
                default: lhs.offset < rhs.offset
                }
            }
            .map(\.element)
        return AgendaDraft(
            heldOn: heldOn,
            followUps: followUps,
            standingItems: measures.filter(\.isStanding),
            newItems: manualItems
        )
    }
}
