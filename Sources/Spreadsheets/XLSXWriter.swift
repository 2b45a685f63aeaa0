import Domain
import Foundation
import ZIPFoundation

/// A workbook to hand a person: sheets of rows with a bold, frozen header row, columns
/// as wide as asked, amounts in cents shown as dollars, shares in basis points shown as
/// percentages, dates as dates. Text goes in inline strings, escaped for XML.
public struct WorkbookSheet: Sendable {
    public enum Cell: Sendable, Equatable {
        case empty
        case text(String)
        /// A number as decimal text (`12.5`), written as is.
        case number(String)
        case cents(Int64)
        case basisPoints(Int)
        case date(CivilDate)
        /// A month (its first day), shown as `Jul 2014`.
        case month(CivilDate)
    }

    public var name: String
    /// Each column's width in characters.
    public var widths: [Double]
    /// The first row is the header.
    public var rows: [[Cell]]

    public init(name: String, widths: [Double], rows: [[Cell]]) {
        self.name = name
        self.widths = widths
        self.rows = rows
    }
}

public enum XLSXWriter {
    public static let mediaType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    /// The .xlsx bytes of `sheets` (at least one).
    public static func workbook(_ sheets: [WorkbookSheet]) throws -> [UInt8] {
        let archive = try Archive(data: Data(), accessMode: .create, pathEncoding: nil)
        var parts: [(String, String)] = [
            ("[Content_Types].xml", contentTypes(count: sheets.count)), ("_rels/.rels", rootRelations), ("xl/workbook.xml", workbookXML(sheets)),
            ("xl/_rels/workbook.xml.rels", workbookRelations(count: sheets.count)), ("xl/styles.xml", styles),
        ]
        for (index, sheet) in sheets.enumerated() { parts.append(("xl/worksheets/sheet\(index + 1).xml", sheetXML(sheet))) }
        for (path, text) in parts {
            let data = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return Array(archive.data ?? Data())
    }

    // MARK: The parts

    static let header = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
    static let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    static let relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    static func contentTypes(count: Int) -> String {
        header + #"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#
            + #"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>"#
            + #"<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#
            + #"<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>"#
            + (1...max(count, 1)).map { #"<Override PartName="/xl/worksheets/sheet\#($0).xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"# }.joined()
            + "</Types>"
    }

    static let rootRelations = header + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#

    static func workbookXML(_ sheets: [WorkbookSheet]) -> String {
        header + #"<workbook xmlns="\#(main)" xmlns:r="\#(relationships)"><sheets>"#
            + sheets.enumerated().map { #"<sheet name="\#(escape(sheetName($0.element.name)))" sheetId="\#($0.offset + 1)" r:id="rId\#($0.offset + 1)"/>"# }.joined()
            + "</sheets></workbook>"
    }

    static func workbookRelations(count: Int) -> String {
        header + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
            + (1...max(count, 1)).map { #"<Relationship Id="rId\#($0)" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet\#($0).xml"/>"# }.joined()
            + #"<Relationship Id="rId\#(count + 1)" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#
    }

    /// Styles: 0 plain, 1 bold (the header), 2 dollars, 3 percent, 4 a date, 5 a month.
    static let styles = header + #"<styleSheet xmlns="\#(main)">"#
        + #"<numFmts count="3"><numFmt numFmtId="164" formatCode="&quot;$&quot;#,##0.00"/><numFmt numFmtId="165" formatCode="yyyy\-mm\-dd"/><numFmt numFmtId="166" formatCode="mmm\ yyyy"/></numFmts>"#
        + #"<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>"#
        + #"<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>"#
        + #"<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"#
        + #"<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>"#
        + #"<cellXfs count="6"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>"#
        + #"<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="10" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#
        + #"<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="166" fontId="1" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyFont="1"/></cellXfs>"#
        + #"<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>"#

    static func sheetXML(_ sheet: WorkbookSheet) -> String {
        var xml = header + #"<worksheet xmlns="\#(main)" xmlns:r="\#(relationships)">"#
        // The header row stays in view as the rows scroll.
        xml += #"<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>"#
        if !sheet.widths.isEmpty {
            xml += "<cols>" + sheet.widths.enumerated().map { #"<col min="\#($0.offset + 1)" max="\#($0.offset + 1)" width="\#($0.element)" customWidth="1"/>"# }.joined() + "</cols>"
        }
        xml += "<sheetData>"
        for (rowIndex, row) in sheet.rows.enumerated() {
            xml += #"<row r="\#(rowIndex + 1)">"#
            for (columnIndex, cell) in row.enumerated() {
                let reference = "\(CellReference.columnName(columnIndex + 1))\(rowIndex + 1)"
                let bold = rowIndex == 0
                switch cell {
                case .empty: continue
                case .text(let text):
                    xml += #"<c r="\#(reference)" t="inlineStr"\#(bold ? #" s="1""# : "")><is><t xml:space="preserve">\#(escape(text))</t></is></c>"#
                case .number(let number): xml += #"<c r="\#(reference)"><v>\#(escape(number))</v></c>"#
                case .cents(let cents): xml += #"<c r="\#(reference)" s="2"><v>\#(Formatting.decimal(cents, places: 2))</v></c>"#
                case .basisPoints(let points): xml += #"<c r="\#(reference)" s="3"><v>\#(Formatting.decimal(Int64(points), places: 4))</v></c>"#
                case .date(let day): xml += #"<c r="\#(reference)" s="4"><v>\#(SpreadsheetDate.serial(of: day))</v></c>"#
                case .month(let day): xml += #"<c r="\#(reference)" s="5"><v>\#(SpreadsheetDate.serial(of: day))</v></c>"#
                }
            }
            xml += "</row>"
        }
        return xml + "</sheetData></worksheet>"
    }

    /// Text for XML: the five entities escaped, characters XML cannot hold left out.
    static func escape(_ text: String) -> String {
        var escaped = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&apos;"
            case "\t", "\n", "\r": escaped.unicodeScalars.append(scalar)
            default:
                if scalar.value >= 0x20, scalar.value != 0xFFFE, scalar.value != 0xFFFF { escaped.unicodeScalars.append(scalar) }
            }
        }
        return escaped
    }

    /// A sheet's name as spreadsheets allow it: 1 to 31 characters, none of `\ / ? * [ ] :`.
    static func sheetName(_ name: String) -> String {
        let cleaned = String(name.filter { !"\\/?*[]:".contains($0) }.prefix(31))
        return cleaned.isEmpty ? "Sheet1" : cleaned
    }
}

enum Formatting {
    /// `value` ÷ 10^places as exact decimal text: 123456 with 2 places is `1234.56`.
    static func decimal(_ value: Int64, places: Int) -> String {
        let sign = value < 0 ? "-" : ""
        var digits = String(value.magnitude)
        while digits.count <= places { digits = "0" + digits }
        let split = digits.index(digits.endIndex, offsetBy: -places)
        return "\(sign)\(digits[..<split]).\(digits[split...])"
    }
}
