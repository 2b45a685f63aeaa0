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

    @Test("every supported fiscal year, for every start month", arguments: 1...12)
    func everyYear(startMonth: Int) throws {
        for endingYear in FiscalYear.supportedEndingYears {
            let year = try #require(FiscalYear.ending(endingYear, startMonth: startMonth))
            let startYear = startMonth == 1 ? endingYear : endingYear - 1
            #expect(year.firstDay == CivilDate(year: startYear, month: startMonth, day: 1))
            let lastMonth = startMonth == 1 ? 12 : startMonth - 1
            let lastDay = CivilDate(year: endingYear, month: lastMonth, day: CivilDate.daysInMonth(year: endingYear, month: lastMonth))
            #expect(year.lastDay == lastDay)
            #expect(year.firstDay.days(until: year.lastDay) + 1 == year.numberOfDays)
            // 366 exactly when a February 29 falls inside.
            let leapDayYear = startMonth <= 2 ? startYear : endingYear
            #expect(year.numberOfDays == (CivilDate.isLeapYear(leapDayYear) ? 366 : 365))
            for day in [year.firstDay, year.lastDay] {
                #expect(FiscalYear.containing(day, startMonth: startMonth) == year)
                #expect(year.contains(day))
            }
            #expect(!year.contains(year.firstDay.adding(days: -1)))
            #expect(!year.contains(year.lastDay.adding(days: 1)))
            #expect(FiscalYear.containing(year.lastDay.adding(days: 1), startMonth: startMonth) == year.next)
        }
    }

    @Test(
        "the ends of the supported dates, and leap days, for every start month",
        arguments: ["1900-01-01", "1900-02-28", "1900-03-01", "2000-02-29", "2100-02-28", "2100-03-01", "2196-02-29", "2199-12-31"],
        1...12
    )
    func edgeDates(text: String, startMonth: Int) throws {
        let date = try #require(CivilDate(iso8601: text))
        let year = FiscalYear.containing(date, startMonth: startMonth)
        #expect(year.contains(date))
        #expect(year.firstDay <= date && date <= year.lastDay)
        #expect(year.endingYear == (startMonth > 1 && date.month >= startMonth ? date.year + 1 : date.year))
        #expect((1900...2200).contains(year.endingYear))
    }

    @Test(
        "leap years by start month",
        arguments: [(2000, 1, 366), (2000, 2, 365), (2001, 2, 366), (2000, 3, 366), (2001, 3, 365), (1901, 7, 365), (2100, 7, 365), (2196, 7, 366)]
    )
    func leapYears(endingYear: Int, startMonth: Int, days: Int) throws {
        #expect(try #require(FiscalYear.ending(endingYear, startMonth: startMonth)).numberOfDays == days)
    }

    @Test(
        "names outside 1901...2199 and impossible starts are refused",
        arguments: [(1900, 7, 1), (2200, 7, 1), (Int.min, 7, 1), (Int.max, 1, 1), (2015, 0, 1), (2015, 13, 1), (2015, 7, 0), (2015, 7, 29), (2015, Int.min, Int.max)]
    )
    func refused(endingYear: Int, startMonth: Int, startDay: Int) {
        #expect(FiscalYear.ending(endingYear, startMonth: startMonth, startDay: startDay) == nil)
    }

    @Test("a start on the 15th of January")
    func midMonthStart() throws {
        let year = try #require(FiscalYear.ending(2015, startMonth: 1, startDay: 15))
        #expect(year.firstDay.description == "2014-01-15")
        #expect(year.lastDay.description == "2015-01-14")
        #expect(FiscalYear.containing(try #require(CivilDate(iso8601: "2015-01-15")), startMonth: 1, startDay: 15).endingYear == 2016)
    }

    @Test("the plain initializer clamps instead of trapping")
    func clamps() {
        let far = FiscalYear(endingYear: Int.max, startMonth: 99, startDay: -5)
        #expect(far.endingYear == 10_000 && far.startMonth == 12 && far.startDay == 1)
        #expect(far.firstDay.description == "9999-12-01")
        #expect(far.lastDay == CivilDate.latest)
        #expect(far.next == far)
        let early = FiscalYear(endingYear: Int.min, startMonth: 7)
        #expect(early.endingYear == 1)
        #expect(early.firstDay == CivilDate.earliest)
        #expect(early.lastDay.description == "0001-06-30")
        #expect(FiscalYear.containing(CivilDate.latest, startMonth: 7).endingYear == 10_000)
        #expect(FiscalYear.containing(CivilDate.latest, startMonth: 7).contains(CivilDate.latest))
    }
}
