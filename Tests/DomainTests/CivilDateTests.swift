import Domain
import Testing

@Suite("Civil dates")
struct CivilDateTests {
    @Test(
        "days since the epoch, both ways",
        arguments: [
            ("1970-01-01", 0), ("1969-12-31", -1), ("2000-02-29", 11_016), ("2014-06-30", 16_251),
            ("2016-02-29", 16_860), ("2100-03-01", 47_541), ("0301-11-11", -609_276),
        ]
    )
    func roundTrips(text: String, days: Int) throws {
        let date = try #require(CivilDate(iso8601: text))
        #expect(date.daysSinceEpoch == days)
        #expect(CivilDate(daysSinceEpoch: days) == date)
        #expect(date.description == text)
    }

    @Test("dates that do not exist are refused", arguments: ["2015-02-29", "2014-13-01", "2014-04-31", "2014-1-01", "20140101", "2014-00-10", "1900-02-29"])
    func refusesImpossibleDates(text: String) {
        #expect(CivilDate(iso8601: text) == nil)
    }

    @Test("leap years", arguments: [(2016, true), (2015, false), (2000, true), (1900, false), (2100, false)])
    func leapYears(year: Int, isLeap: Bool) {
        #expect(CivilDate.isLeapYear(year) == isLeap)
    }
}
