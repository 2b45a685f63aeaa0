import Domain
import Foundation
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

    @Test(
        "a week starts on its Monday",
        arguments: [
            ("2026-11-30", "2026-11-30"), ("2026-12-01", "2026-11-30"), ("2026-12-06", "2026-11-30"), ("2026-12-07", "2026-12-07"),
            ("1970-01-01", "1969-12-29"), ("2016-02-29", "2016-02-29"), ("2015-01-01", "2014-12-29"), ("0001-01-01", "0001-01-01"),
            ("0001-01-07", "0001-01-01"), ("9999-12-31", "9999-12-27"),
        ]
    )
    func weekStart(text: String, monday: String) throws {
        let date = try #require(CivilDate(iso8601: text))
        #expect(date.weekStart == CivilDate(iso8601: monday))
        #expect((0..<7).contains(date.weekStart.days(until: date)))
    }

    @Test("leap years", arguments: [(2016, true), (2015, false), (2000, true), (1900, false), (2100, false)])
    func leapYears(year: Int, isLeap: Bool) {
        #expect(CivilDate.isLeapYear(year) == isLeap)
    }

    @Test(
        "day arithmetic beyond the calendar clamps, or is nil when checked",
        arguments: [
            ("9999-12-30", 1, "9999-12-31", true), ("9999-12-31", 1, "9999-12-31", false),
            ("0001-01-01", -1, "0001-01-01", false), ("2015-03-01", -1, "2015-02-28", true),
            ("2016-02-28", 1, "2016-02-29", true), ("2015-01-01", Int.max, "9999-12-31", false),
            ("2015-01-01", Int.min, "0001-01-01", false), ("9999-12-31", Int.max, "9999-12-31", false),
        ]
    )
    func dayArithmetic(start: String, days: Int, clamped: String, exact: Bool) throws {
        let date = try #require(CivilDate(iso8601: start))
        #expect(date.adding(days: days).description == clamped)
        #expect(date.checkedAdding(days: days)?.description == (exact ? clamped : nil))
    }

    @Test("day numbers and instants beyond the calendar", arguments: [Int.max, Int.min, 2_932_897, -719_163])
    func dayNumbers(days: Int) {
        #expect(CivilDate(checkedDaysSinceEpoch: days) == nil)
        #expect(CivilDate(daysSinceEpoch: days) == (days > 0 ? CivilDate.latest : CivilDate.earliest))
    }

    @Test("the calendar's ends and the supported range")
    func ends() {
        #expect(CivilDate.earliest.description == "0001-01-01")
        #expect(CivilDate.latest.description == "9999-12-31")
        #expect(CivilDate(checkedDaysSinceEpoch: CivilDate.latest.daysSinceEpoch) == CivilDate.latest)
        #expect(CivilDate(checkedDaysSinceEpoch: CivilDate.earliest.daysSinceEpoch) == CivilDate.earliest)
        #expect(CivilDate.supportedRange.lowerBound.description == "1900-01-01")
        #expect(CivilDate.supportedRange.upperBound.description == "2199-12-31")
        #expect(CivilDate(Date(timeIntervalSince1970: 1e300)) == CivilDate.latest)
        #expect(CivilDate(Date(timeIntervalSince1970: -.infinity)) == CivilDate.earliest)
        #expect(CivilDate(Date(timeIntervalSince1970: .nan)).description == "1970-01-01")
        #expect(CivilDate(Date(timeIntervalSince1970: -1)).description == "1969-12-31")
    }

    @Test(
        "the next period at the calendar's end",
        arguments: [
            ("9999-11-01", Frequency.monthly, "9999-12-01" as String?), ("9999-12-01", .monthly, nil), ("9999-10-01", .quarterly, nil),
            ("9999-09-01", .quarterly, "9999-12-01"), ("9998-12-01", .yearly, "9999-12-01"), ("9999-01-01", .yearly, nil),
            ("2015-11-15", .quarterly, "2016-02-01"), ("1900-01-01", .monthly, "1900-02-01"),
        ]
    )
    func lastPeriods(start: String, frequency: Frequency, next: String?) throws {
        let date = try #require(CivilDate(iso8601: start))
        #expect(frequency.checkedNextPeriod(after: date)?.description == next)
        #expect(frequency.nextPeriod(after: date).description == next ?? "9999-12-31")
    }

    @Test("period starts with any fiscal start month never trap", arguments: [Int.min, -1, 0, 1, 7, 12, 13, Int.max])
    func periodStarts(startMonth: Int) throws {
        let date = try #require(CivilDate(iso8601: "2015-04-01"))
        for frequency in Frequency.allCases {
            _ = frequency.isPeriodStart(date, fiscalYearStartMonth: startMonth)
        }
        #expect(Frequency.quarterly.isPeriodStart(date, fiscalYearStartMonth: startMonth) == ((4 - startMonth % 12) % 3 == 0))
    }
}
