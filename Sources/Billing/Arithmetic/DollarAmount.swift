/// An amount of money as a person types it in a form: `1234.56`, `$1,234.56`, `1,234`,
/// `0.5` (fifty cents). At most two decimals (an amount is never rounded behind the
/// typist's back), commas only as thousands separators, no sign, below a trillion dollars.
public enum DollarAmount {
    public enum Refusal: Error, Equatable, Sendable {
        case empty
        case notAnAmount
        case tooManyDecimals
        case tooLarge
    }

    public static let largestCents: Int64 = 100_000_000_000_000  // one trillion dollars

    public static func cents(_ text: String) throws(Refusal) -> Int64 {
        var body = Substring(text.trimmingWhitespace)
        if body.first == "$" { body = body.dropFirst() }
        guard !body.isEmpty else { throw .empty }
        let parts = body.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count <= 2, let wholeText = parts.first else { throw .notAnAmount }
        let fraction = parts.count == 2 ? parts[1] : ""
        guard fraction.allSatisfy(\.isASCIIDigit) else { throw .notAnAmount }
        guard fraction.count <= 2 else { throw .tooManyDecimals }
        guard !wholeText.isEmpty || !fraction.isEmpty, try groupsAreValid(wholeText) else { throw .notAnAmount }
        var cents: Int64 = 0
        for character in wholeText.filter({ $0 != "," }) + fraction.padding(toLength: 2, withPad: "0") {
            guard let digit = character.wholeNumberValue else { throw .notAnAmount }
            cents = cents * 10 + Int64(digit)
            guard cents <= largestCents else { throw .tooLarge }
        }
        return cents
    }

    /// `1,234,567` or `1234567`: either no comma, or groups of three after the first.
    private static func groupsAreValid(_ whole: Substring) throws(Refusal) -> Bool {
        guard whole.allSatisfy({ $0.isASCIIDigit || $0 == "," }) else { return false }
        guard whole.contains(",") else { return true }
        let groups = whole.split(separator: ",", omittingEmptySubsequences: false)
        guard let first = groups.first, (1...3).contains(first.count) else { return false }
        return groups.dropFirst().allSatisfy { $0.count == 3 }
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}

extension String {
    fileprivate var trimmingWhitespace: Substring {
        let scalars = unicodeScalars
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let end = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return Substring(scalars[start...end])
    }
}

extension Substring {
    fileprivate func padding(toLength length: Int, withPad pad: Character) -> String {
        String(self) + String(repeating: pad, count: Swift.max(0, length - count))
    }
}
