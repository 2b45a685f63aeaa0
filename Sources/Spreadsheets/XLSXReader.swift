import Domain
import Foundation

/// A value as a spreadsheet cell holds it.
public enum SpreadsheetValue: Sendable, Equatable {
    case text(String)
    /// A number as the file writes it (`12.5`, `1.25E-3`): a spreadsheet's binary double.
    case number(String)
    /// A number shown as a date (its style's format), or a date cell.
    case date(CivilDate)
    case boolean(Bool)
    /// An error value such as `#DIV/0!`.
    case error(String)
}

public struct SpreadsheetCell: Sendable, Equatable {
    public var reference: CellReference
    public var value: SpreadsheetValue
}

/// One sheet of a workbook: its name and its non-empty cells, row by row.
public struct SpreadsheetSheet: Sendable {
    public var name: String
    public var cells: [SpreadsheetCell]
}

/// Reads a sheet of an .xlsx workbook (Office Open XML, as Excel, LibreOffice and openpyxl
/// write it): shared and inline strings, numbers, booleans and errors; numbers shown as
/// dates (built-in and custom date formats) as days, in the 1900 or 1904 system; a
/// formula's cached value; empty cells left out.
public enum XLSXReader {
    /// The sheet named `name`, or the first visible one.
    public static func sheet(from bytes: [UInt8], named name: String? = nil, limits: SpreadsheetLimits = .init()) throws(SpreadsheetRefusal) -> SpreadsheetSheet {
        let package = try WorkbookPackage(bytes, limits: limits)
        let workbook = try Workbook.read(package)
        let chosen: Workbook.Sheet
        if let name {
            guard let found = workbook.sheets.first(where: { $0.name == name }) ?? workbook.sheets.first(where: { $0.name.lowercased() == name.lowercased() }) else {
                throw .noSuchSheet(name, available: workbook.sheets.map(\.name))
            }
            chosen = found
        } else {
            guard let first = workbook.sheets.first(where: { !$0.hidden }) ?? workbook.sheets.first else { throw .unreadable("it has no sheet") }
            chosen = first
        }
        guard let data = try package.part(chosen.path) else { throw .unreadable("sheet \(chosen.name) is missing") }
        let strings = try SharedStrings.read(package)
        let dateStyles = try DateStyles.read(package)
        var cells: [SpreadsheetCell] = []
        var reference: CellReference?
        var type = "n"
        var style = 0
        var value: String?
        var inline = ""
        var inCell = false
        var tooMany = false
        do {
            try XMLElements.walk(
                data,
                start: { element, attributes in
                    switch element {
                    case "c":
                        inCell = true
                        reference = attributes.attribute("r").flatMap { CellReference($0) }
                        type = attributes.attribute("t") ?? "n"
                        style = attributes.attribute("s").flatMap { Int($0) } ?? 0
                        value = nil
                        inline = ""
                    default: break
                    }
                },
                end: { element, text in
                    switch element {
                    case "v" where inCell: value = text
                    case "t" where inCell: inline += text
                    case "c":
                        inCell = false
                        guard let reference, !tooMany else { return }
                        let read: SpreadsheetValue?
                        switch type {
                        case "s": read = value.flatMap { Int($0) }.flatMap { strings.indices.contains($0) ? .text(strings[$0]) : nil }
                        case "inlineStr": read = .text(inline)
                        case "str": read = value.map { .text($0) }
                        case "b": read = value.map { .boolean($0 == "1") }
                        case "e": read = value.map { .error($0) }
                        case "d": read = value.flatMap { CivilDate(iso8601: $0.prefix(10)) }.map { .date($0) }
                        default:
                            if let value, dateStyles.isDate(style: style), let serial = Double(value),
                                let day = SpreadsheetDate.civilDate(serial: serial, date1904: workbook.date1904)
                            {
                                read = .date(day)
                            } else {
                                read = value.map { .number($0) }
                            }
                        }
                        if let read, read != .text("") {
                            cells.append(SpreadsheetCell(reference: reference, value: read))
                            if cells.count > limits.maximumCells { tooMany = true }
                        }
                    default: break
                    }
                }
            )
        } catch {
            throw .unreadable("sheet \(chosen.name) is not well-formed")
        }
        if tooMany { throw .tooLarge("sheet \(chosen.name) has more than \(limits.maximumCells) cells") }
        cells.sort { $0.reference < $1.reference }
        return SpreadsheetSheet(name: chosen.name, cells: cells)
    }
}
