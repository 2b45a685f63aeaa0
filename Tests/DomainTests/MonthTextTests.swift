import Domain
import Testing

@Suite("Months written in a spreadsheet's header")
struct MonthTextTests {
    @Test(
        "what is read, and as which month",
        arguments: [
            ("Jul 2014", "2014-07-01" as String?), ("July 2014", "2014-07-01"), ("jul-14", "2014-07-01"), ("Sept 2014", "2014-09-01"),
            ("Sep 2014", "2014-09-01"), ("2014-07", "2014-07-01"), ("2014-07-01", "2014-07-01"), ("7/2014", "2014-07-01"), ("07/2014", "2014-07-01"),
            (" Dec 2015 ", "2015-12-01"), ("December 2015", "2015-12-01"),
            ("2014-07-15", nil), ("Jul", nil), ("Juli 2014", nil), ("Ju 2014", nil), ("13/2014", nil), ("Jul 214", nil), ("Measure", nil), ("", nil),
        ]
    )
    func parse(text: String, expected: String?) {
        #expect(MonthText.parse(text)?.description == expected)
    }
}
