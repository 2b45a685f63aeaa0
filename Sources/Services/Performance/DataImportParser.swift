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
    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// The rows of `file`; throws `ServiceError.invalid` for a file that cannot be read as
    /// such (line 1: the wrong header; line 2: no data rows) and
    /// `DataImportService.Refusal.invalidRows` naming every bad row.
    func parse(_ file: [UInt8]) throws -> [ImportRow] {
        // As spreadsheets save it (DESIGN.md section 5): a byte order mark, CRLF line ends,
        // and `;` between fields in locales where `,` is the decimal mark (values still
        // take a point).
        let bytes = file.starts(with: Self.byteOrderMark) ? Array(file.dropFirst(3)) : file
        let reader = CSVRecords(bytes: bytes, separator: Self.separator(of: bytes))
        var collector: Collector?
        var lastLine = 0
        do {
            try reader.forEach { line, fields in
                lastLine = line
                guard collector != nil else {
                    collector = Collector(parser: self, width: try Self.headerWidth(fields), expected: bytes.count / 32)
                    return true
                }
                if fields.count == 1, fields[0].isEmpty { return true }
                // Mutated in place: a copy out and back would copy the rows each time.
                collector?.add(fields) { _ in "line \(line)" }
                return true
            }
        } catch let error as CSVRecords.UnterminatedQuote {
            collector?.errors.append(FieldError(field: "line \(lastLine + 1)", reason: "cannot be read as CSV (\(error))"))
        }
        guard let collector else { throw Self.badHeader }
        return try collector.finish()
    }

    /// Checks rows one by one, as they come from a CSV file or a sheet, and keeps either
    /// every row or every error: each named where it stands (`line 7`, `Sheet1!C7`).
    struct Collector {
        let parser: DataImportParser
        let width: Int
        var rows: [ImportRow] = []
        var errors: [FieldError] = []
        var seen: [PeriodKey: String] = [:]
        var cache = MeasureCache()
        let ordinals: [UUID: Int]

        init(parser: DataImportParser, width: Int, expected: Int = 0) {
            self.parser = parser
            self.width = width
            self.ordinals = Dictionary(uniqueKeysWithValues: parser.measuresByID.keys.enumerated().map { ($1, $0) })
            rows.reserveCapacity(expected)
            seen.reserveCapacity(expected)
        }

        /// One record; `place` names where its field (0 the measure, 1 the period, 2 the
        /// value, 3 the note) stands.
        mutating func add(_ fields: [ArraySlice<UInt8>], place: (Int) -> String) {
            switch parser.check(fields, width: width, cache: &cache) {
            case .failure(let error):
                errors.append(FieldError(field: place(error.field), reason: error.reason))
            case .success(let row):
                let key = PeriodKey(measure: ordinals[row.measureID] ?? 0, period: row.period)
                if let first = seen[key] {
                    errors.append(FieldError(field: place(0), reason: "repeats the measure and period of \(first)"))
                } else {
                    seen[key] = place(0)
                    rows.append(row)
                }
            }
        }

        mutating func fail(_ place: String, _ reason: String) {
            errors.append(FieldError(field: place, reason: reason))
        }

        func finish() throws -> [ImportRow] {
            guard errors.isEmpty else { throw DataImportService.Refusal.invalidRows(errors) }
            guard !rows.isEmpty else { throw ServiceError.invalid("line 2", "the file has no data rows") }
            return rows
        }
    }

    static let badHeader = ServiceError.invalid("line 1", "the header must be measure,period,value or measure,period,value,note")

    /// 3 or 4 (with `note`), or the refusal of the whole file.
    static func headerWidth(_ fields: [ArraySlice<UInt8>]) throws -> Int {
        let names = fields.map { String(decoding: $0, as: UTF8.self).lowercased() }
        guard names.count >= 3, Array(names.prefix(3)) == expectedHeader, names.count == 3 || (names.count == 4 && names[3] == "note")
        else { throw badHeader }
        return names.count
    }

    /// `;` when the header line has one and no `,`; otherwise `,`.
    static func separator(of bytes: [UInt8]) -> UInt8 {
        let header = bytes.prefix { $0 != UInt8(ascii: "\n") && $0 != UInt8(ascii: "\r") }
        return header.contains(UInt8(ascii: ";")) && !header.contains(UInt8(ascii: ",")) ? UInt8(ascii: ";") : UInt8(ascii: ",")
    }

    struct RowError: Error {
        /// Which field is wrong: 0 the measure, 1 the period, 2 the value, 3 the note.
        var field = 0
        let reason: String
    }

    /// A measure and a period, to find a period given twice: one integer to hash (the
    /// measure's place among the tenant's measures, and the period's day number).
    struct PeriodKey: Hashable {
        var value: Int

        init(measure: Int, period: CivilDate) {
            value = measure << 32 | (period.daysSinceEpoch & 0xFFFF_FFFF)
        }
    }

    /// Rows come grouped by measure: the last name's measure is remembered.
    struct MeasureCache {
        var name: ArraySlice<UInt8> = []
        var measure: MeasureRecord?
    }

    func check(_ fields: [ArraySlice<UInt8>], width: Int, cache: inout MeasureCache) -> Result<ImportRow, RowError> {
        guard fields.count == width else {
            return .failure(RowError(field: 0, reason: "has \(fields.count) fields, not \(width)"))
        }
        let measure: MeasureRecord
        if let cached = cache.measure, cache.name == fields[0] {
            measure = cached
        } else {
            let name = String(decoding: fields[0], as: UTF8.self)
            // A department head's file is read against their department's measures only: a
            // measure of another department is as unknown as one that does not exist, and
            // the answer names nothing the caller cannot read.
            guard let found = measures[name.lowercased()] ?? UUID(uuidString: name).flatMap({ measuresByID[$0] }),
                department == nil || found.departmentID == department
            else {
                let scope = department == nil ? "does not exist in this tenant" : "does not exist, or belongs to another department"
                return .failure(RowError(reason: "measure \"\(name.prefix(100))\" \(scope)"))
            }
            cache = MeasureCache(name: fields[0], measure: found)
            measure = found
        }
        guard let period = fields[1].withContiguousStorageIfAvailable({ CivilDate(iso8601Bytes: $0) }) ?? nil else {
            return .failure(RowError(field: 1, reason: "period \"\(String(decoding: fields[1], as: UTF8.self).prefix(40))\" is not a date as YYYY-MM-DD"))
        }
        guard CivilDate.supportedRange.contains(period) else {
            let range = CivilDate.supportedRange
            return .failure(RowError(field: 1, reason: "period \(period) is outside \(range.lowerBound) to \(range.upperBound)"))
        }
        guard measure.frequency.isPeriodStart(period, fiscalYearStartMonth: fiscalYearStartMonth) else {
            return .failure(RowError(field: 1, reason: "period \(period) is not the first day of a \(measure.frequency.rawValue) period"))
        }
        guard Self.isPlainNumber(fields[2]), let value = fields[2].withContiguousStorageIfAvailable({ Quantity(utf8: $0) }) ?? nil else {
            return .failure(RowError(field: 2, reason: "value \"\(String(decoding: fields[2], as: UTF8.self).prefix(40))\" is not a number such as 12.5"))
        }
        let note = width == 4 ? String(decoding: fields[3], as: UTF8.self) : ""
        guard !note.utf8.contains(0) else {
            return .failure(RowError(field: 3, reason: "the note contains a NUL character"))
        }
        guard note.count <= 1000 else {
            return .failure(RowError(field: 3, reason: "the note is longer than 1000 characters"))
        }
        return .success(ImportRow(measureID: measure.id, period: period, value: value, note: note))
    }

    /// `-?[0-9]{1,15}(\.[0-9]{1,6})?`: a value as people type it, below 10^15, at most six
    /// decimals.
    static func isPlainNumber(_ field: ArraySlice<UInt8>) -> Bool {
        var index = field.startIndex
        if index < field.endIndex, field[index] == UInt8(ascii: "-") { index += 1 }
        var integerDigits = 0
        while index < field.endIndex, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(field[index]) {
            integerDigits += 1
            index += 1
        }
        guard (1...15).contains(integerDigits) else { return false }
        guard index < field.endIndex else { return true }
        guard field[index] == UInt8(ascii: ".") else { return false }
        index += 1
        var fractionDigits = 0
        while index < field.endIndex, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(field[index]) {
            fractionDigits += 1
            index += 1
        }
        return index == field.endIndex && (1...6).contains(fractionDigits)
    }
}
