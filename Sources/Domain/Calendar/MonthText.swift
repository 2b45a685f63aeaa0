import Foundation

/// A month as people write it in a spreadsheet's header: `Jul 2014`, `July 2014`,
/// `Jul-14` (two-digit years are 2000 to 2099), `2014-07`, `2014-07-01` (a first of the
/// month), `7/2014`. The month is named by its first day.
public enum MonthText {
    public static func parse(_ text: String) -> CivilDate? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        if trimmed.count == 10, let day = CivilDate(iso8601: trimmed) { return day.day == 1 ? day : nil }
        let parts = trimmed.split(whereSeparator: { $0 == " " || $0 == "-" || $0 == "/" || $0 == "." }).map(String.init)
        guard parts.count == 2 else { return nil }
        if let year = Int(parts[0]), parts[0].count == 4, let month = Int(parts[1]) {
            return CivilDate(year: year, month: month, day: 1)
        }
        if let month = Int(parts[0]), (1...2).contains(parts[0].count), let year = Int(parts[1]), parts[1].count == 4 {
            return CivilDate(year: year, month: month, day: 1)
        }
        // A month's name, whole or cut short (`Sep`, `Sept`, `September`).
        let word = parts[0]
        guard word.count >= 3, let index = fullNames.firstIndex(where: { $0.hasPrefix(word) }),
            let year = Int(parts[1]), parts[1].allSatisfy(\.isNumber)
        else { return nil }
        switch parts[1].count {
        case 4: return CivilDate(year: year, month: index + 1, day: 1)
        case 2: return CivilDate(year: 2000 + year, month: index + 1, day: 1)
        default: return nil
        }
    }

    static let fullNames = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"]
}
