/// An invoice's number, assigned at finalization and gapless per program year
/// (DESIGN.md section 6): `MPMP-FY2015-0001`, the sequence zero-padded to four digits and
/// simply longer from 10 000 on (`MPMP-FY2015-10000`).
public struct InvoiceNumber: Sendable, Hashable, Comparable, LosslessStringConvertible {
    /// A `programs` code: an upper-case letter, then 1 to 31 of `A-Z`, `0-9`, `_`, `-`.
    public let programCode: String
    /// Four digits.
    public let fiscalYear: Int
    /// From 1.
    public let sequence: Int

    /// Nil for a code `programs` would refuse, a year that is not four digits, or a
    /// sequence below 1.
    public init?(programCode: String, fiscalYear: Int, sequence: Int) {
        guard Self.isProgramCode(programCode), (1000...9999).contains(fiscalYear), sequence >= 1 else { return nil }
        self.programCode = programCode
        self.fiscalYear = fiscalYear
        self.sequence = sequence
    }

    /// Reads a number as `description` writes it, and nothing else (`MPMP-FY2015-001`
    /// and `MPMP-FY2015-00010` are refused).
    public init?(_ description: String) {
        let parts = description.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 3 else { return nil }
        let yearPart = parts[parts.count - 2]
        let sequencePart = parts[parts.count - 1]
        guard yearPart.hasPrefix("FY"), yearPart.count == 6, sequencePart.count >= 4,
            yearPart.dropFirst(2).allSatisfy(\.isASCIIDigit), sequencePart.allSatisfy(\.isASCIIDigit),
            let year = Int(yearPart.dropFirst(2)), let sequence = Int(sequencePart),
            let number = InvoiceNumber(
                programCode: parts.dropLast(2).joined(separator: "-"), fiscalYear: year, sequence: sequence
            ),
            number.description == description
        else { return nil }
        self = number
    }

    /// `MPMP-FY2015-0001`.
    public var description: String {
        let digits = String(sequence)
        return "\(programCode)-FY\(fiscalYear)-" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// By program, then year, then sequence: `…-9999` before `…-10000`.
    public static func < (lhs: InvoiceNumber, rhs: InvoiceNumber) -> Bool {
        (lhs.programCode, lhs.fiscalYear, lhs.sequence) < (rhs.programCode, rhs.fiscalYear, rhs.sequence)
    }

    static func isProgramCode(_ code: String) -> Bool {
        let bytes = Array(code.utf8)
        guard (2...32).contains(bytes.count), let first = bytes.first, (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(first) else {
            return false
        }
        return bytes.dropFirst().allSatisfy { byte in
            (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isWholeNumber }
}
