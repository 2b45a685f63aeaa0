/// Money and shares as people read them, without floating point.
public enum Formatting {
    /// `$1,234,567.89`; negative amounts as `-$12.30`.
    public static func dollars(_ cents: Int64) -> String {
        let sign = cents < 0 ? "-" : ""
        let magnitude = cents.magnitude
        var grouped = ""
        for (index, character) in String(magnitude / 100).reversed().enumerated() {
            if index > 0, index % 3 == 0 { grouped.append(",") }
            grouped.append(character)
        }
        let centsPart = magnitude % 100
        return "\(sign)$\(String(grouped.reversed())).\(centsPart < 10 ? "0" : "")\(centsPart)"
    }

    /// `1234567.89`, `-12.30`: an amount for a spreadsheet cell, without the symbol and
    /// the thousands separators a program would take for text.
    public static func decimalDollars(_ cents: Int64) -> String {
        let magnitude = cents.magnitude
        let centsPart = magnitude % 100
        return "\(cents < 0 ? "-" : "")\(magnitude / 100).\(centsPart < 10 ? "0" : "")\(centsPart)"
    }

    /// `33.56 %` from 3 356 basis points.
    public static func percent(_ share: BasisPoints) -> String {
        let sign = share.value < 0 ? "-" : ""
        let magnitude = share.value.magnitude
        let hundredths = magnitude % 100
        return "\(sign)\(magnitude / 100).\(hundredths < 10 ? "0" : "")\(hundredths) %"
    }
}
