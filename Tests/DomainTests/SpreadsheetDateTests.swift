import Domain
import Testing

@Suite("Spreadsheet date serials")
struct SpreadsheetDateTests {
    @Test(
        "the 1900 system, with its day that never was",
        arguments: [
            (1.0, "1900-01-01" as String?), (59.0, "1900-02-28"), (60.0, nil), (61.0, "1900-03-01"), (41_821.0, "2014-07-01"),
            (41_821.75, "2014-07-01"), (42_185.0, "2015-06-30"), (2_958_465.0, "9999-12-31"), (2_958_466.0, nil), (0.0, nil), (-1.0, nil),
            (Double.nan, nil), (Double.infinity, nil),
        ]
    )
    func system1900(serial: Double, expected: String?) {
        #expect(SpreadsheetDate.civilDate(serial: serial)?.description == expected)
    }

    @Test("the 1904 system", arguments: [(0.0, "1904-01-01"), (1.0, "1904-01-02"), (40_359.0, "2014-07-01")])
    func system1904(serial: Double, expected: String) {
        #expect(SpreadsheetDate.civilDate(serial: serial, date1904: true)?.description == expected)
    }

    @Test("a day's serial reads back as that day", arguments: ["1900-01-01", "1900-02-28", "1900-03-01", "2014-07-01", "2199-12-31"])
    func serialRoundTrip(text: String) throws {
        let day = try #require(CivilDate(iso8601: text))
        #expect(SpreadsheetDate.civilDate(serial: Double(SpreadsheetDate.serial(of: day))) == day)
    }
}
