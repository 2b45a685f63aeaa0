import Billing
import Testing

@Suite("Invoice numbers")
struct InvoiceNumberTests {
    @Test(
        "program, fiscal year, and the sequence padded to four digits",
        arguments: [
            ("MPMP", 2015, 1, "MPMP-FY2015-0001"), ("MPMP", 2015, 42, "MPMP-FY2015-0042"), ("MPMP", 2015, 999, "MPMP-FY2015-0999"),
            ("MPMP", 2015, 9_999, "MPMP-FY2015-9999"), ("MPMP", 2015, 10_000, "MPMP-FY2015-10000"),
            ("MPMP", 2015, 123_456, "MPMP-FY2015-123456"), ("SDPMP", 2016, 7, "SDPMP-FY2016-0007"),
            ("RI-PILOT", 2020, 12, "RI-PILOT-FY2020-0012"), ("AB-", 1901, 1, "AB--FY1901-0001"), ("X_1", 2199, 1, "X_1-FY2199-0001"),
            ("M2", 2200, 3, "M2-FY2200-0003"), ("MPMP", 2015, Int.max, "MPMP-FY2015-9223372036854775807"),
        ]
    )
    func formats(program: String, year: Int, sequence: Int, text: String) throws {
        let number = try #require(InvoiceNumber(programCode: program, fiscalYear: year, sequence: sequence))
        #expect(number.description == text)
        #expect(InvoiceNumber(text) == number)
    }

    @Test(
        "codes programs refuse, years not of four digits, sequences below one",
        arguments: [
            ("mpmp", 2015, 1), ("M", 2015, 1), ("1MP", 2015, 1), ("MP MP", 2015, 1), ("", 2015, 1), ("-MP", 2015, 1),
            (String(repeating: "A", count: 33), 2015, 1), ("MPÉ", 2015, 1), ("MPMP", 999, 1), ("MPMP", 10_000, 1),
            ("MPMP", -2015, 1), ("MPMP", 2015, 0), ("MPMP", 2015, -1), ("MPMP", 2015, Int.min),
        ]
    )
    func refused(program: String, year: Int, sequence: Int) {
        #expect(InvoiceNumber(programCode: program, fiscalYear: year, sequence: sequence) == nil)
    }

    @Test(
        "only what description writes reads back",
        arguments: [
            "MPMP-FY2015-001", "MPMP-FY2015-00010", "MPMP-2015-0001", "MPMP-FY15-0001", "FY2015-0001", "MPMP-FY2015-",
            "MPMP-FY2015-99999999999999999999999", "mpmp-FY2015-0001", "MPMP-FY2015-０００１", "MPMP-FY2015-+001", "MPMP-FY+015-0001",
            "MPMP-FY2015-0001 ", "", "-", "--", "MPMP--FY2015-0001-",
        ]
    )
    func unreadable(text: String) {
        #expect(InvoiceNumber(text) == nil)
    }

    @Test("numbers sort by program, year, then sequence as a number")
    func ordering() throws {
        let texts = ["MPMP-FY2015-10000", "MPMP-FY2015-9999", "MPMP-FY2014-0002", "SDPMP-FY2014-0001", "MPMP-FY2015-0001"]
        let sorted = try texts.map { try #require(InvoiceNumber($0)) }.sorted().map(\.description)
        #expect(sorted == ["MPMP-FY2014-0002", "MPMP-FY2015-0001", "MPMP-FY2015-9999", "MPMP-FY2015-10000", "SDPMP-FY2014-0001"])
    }
}
