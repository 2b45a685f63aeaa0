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

    /// `33.56 %` from 3 356 basis points.
    public static func percent(_ share: BasisPoints) -> String {
        let sign = share.value < 0 ? "-" : ""
        let magnitude = share.value.magnitude
        let hundredths = magnitude % 100
        return "\(sign)\(magnitude / 100).\(hundredths < 10 ? "0" : "")\(hundredths) %"
    }
}
