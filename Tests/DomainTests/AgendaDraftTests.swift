import Domain
import Foundation
import Testing

@Suite("Agenda drafting")
struct AgendaDraftTests {
    static let meetingDay = CivilDate(year: 2015, month: 3, day: 10)

    static func date(_ text: String) -> CivilDate? { CivilDate(iso8601: text) }

    static func measure(_ name: String, _ status: PerformanceStatus, _ trend: Trend) -> MeasureEvaluation {
        MeasureEvaluation(
            tenantID: UUID(), measureID: UUID(), name: name, direction: .lowerIsBetter, frequency: .monthly,
            status: status, trend: trend, latestPeriod: nil, latest: nil, target: nil
        )
    }

    @Test("standing items: in red or trending worse", arguments: PerformanceStatus.allCases, Trend.allCases)
    func standing(status: PerformanceStatus, trend: Trend) throws {
        let measure = Self.measure("Response minutes", status, trend)
        let agenda = AgendaDraft.draft(heldOn: try #require(Self.meetingDay), actionItems: [], measures: [measure], manualItems: [])
        let expected = status == .red || trend == .worsening
        #expect(measure.isStanding == expected)
        #expect(agenda.standingItems == (expected ? [measure] : []))
    }

    @Test(
        "follow-ups: open, and raised before this meeting or outside any",
        arguments: [
            (ActionItemStatus.open, nil as String?, true), (.open, "2015-02-10", true), (.open, "2015-03-09", true),
            (.open, "2015-03-10", false), (.open, "2015-04-10", false), (.done, nil, false), (.dropped, "2015-02-10", false),
        ]
    )
    func followUp(status: ActionItemStatus, raisedOn: String?, isFollowUp: Bool) throws {
        let item = ActionItem(id: UUID(), title: "Post the snow routes", status: status, meetingID: raisedOn.map { _ in UUID() }, raisedOn: raisedOn.flatMap(Self.date))
        let agenda = AgendaDraft.draft(heldOn: try #require(Self.meetingDay), actionItems: [item], measures: [], manualItems: [])
        #expect(item.isFollowUp(ofMeetingOn: try #require(Self.meetingDay)) == isFollowUp)
        #expect(agenda.followUps == (isFollowUp ? [item] : []))
    }

    @Test("a whole agenda, in a stable order")
    func wholeAgenda() throws {
        let heldOn = try #require(Self.meetingDay)
        func item(_ title: String, due: String?, status: ActionItemStatus = .open, raised: String? = nil) -> ActionItem {
            ActionItem(id: UUID(), title: title, dueOn: due.flatMap(Self.date), status: status, raisedOn: raised.flatMap(Self.date))
        }
        let undatedFirst = item("undated, given first", due: nil)
        let lateMarch = item("due March 20", due: "2015-03-20")
        let earlyMarchA = item("due March 1 (A)", due: "2015-03-01", raised: "2015-02-10")
        let closed = item("closed", due: "2015-02-01", status: .done)
        let raisedToday = item("raised today", due: "2015-02-01", raised: "2015-03-10")
        let earlyMarchB = item("due March 1 (B)", due: "2015-03-01")
        let undatedLast = item("undated, given last", due: nil)
        let red = Self.measure("Potholes open", .red, .steady)
        let green = Self.measure("Permits issued", .green, .improving)
        let worsening = Self.measure("Overtime hours", .yellow, .worsening)
        let manual = [AgendaItem(id: UUID(), title: "Budget preview"), AgendaItem(id: UUID(), title: "Snow plan", measureID: UUID())]

        let agenda = AgendaDraft.draft(
            heldOn: heldOn,
            actionItems: [undatedFirst, lateMarch, earlyMarchA, closed, raisedToday, earlyMarchB, undatedLast],
            measures: [red, green, worsening],
            manualItems: manual
        )

        #expect(agenda.heldOn == heldOn)
        #expect(agenda.followUps.map(\.title) == ["due March 1 (A)", "due March 1 (B)", "due March 20", "undated, given first", "undated, given last"])
        #expect(agenda.followUps.map { $0.isOverdue(on: heldOn) } == [true, true, false, false, false])
        #expect(agenda.standingItems == [red, worsening])
        #expect(agenda.newItems == manual)
    }

    @Test("an empty tenant drafts an empty agenda")
    func empty() throws {
        let agenda = AgendaDraft.draft(heldOn: try #require(Self.meetingDay), actionItems: [], measures: [], manualItems: [])
        #expect(agenda.followUps.isEmpty && agenda.standingItems.isEmpty && agenda.newItems.isEmpty)
    }
}
