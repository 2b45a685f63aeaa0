import Spreadsheets
import Testing

@Suite("Cell references")
struct CellReferenceTests {
    @Test("read and written back", arguments: [("A1", 1, 1), ("C7", 7, 3), ("Z9", 9, 26), ("AA10", 10, 27), ("AZ1", 1, 52), ("XFD1048576", 1_048_576, 16_384)])
    func roundTrip(text: String, row: Int, column: Int) throws {
        let reference = try #require(CellReference(text))
        #expect(reference.row == row && reference.column == column)
        #expect(reference.description == text)
    }

    @Test("what is not a cell", arguments: ["", "A", "7", "a1", "A0", "1A", "A1B", "XFE1", "A1048577", "AAAA1", "A 1"])
    func refused(text: String) {
        #expect(CellReference(text) == nil)
    }
}
