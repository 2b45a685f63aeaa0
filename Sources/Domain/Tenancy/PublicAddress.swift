import Foundation

/// The address of a town's public page, `/public/{slug}`: lower-case letters and digits in
/// words joined by single hyphens, 2 to 60 characters (migration 0016 checks the same).
public enum PublicAddress {
    public static let lengths = 2...60

    public static func isValid(_ slug: String) -> Bool {
        guard lengths.contains(slug.count), slug.first != "-", slug.last != "-", !slug.contains("--") else { return false }
        return slug.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }

    /// An address suggested from a name: letters and digits kept (accents dropped), the
    /// rest a hyphen, `North Adams` → `north-adams`, `Town of Hadley (MA)` → `town-of-hadley-ma`;
    /// nil when nothing usable is left.
    public static func suggest(from name: String) -> String? {
        var slug = ""
        var pendingHyphen = false
        for scalar in name.decomposedStringWithCompatibilityMapping.lowercased().unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                if pendingHyphen, !slug.isEmpty { slug.append("-") }
                pendingHyphen = false
                slug.unicodeScalars.append(scalar)
            } else if scalar.properties.generalCategory != .nonspacingMark {
                pendingHyphen = true
            }
        }
        let trimmed = String(slug.prefix(lengths.upperBound)).trimmingHyphens
        return isValid(trimmed) ? trimmed : nil
    }
}

extension String {
    fileprivate var trimmingHyphens: String {
        var text = Substring(self)
        while text.last == "-" { text = text.dropLast() }
        return String(text)
    }
}
