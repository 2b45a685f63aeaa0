import Foundation

/// The workbook's sheets (name, visibility, part) and its date system.
struct Workbook {
    struct Sheet {
        var name: String
        var hidden: Bool
        var path: String
    }

    var sheets: [Sheet]
    var date1904: Bool

    static func read(_ package: WorkbookPackage) throws(SpreadsheetRefusal) -> Workbook {
        guard let workbook = try package.part("xl/workbook.xml") else { throw .notAWorkbook }
        var targets: [String: String] = [:]
        if let relations = try package.part("xl/_rels/workbook.xml.rels") {
            try walking("the workbook's relations") {
                try XMLElements.walk(relations, start: { element, attributes in
                    guard element == "Relationship", let id = attributes.attribute("Id"), let target = attributes.attribute("Target") else { return }
                    // Targets are relative to xl/, or absolute from the package's root.
                    targets[id] = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
                })
            }
        }
        var sheets: [Sheet] = []
        var date1904 = false
        try walking("the workbook") {
            try XMLElements.walk(workbook, start: { element, attributes in
                switch element {
                case "workbookPr":
                    date1904 = ["1", "true"].contains(attributes.attribute("date1904") ?? "")
                case "sheet":
                    guard let name = attributes.attribute("name"), let id = attributes.attribute("id"), let path = targets[id] else { return }
                    sheets.append(Sheet(name: name, hidden: (attributes.attribute("state") ?? "visible") != "visible", path: path))
                default: break
                }
            })
        }
        return Workbook(sheets: sheets, date1904: date1904)
    }
}

/// `xl/sharedStrings.xml`: the text of each shared string, runs joined, phonetic guides left out.
enum SharedStrings {
    static func read(_ package: WorkbookPackage) throws(SpreadsheetRefusal) -> [String] {
        guard let data = try package.part("xl/sharedStrings.xml") else { return [] }
        var strings: [String] = []
        var current = ""
        var phonetic = 0
        try walking("the shared strings") {
            try XMLElements.walk(
                data,
                start: { element, _ in
                    if element == "si" { current = "" }
                    if element == "rPh" { phonetic += 1 }
                },
                end: { element, text in
                    switch element {
                    case "t" where phonetic == 0: current += text
                    case "rPh": phonetic -= 1
                    case "si": strings.append(current)
                    default: break
                    }
                }
            )
        }
        return strings
    }
}

/// `xl/styles.xml`: which cell styles show a number as a date.
struct DateStyles {
    var dateStyles: Set<Int>

    func isDate(style: Int) -> Bool { dateStyles.contains(style) }

    /// The built-in formats that are dates (ECMA-376 part 1, 18.8.30).
    static let builtInDateFormats: Set<Int> = Set(14...17).union([22, 27, 30, 36, 50, 57])

    static func read(_ package: WorkbookPackage) throws(SpreadsheetRefusal) -> DateStyles {
        guard let data = try package.part("xl/styles.xml") else { return DateStyles(dateStyles: []) }
        var customDates: Set<Int> = []
        var styles: [Int] = []
        var inCellFormats = false
        try walking("the styles") {
            try XMLElements.walk(
                data,
                start: { element, attributes in
                    switch element {
                    case "numFmt":
                        if let id = attributes.attribute("numFmtId").flatMap({ Int($0) }), let code = attributes.attribute("formatCode"), isDateFormat(code) {
                            customDates.insert(id)
                        }
                    case "cellXfs": inCellFormats = true
                    case "xf" where inCellFormats: styles.append(attributes.attribute("numFmtId").flatMap { Int($0) } ?? 0)
                    default: break
                    }
                },
                end: { element, _ in
                    if element == "cellXfs" { inCellFormats = false }
                }
            )
        }
        let dates = styles.enumerated().filter { builtInDateFormats.contains($0.element) || customDates.contains($0.element) }.map(\.offset)
        return DateStyles(dateStyles: Set(dates))
    }

    /// A custom format that shows a date: a day, month or year code outside quotes,
    /// brackets and escapes (`mmm yyyy`, `dd/mm/yy`; not `0.00` nor `[h]:mm`).
    static func isDateFormat(_ code: String) -> Bool {
        var quoted = false
        var bracket = false
        var escaped = false
        for character in code.lowercased() {
            if escaped { escaped = false; continue }
            switch character {
            case "\\": escaped = true
            case "\"": quoted.toggle()
            case "[" where !quoted: bracket = true
            case "]" where !quoted: bracket = false
            case "d" where !quoted && !bracket, "y" where !quoted && !bracket: return true
            case "m" where !quoted && !bracket:
                // `m` alone is a month next to d or y, a minute next to h or s.
                return !code.lowercased().contains("h") && !code.lowercased().contains("s")
            default: break
            }
        }
        return false
    }
}

/// Runs an XML walk over a part, refusing the workbook when it is not well-formed.
func walking(_ part: String, _ body: () throws -> Void) throws(SpreadsheetRefusal) {
    do {
        try body()
    } catch {
        throw .unreadable("\(part) is not well-formed")
    }
}
