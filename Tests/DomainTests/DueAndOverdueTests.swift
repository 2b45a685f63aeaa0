import Domain
import Foundation
import Testing

@Suite("Due data and overdue action items")
struct DueAndOverdueTests {
    static func date(_ text: String) throws -> CivilDate { try #require(CivilDate(iso8601: text)) }

    @Test(
        "a reminder asks for the last period that has ended (quarters and years by the fiscal year)",
        arguments: [
            (Frequency.monthly, 7, "2015-03-15", "2015-02-01"), (.monthly, 7, "2015-01-01", "2014-12-01"),
            (.monthly, 1, "2015-03-31", "2015-02-01"),
            (.quarterly, 7, "2015-03-15", "2014-10-01"), (.quarterly, 7, "2015-04-01", "2015-01-01"),
            (.quarterly, 7, "2015-05-15", "2015-01-01"), (.quarterly, 8, "2015-05-15", "2015-02-01"),
            (.yearly, 7, "2015-03-15", "2013-07-01"), (.yearly, 7, "2015-07-01", "2014-07-01"),
            (.yearly, 1, "2015-03-15", "2014-01-01"), (.yearly, 10, "2015-09-30", "2013-10-01"),
        ]
    )
    func lastEndedPeriod(frequency: Frequency, startMonth: Int, today: String, expected: String) throws {
        #expect(frequency.lastEndedPeriod(on: try Self.date(today), fiscalYearStartMonth: startMonth) == (try Self.date(expected)))
        // It is a period start, and its period has ended by today.
        let period = try #require(frequency.lastEndedPeriod(on: try Self.date(today), fiscalYearStartMonth: startMonth))
        #expect(frequency.isPeriodStart(period, fiscalYearStartMonth: startMonth))
        #expect(frequency.nextPeriod(after: period) <= (try Self.date(today)))
        #expect(frequency.nextPeriod(after: frequency.nextPeriod(after: period)) > (try Self.date(today)))
    }

    @Test(
        "a measure is due once the period after its latest value has ended",
        arguments: [
            (Frequency.monthly, "2015-01-01" as String?, "2015-02-28", false), (.monthly, "2015-01-01", "2015-03-01", true),
            (.monthly, "2014-11-01", "2014-12-31", false), (.monthly, "2014-11-01", "2015-01-01", true),
            (.quarterly, "2014-07-01", "2014-12-31", false), (.quarterly, "2014-07-01", "2015-01-01", true),
            (.yearly, "2014-07-01", "2016-06-30", false), (.yearly, "2014-07-01", "2016-07-01", true),
            // A value for a future period is not due.
            (.monthly, "2016-01-01", "2015-06-01", false),
            // No value yet: due.
            (.monthly, nil, "2015-01-01", true), (.yearly, nil, "1900-01-01", true),
            // At the calendar's end there is no next period: never due, and no trap.
            (.monthly, "9999-11-01", "9999-12-31", false), (.yearly, "9999-07-01", "9999-12-31", false),
        ]
    )
    func due(frequency: Frequency, latest: String?, today: String, isDue: Bool) throws {
        let latestPeriod = try latest.map { try Self.date($0) }
        #expect(frequency.isDue(latestPeriod: latestPeriod, today: try Self.date(today)) == isDue)
    }

    @Test("the rule the portfolio route wrote inline, for every month of three years", arguments: Frequency.allCases)
    func sameAsBefore(frequency: Frequency) {
        let months = (0..<36).compactMap { CivilDate(year: 2014 + $0 / 12, month: $0 % 12 + 1, day: 1) }
        for latest in months {
            for today in months.flatMap({ [$0, $0.adding(days: -1)] }) {
                let before = frequency.nextPeriod(after: frequency.nextPeriod(after: latest)) <= today
                #expect(frequency.isDue(latestPeriod: latest, today: today) == before, "\(latest) on \(today)")
            }
        }
    }

    @Test(
        "data is stale when the three periods after the latest value have ended; a measure never reported is due, not stale",
        arguments: [
            (Frequency.monthly, "2014-11-01" as String?, "2015-02-28", false), (.monthly, "2014-11-01", "2015-03-01", true),
            (.monthly, "2015-02-01", "2015-03-15", false), (.monthly, nil, "2015-03-15", false),
            (.quarterly, "2014-01-01", "2014-12-31", false), (.quarterly, "2014-01-01", "2015-01-01", true),
            (.yearly, "2011-07-01", "2015-06-30", false), (.yearly, "2011-07-01", "2015-07-01", true),
            (.monthly, "9999-09-01", "9999-12-31", false), (.monthly, "2199-09-01", "2199-12-31", false),
        ]
    )
    func stale(frequency: Frequency, latest: String?, today: String, isStale: Bool) throws {
        let latestPeriod = try latest.map { try Self.date($0) }
        #expect(frequency.isStale(latestPeriod: latestPeriod, today: try Self.date(today)) == isStale)
    }

    @Test("stale implies due, for every month of four years", arguments: Frequency.allCases)
    func staleIsDue(frequency: Frequency) {
        let months = (0..<48).compactMap { CivilDate(year: 2012 + $0 / 12, month: $0 % 12 + 1, day: 1) }
        for latest in months {
            for today in months.flatMap({ [$0, $0.adding(days: -1)] }) where frequency.isStale(latestPeriod: latest, today: today) {
                #expect(frequency.isDue(latestPeriod: latest, today: today), "\(latest) on \(today)")
            }
        }
    }

    @Test(
        "an action item is overdue when open and due before today",
        arguments: [
            (ActionItemStatus.open, "2015-03-01" as String?, "2015-03-02", true), (.open, "2015-03-01", "2015-03-01", false),
            (.open, "2015-03-02", "2015-03-01", false), (.open, nil, "2015-03-01", false),
            (.done, "2015-03-01", "2015-06-01", false), (.dropped, "2015-03-01", "2015-06-01", false),
        ]
    )
    func overdue(status: ActionItemStatus, dueOn: String?, today: String, isOverdue: Bool) throws {
        let due = try dueOn.map { try Self.date($0) }
        #expect(ActionItem.isOverdue(status: status, dueOn: due, today: try Self.date(today)) == isOverdue)
        let item = ActionItem(id: UUID(), title: "Fix the pothole list", dueOn: due, status: status)
        #expect(item.isOverdue(on: try Self.date(today)) == isOverdue)
    }
}

@Suite("Portfolio figures")
struct PortfolioFiguresTests {
    static let today = CivilDate(year: 2015, month: 3, day: 15)

    static func measure(_ tenantID: UUID, _ status: PerformanceStatus, latest: String?) -> MeasureEvaluation {
        MeasureEvaluation(
            tenantID: tenantID, measureID: UUID(), name: "m", direction: .higherIsBetter, frequency: .monthly,
            status: status, trend: .steady, latestPeriod: latest.flatMap { CivilDate(iso8601: $0) }, latest: nil, target: nil
        )
    }

    @Test(
        "per measure: counted, in red, due",
        arguments: [
            (PerformanceStatus.red, "2015-02-01" as String?, PortfolioFigures(measures: 1, measuresInRed: 1, measuresDue: 0)),
            (.red, "2015-01-01", PortfolioFigures(measures: 1, measuresInRed: 1, measuresDue: 1)),
            (.green, "2015-01-01", PortfolioFigures(measures: 1, measuresInRed: 0, measuresDue: 1)),
            (.yellow, "2015-02-01", PortfolioFigures(measures: 1)),
            (.grey, nil, PortfolioFigures(measures: 1, measuresDue: 1)),
        ]
    )
    func one(status: PerformanceStatus, latest: String?, expected: PortfolioFigures) throws {
        let tenantID = UUID()
        #expect(PortfolioFigures.perTenant([Self.measure(tenantID, status, latest: latest)], today: try #require(Self.today)) == [tenantID: expected])
    }

    @Test("tenants add up separately; a tenant without measures is absent")
    func perTenant() throws {
        let (a, b) = (UUID(), UUID())
        let figures = PortfolioFigures.perTenant(
            [
                Self.measure(a, .red, latest: "2015-02-01"), Self.measure(b, .green, latest: "2015-02-01"),
                Self.measure(a, .grey, latest: nil), Self.measure(a, .red, latest: "2014-12-01"),
            ],
            today: try #require(Self.today)
        )
        #expect(figures == [a: PortfolioFigures(measures: 3, measuresInRed: 2, measuresDue: 2), b: PortfolioFigures(measures: 1)])
        #expect(figures[UUID(), default: PortfolioFigures()] == PortfolioFigures())
    }
}
