import Domain
import Foundation
import Spreadsheets
import Storage

/// A sheet's cells as import records, in the two layouts towns keep, told apart by the
/// header (its first non-empty row):
/// - long: `measure | period | value [| note]`, a row per value, as the CSV;
/// - wide: `Measure | Jul 2014 | Aug 2014 | …` (month names as text, or real date cells),
///   a row per measure and a value per month; empty cells are skipped.
/// Each record's fields are handed to the import's own checks with the cell each came from,
/// so an error names the cell: `Sheet1!C7`.
struct SheetImport {
    let sheet: SpreadsheetSheet

    func collect(into parser: DataImportParser) throws -> [ImportRow] {
        let rows = Dictionary(grouping: sheet.cells, by: \.reference.row)
        let numbers = rows.keys.sorted()
        guard let headerRow = numbers.first, let header = rows[headerRow]?.sorted(by: { $0.reference < $1.reference }) else {
            throw ServiceError.invalid("file", "the sheet \(sheet.name) is empty")
        }
        let names = header.map { Self.text(of: $0.value).lowercased() }
        let place = { (reference: CellReference) in "\(sheet.name)!\(reference)" }
        // The CSV's own header rule decides the long layout.
        if let width = try? DataImportParser.headerWidth(names.map { ArraySlice($0.utf8) }) {
            var collector = DataImportParser.Collector(parser: parser, width: width)
            let columns = header.map(\.reference.column)
            for number in numbers.dropFirst() {
                let cells = Dictionary((rows[number] ?? []).map { ($0.reference.column, $0.value) }, uniquingKeysWith: { first, _ in first })
                var fields: [ArraySlice<UInt8>] = []
                for (index, column) in columns.enumerated() {
                    let value = cells[column]
                    fields.append(ArraySlice((index == 1 ? Self.period(of: value) : index == 2 ? Self.number(of: value) : value.map(Self.text) ?? "").utf8))
                }
                collector.add(fields) { field in place(CellReference(row: number, column: columns[min(field, columns.count - 1)])) }
            }
            return try collector.finish()
        }
        guard names.first == "measure", header.count >= 2 else {
            throw ServiceError.invalid(
                "\(sheet.name)!\(header[0].reference)",
                "the header must be measure, period, value[, note] (a row per value), or Measure followed by months such as Jul 2014 (a row per measure)"
            )
        }
        var collector = DataImportParser.Collector(parser: parser, width: 3)
        var months: [Int: CivilDate] = [:]
        var described: Set<Int> = []
        for cell in header.dropFirst() {
            if case .text(let title) = cell.value, Self.descriptiveColumns.contains(title.trimmingCharacters(in: .whitespaces).lowercased()) {
                described.insert(cell.reference.column)
                continue
            }
            guard let month = Self.month(of: cell.value) else {
                collector.fail(place(cell.reference), "\"\(Self.text(of: cell.value).prefix(40))\" is not a month such as Jul 2014")
                continue
            }
            months[cell.reference.column] = month
        }
        let measureColumn = header[0].reference.column
        for number in numbers.dropFirst() {
            let cells = (rows[number] ?? []).sorted { $0.reference < $1.reference }
            guard let nameCell = cells.first(where: { $0.reference.column == measureColumn }) else {
                if let first = cells.first { collector.fail(place(first.reference), "has values but no measure in column \(CellReference.columnName(measureColumn))") }
                continue
            }
            let name = Array(Self.text(of: nameCell.value).utf8)
            for cell in cells where cell.reference.column != measureColumn && !described.contains(cell.reference.column) {
                guard let month = months[cell.reference.column] else {
                    collector.fail(place(cell.reference), "is under no month of the header")
                    continue
                }
                let fields = [ArraySlice(name), ArraySlice(month.description.utf8), ArraySlice(Self.number(of: cell.value).utf8)]
                let reference = cell.reference
                collector.add(fields) { field in place(field == 0 ? nameCell.reference : reference) }
            }
        }
        return try collector.finish()
    }

    /// Columns of the wide layout that describe a measure rather than hold its values (the
    /// template has Unit and Frequency): left alone. Any other header must be a month.
    static let descriptiveColumns: Set<String> = ["unit", "units", "frequency", "department", "note", "notes", "comment", "comments"]

    /// A cell as text: numbers as written, dates as YYYY-MM-DD.
    static func text(of value: SpreadsheetValue) -> String {
        switch value {
        case .text(let text): text.trimmingCharacters(in: .whitespaces)
        case .number(let number): number
        case .date(let day): day.description
        case .boolean(let flag): flag ? "TRUE" : "FALSE"
        case .error(let error): error
        }
    }

    /// A month from a header cell: a date cell (its month), or month text.
    static func month(of value: SpreadsheetValue) -> CivilDate? {
        switch value {
        case .date(let day): CivilDate(year: day.year, month: day.month, day: 1)
        case .text(let text): MonthText.parse(text)
        default: nil
        }
    }

    /// A period cell: a date cell as its day; text as written (YYYY-MM-DD, or a month).
    static func period(of value: SpreadsheetValue?) -> String {
        switch value {
        case .date(let day): day.description
        case .text(let text): MonthText.parse(text)?.description ?? text
        case let value?: text(of: value)
        case nil: ""
        }
    }

    /// A value cell as the import reads numbers: a spreadsheet's binary double rounded to at
    /// most six decimals (the import's precision); text with thousands separators forgiven.
    static func number(of value: SpreadsheetValue?) -> String {
        switch value {
        case .number(let written):
            guard let double = Double(written), double.isFinite, abs(double) < 1e15 else { return written }
            var text = String(format: "%.6f", double)
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
            return text == "-0" ? "0" : text
        case .text(let text):
            let plain = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: "")
            return plain.isEmpty ? text : plain
        case let value?: return self.text(of: value)
        case nil: return ""
        }
    }
}
