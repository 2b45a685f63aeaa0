import CSV
import Domain
import Foundation
import Storage

/// Reads and checks a data file of `measure,period,value[,note]`; every bad row is
/// reported with its line number, and a file with any bad row yields no rows at all.
struct DataImportParser {
    /// The tenant's measures by lower-cased name, and by id.
    let measures: [String: MeasureRecord]
    let measuresByID: [UUID: MeasureRecord]
    let fiscalYearStartMonth: Int
    /// A department head's department: rows of other departments are refused.
    let department: UUID?

    init(measures: [String: MeasureRecord], fiscalYearStartMonth: Int, department: UUID?) {
        self.measures = measures
        self.measuresByID = Dictionary(measures.values.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.fiscalYearStartMonth = fiscalYearStartMonth
        self.department = department
    }

    static let expectedHeader = ["measure", "period", "value"]

    /// The rows of `text`; throws `ServiceError.invalid` for a file that cannot be read as
    /// such (line 1: not CSV or the wrong header; line 2: no data rows) and
    /// `DataImportService.Refusal.invalidRows` naming every bad row.
    func parse(_ file: String) throws -> [ImportRow] {
        // As spreadsheets save it (DESIGN.md section 5): a byte order mark, CRLF line ends
        // (which the reader takes as they are), and `;` between fields in locales where
        // `,` is the decimal mark (values still take a point).
        let text = file.unicodeScalars.first == "\u{FEFF}" ? String(file.unicodeScalars.dropFirst()) : file
        let reader: CSVReader
        do {
            reader = try CSVReader(string: text, hasHeaderRow: true, trimFields: true, delimiter: Self.delimiter(of: text))
        } catch {
            throw ServiceError.invalid("line 1", "the file is not CSV")
        }
        let header = (reader.headerRow ?? []).map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard header.count >= 3, Array(header.prefix(3)) == Self.expectedHeader, header.count == 3 || (header.count == 4 && header[3] == "note") else {
            throw ServiceError.invalid("line 1", "the header must be measure,period,value or measure,period,value,note")
        }
        var rows: [ImportRow] = []
        var errors: [FieldError] = []
        var seen: [String: Int] = [:]
        var line = 1
        while let fields = reader.next() {
            line += 1
            if fields.count == 1, fields[0].isEmpty { continue }
            switch check(fields, width: header.count) {
            case .failure(let error):
                errors.append(FieldError(field: "line \(line)", reason: error.reason))
            case .success(let row):
                let key = "\(row.measureID)|\(row.period)"
                if let first = seen[key] {
                    errors.append(FieldError(field: "line \(line)", reason: "repeats the measure and period of line \(first)"))
                } else {
                    seen[key] = line
                    rows.append(row)
                }
            }
        }
        if let error = reader.error {
            errors.append(FieldError(field: "line \(line + 1)", reason: "cannot be read as CSV (\(error))"))
        }
        guard errors.isEmpty else {
            throw DataImportService.Refusal.invalidRows(errors)
        }
        guard !rows.isEmpty else {
            throw ServiceError.invalid("line 2", "the file has no data rows")
        }
        return rows
    }

    /// `;` when the header line has one and no `,`; otherwise `,`.
    static func delimiter(of text: String) -> UnicodeScalar {
        let header = text.unicodeScalars.prefix { $0 != "\n" && $0 != "\r" }
        return header.contains(";") && !header.contains(",") ? ";" : ","
    }

    struct RowError: Error {
        let reason: String
    }

    private func check(_ fields: [String], width: Int) -> Result<ImportRow, RowError> {
        guard fields.count == width else {
            return .failure(RowError(reason: "has \(fields.count) fields, not \(width)"))
        }
        let name = fields[0]
        guard let measure = measures[name.lowercased()] ?? UUID(uuidString: name).flatMap({ measuresByID[$0] }) else {
            return .failure(RowError(reason: "measure \"\(name.prefix(100))\" does not exist in this tenant"))
        }
        if let department, measure.departmentID != department {
            return .failure(RowError(reason: "measure \"\(measure.name)\" belongs to another department"))
        }
        guard let period = CivilDate(iso8601: fields[1]) else {
            return .failure(RowError(reason: "period \"\(fields[1].prefix(40))\" is not a date as YYYY-MM-DD"))
        }
        guard CivilDate.supportedRange.contains(period) else {
            let range = CivilDate.supportedRange
            return .failure(RowError(reason: "period \(period) is outside \(range.lowerBound) to \(range.upperBound)"))
        }
        guard measure.frequency.isPeriodStart(period, fiscalYearStartMonth: fiscalYearStartMonth) else {
            return .failure(RowError(reason: "period \(period) is not the first day of a \(measure.frequency.rawValue) period"))
        }
        let valueText = fields[2]
        guard valueText.range(of: #"^-?[0-9]{1,15}(\.[0-9]{1,6})?$"#, options: .regularExpression) != nil, let value = Decimal(string: valueText) else {
            return .failure(RowError(reason: "value \"\(valueText.prefix(40))\" is not a number such as 12.5"))
        }
        let note = width == 4 ? fields[3] : ""
        guard !note.contains("\u{0}") else {
            return .failure(RowError(reason: "the note contains a NUL character"))
        }
        guard note.count <= 1000 else {
            return .failure(RowError(reason: "the note is longer than 1000 characters"))
        }
        return .success(ImportRow(measureID: measure.id, period: period, value: value, note: note))
    }
}
