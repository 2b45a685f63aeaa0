import Domain
import Testing

@Suite("The data-completeness grid")
struct CompletenessTests {
    static func date(_ text: String) throws -> CivilDate { try #require(CivilDate(iso8601: text)) }

    @Test("a fiscal year's twelve months, from its start month", arguments: [(7, 2015, "2014-07-01", "2015-06-01"), (1, 2015, "2015-01-01", "2015-12-01"), (10, 2016, "2015-10-01", "2016-09-01")])
    func months(startMonth: Int, endingYear: Int, first: String, last: String) throws {
        let months = Completeness.months(of: FiscalYear(endingYear: endingYear, startMonth: startMonth))
        #expect(months.count == 12)
        #expect(months.first == (try Self.date(first)))
        #expect(months.last == (try Self.date(last)))
    }

    /// On 2015-03-15 with a July fiscal year, a value for January 2015 is in.
    @Test(
        "each cell's state",
        arguments: [
            (Frequency.monthly, "2015-01-01", Completeness.Cell.filled),
            (.monthly, "2014-12-01", .missing),  // ended 2015-01-01, no value
            (.monthly, "2015-02-01", .missing),  // ended 2015-03-01
            (.monthly, "2015-03-01", .notYetDue),  // ends 2015-04-01
            (.monthly, "2015-06-01", .notYetDue),
            (.quarterly, "2014-10-01", .missing),  // October to December has ended
            (.quarterly, "2014-11-01", .notAPeriod),
            (.quarterly, "2015-01-01", .filled),
            (.quarterly, "2015-04-01", .notYetDue),
            (.yearly, "2014-07-01", .notYetDue),  // FY2015 ends 2015-07-01
            (.yearly, "2014-08-01", .notAPeriod),
        ]
    )
    func cell(frequency: Frequency, month: String, expected: Completeness.Cell) throws {
        let filled: Set<CivilDate> = [try Self.date("2015-01-01")]
        let cell = Completeness.cell(
            month: try Self.date(month), frequency: frequency, filled: filled, today: try Self.date("2015-03-15"), fiscalYearStartMonth: 7
        )
        #expect(cell == expected)
    }

    @Test("the due day itself counts: a month is due on the first of the next")
    func dueOnTheFirst() throws {
        let cell = Completeness.cell(
            month: try Self.date("2015-02-01"), frequency: .monthly, filled: [], today: try Self.date("2015-03-01"), fiscalYearStartMonth: 7
        )
        #expect(cell == .missing)
    }

    @Test("completeness counts filled cells out of those due or filled")
    func share() {
        let share = Completeness.share([.filled, .missing, .notYetDue, .notAPeriod, .filled])
        #expect(share.filled == 2 && share.expected == 3)
    }
}
