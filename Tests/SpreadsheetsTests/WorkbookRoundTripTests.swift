import Domain
import Spreadsheets
import Testing

@Suite("Workbooks written and read back")
struct WorkbookRoundTripTests {
    @Test("what the writer puts in a sheet, the reader finds: text escaped, money, shares, dates and months")
    func roundTrip() throws {
        let july = try #require(CivilDate(iso8601: "2014-07-01"))
        let sheet = WorkbookSheet(
            name: "FY2015/Amherst",  // a slash is not allowed in a sheet's name
            widths: [30, 12],
            rows: [
                [.text("Measure"), .month(july)],
                [.text("<script>alert(1)</script> & \"quotes\""), .number("12.5")],
                [.cents(123_456), .basisPoints(3_356)],
                [.date(july), .empty, .text("after a gap")],
            ]
        )
        let read = try XLSXReader.sheet(from: try XLSXWriter.workbook([sheet]))
        #expect(read.name == "FY2015Amherst")
        let cells = Dictionary(uniqueKeysWithValues: read.cells.map { ($0.reference.description, $0.value) })
        #expect(cells["A1"] == .text("Measure") && cells["B1"] == .date(july))
        #expect(cells["A2"] == .text("<script>alert(1)</script> & \"quotes\"") && cells["B2"] == .number("12.5"))
        #expect(cells["A3"] == .number("1234.56") && cells["B3"] == .number("0.3356"))
        #expect(cells["A4"] == .date(july) && cells["B4"] == nil && cells["C4"] == .text("after a gap"))
    }

    @Test("bytes that are no workbook, and an unknown sheet, are refused in words")
    func refusals() throws {
        #expect(throws: SpreadsheetRefusal.notAWorkbook) { try XLSXReader.sheet(from: Array("measure,period,value\n".utf8)) }
        let bytes = try XLSXWriter.workbook([WorkbookSheet(name: "Data", widths: [], rows: [[.text("x")]])])
        #expect(throws: SpreadsheetRefusal.noSuchSheet("Other", available: ["Data"])) { try XLSXReader.sheet(from: bytes, named: "Other") }
    }
}
