import Domain
import Testing

@Suite("Fiscal years")
struct FiscalYearTests {
    @Test("FY2014 in Massachusetts ends on June 30, 2014")
    func massachusettsFY2014() {
        let year = FiscalYear(endingYear: 2014, startMonth: 7)
        #expect(year.firstDay == CivilDate(year: 2013, month: 7, day: 1))
        #expect(year.lastDay == CivilDate(year: 2014, month: 6, day: 30))
        #expect(year.description == "FY2014")
    }

    @Test("days in a fiscal year", arguments: [(2014, 365), (2015, 365), (2016, 366), (2020, 366), (2021, 365)])
    func numberOfDays(endingYear: Int, days: Int) {
        #expect(FiscalYear(endingYear: endingYear, startMonth: 7).numberOfDays == days)
    }

    @Test("a calendar fiscal year")
    func calendarYear() {
        let year = FiscalYear(endingYear: 2016, startMonth: 1)
        #expect(year.firstDay == CivilDate(year: 2016, month: 1, day: 1))
        #expect(year.lastDay == CivilDate(year: 2016, month: 12, day: 31))
        #expect(year.numberOfDays == 366)
    }

    @Test(
        "the fiscal year containing a date",
        arguments: [("2014-06-30", 2014), ("2014-07-01", 2015), ("2015-01-15", 2015), ("2013-07-01", 2014)]
    )
    func containing(text: String, endingYear: Int) throws {
        let date = try #require(CivilDate(iso8601: text))
        #expect(FiscalYear.containing(date, startMonth: 7).endingYear == endingYear)
    }
}
