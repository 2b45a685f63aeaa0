import Foundation

/// A measured value in exact fixed point: an integer count of 10⁻¹⁸, below 10¹⁵ in
/// magnitude (the bound `measures` accept), so that sums and products of a few values
/// stay far inside `Int128` (about 1.7 × 10³⁸) and no operation here can overflow.
///
/// Every initializer checks the bound; there is no way to build a `Quantity` outside it.
/// It reads PostgreSQL `numeric` text (`Quantity("-12.50")`), prints canonical JSON
/// number text (`description`: `-12.5`), and converts to and from `Decimal` for the API.
public struct Quantity: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Fraction digits kept: values are rounded half-even beyond the 18th.
    public static let fractionDigits = 18
    /// 10¹⁸, the mantissa of 1.
    public static let scale: Int128 = 1_000_000_000_000_000_000
    /// 10³³, the exclusive bound of `|mantissa|`: values are below 10¹⁵ in magnitude.
    public static let mantissaBound: Int128 = 1_000_000_000_000_000_000_000_000_000_000_000

    public static let zero = Quantity(bounded: 0)

    /// The value × 10¹⁸, with `|mantissa| < 10³³`.
    public let mantissa: Int128

    /// Nil unless `|mantissa| < 10³³`.
    public init?(mantissa: Int128) {
        guard -Self.mantissaBound < mantissa, mantissa < Self.mantissaBound else { return nil }
        self.mantissa = mantissa
    }

    /// For mantissas known to be in bounds.
    init(bounded mantissa: Int128) {
        self.mantissa = mantissa
    }

    /// An integer; nil at or beyond 10¹⁵ in magnitude.
    public init?(_ integer: Int) {
        let (mantissa, overflow) = Int128(integer).multipliedReportingOverflow(by: Self.scale)
        guard !overflow else { return nil }
        self.init(mantissa: mantissa)
    }

    /// Parses decimal text: PostgreSQL `numeric` output (`-12.50`, `0.000001`) and also a
    /// leading `+`, a bare point (`5.`, `.5`) and an exponent (`1e3`, `2.5E-4`). Rounds
    /// half-even beyond 18 fraction digits; nil for anything else (`NaN`, `Infinity`,
    /// spaces, an empty string) and at or beyond 10¹⁵ in magnitude.
    public init?(_ text: some StringProtocol) {
        var text = String(text)
        guard let mantissa = text.withUTF8({ Self.parse($0) }) else { return nil }
        self.mantissa = mantissa
    }

    /// The same, from bytes in place (a database row's buffer): no copy, no generic
    /// dispatch on the hot path.
    public init?(utf8 bytes: UnsafeBufferPointer<UInt8>) {
        guard let mantissa = Self.parse(bytes) else { return nil }
        self.mantissa = mantissa
    }

    /// The same, from bytes (a database row's buffer).
    public init?(utf8 bytes: some Collection<UInt8>) {
        let parsed = bytes.withContiguousStorageIfAvailable { Self.parse($0) } ?? Array(bytes).withUnsafeBufferPointer { Self.parse($0) }
        guard let mantissa = parsed else { return nil }
        self.mantissa = mantissa
    }

    /// A `Decimal`, rounded half-even to 18 fraction digits; nil for NaN or at or beyond
    /// 10¹⁵ in magnitude.
    public init?(_ decimal: Decimal) {
        guard decimal.isFinite else { return nil }
        self.init(decimal.description)
    }

    /// The exact `Decimal` (33 significant digits at most, within its 38).
    public var decimal: Decimal {
        let magnitude = mantissa.magnitude
        let unit = UInt128(Self.scale)
        let whole = UInt64(truncatingIfNeeded: magnitude / unit)
        let fraction = UInt64(truncatingIfNeeded: magnitude % unit)
        let significand = Decimal(whole) * Decimal(1_000_000_000_000_000_000 as UInt64) + Decimal(fraction)
        return Decimal(sign: mantissa < 0 ? .minus : .plus, exponent: -Self.fractionDigits, significand: significand)
    }

    /// Appends the canonical text (as `description`) as UTF-8: for writers of JSON that
    /// print hundreds of values and want no intermediate strings.
    public func appendText(to bytes: inout [UInt8]) {
        let magnitude = mantissa.magnitude
        let unit = UInt128(Self.scale)
        if mantissa < 0 { bytes.append(UInt8(ascii: "-")) }
        Self.appendDigits(UInt64(truncatingIfNeeded: magnitude / unit), minimumWidth: 1, to: &bytes)
        var fraction = UInt64(truncatingIfNeeded: magnitude % unit)
        guard fraction != 0 else { return }
        var width = Self.fractionDigits
        while fraction % 10 == 0 {
            fraction /= 10
            width -= 1
        }
        bytes.append(UInt8(ascii: "."))
        Self.appendDigits(fraction, minimumWidth: width, to: &bytes)
    }

    /// The decimal digits of `value`, left-padded with zeros to `minimumWidth`.
    static func appendDigits(_ value: UInt64, minimumWidth: Int, to bytes: inout [UInt8]) {
        var length = 1
        var rest = value / 10
        while rest != 0 {
            length += 1
            rest /= 10
        }
        let width = max(length, minimumWidth)
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: width))
        var remaining = value
        var index = start + width - 1
        while remaining != 0 {
            bytes[index] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: remaining % 10)
            remaining /= 10
            index -= 1
        }
    }

    /// Canonical JSON number text: no exponent, no trailing zeros, no `+`, never `-0`.
    public var description: String {
        let magnitude = mantissa.magnitude
        let unit = UInt128(Self.scale)
        var text = mantissa < 0 ? "-" : ""
        text += String(UInt64(truncatingIfNeeded: magnitude / unit))
        var fraction = UInt64(truncatingIfNeeded: magnitude % unit)
        guard fraction != 0 else { return text }
        var width = Self.fractionDigits
        while fraction % 10 == 0 {
            fraction /= 10
            width -= 1
        }
        let digits = String(fraction)
        return text + "." + String(repeating: "0", count: width - digits.count) + digits
    }

    public static func < (lhs: Quantity, rhs: Quantity) -> Bool { lhs.mantissa < rhs.mantissa }
}

extension Quantity: Codable {
    /// As a JSON number, through `Decimal` (exact to 38 digits); a number `Decimal` cannot
    /// hold (beyond its exponent range, such as `5e-324`) through `Double`'s shortest text.
    /// Either way it is rounded half-even to 18 fraction digits.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let parsed: Quantity?
        if let decimal = try? container.decode(Decimal.self) {
            parsed = Quantity(decimal)
        } else {
            let double = try container.decode(Double.self)
            parsed = double.isFinite ? Quantity("\(double)") : nil
        }
        guard let quantity = parsed else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "expected a number below 10^15 in magnitude")
            )
        }
        self = quantity
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(decimal)
    }
}

extension Quantity {
    /// 10⁰ … 10³⁸, all within `Int128`.
    static let powersOfTen: [Int128] = (0...38).reduce(into: []) { powers, exponent in
        powers.append(exponent == 0 ? 1 : (powers.last ?? 1) * 10)
    }

    /// `base + remainder ÷ divisor` rounded half-even, for `divisor > 0` and
    /// `|remainder| < divisor` (so that twice the remainder cannot overflow).
    static func roundHalfEven(_ base: Int128, remainder: Int128, divisor: Int128) -> Int128 {
        guard remainder != 0 else { return base }
        let twice = remainder.magnitude * 2
        let step: Int128 = remainder < 0 ? -1 : 1
        if twice > divisor.magnitude || (twice == divisor.magnitude && base % 2 != 0) {
            return base + step
        }
        return base
    }

    /// The digits accumulated before further ones only decide the rounding: 10³⁶ keeps
    /// `accumulator × 10 + 9` below 10³⁷.
    private static let accumulatorLimit: Int128 = powersOfTen[36]

    /// The mantissa of `bytes`, or nil (see `init?(_:)` for the syntax).
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Int128? {
        var index = 0
        var negative = false
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
            negative = bytes[index] == UInt8(ascii: "-")
            index += 1
        }
        // The leading digits, up to 37 significant ones, in `accumulator`; the value is
        // accumulator × 10^(droppedIntegerDigits − keptFractionDigits + exponent), plus
        // less than one unit of the last kept digit when a dropped digit was not zero.
        var accumulator: Int128 = 0
        var digits = 0
        var keptFractionDigits = 0
        var droppedIntegerDigits = 0
        var droppedNonZero = false
        var afterPoint = false
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "."), !afterPoint {
                afterPoint = true
            } else if let digit = Self.digit(byte) {
                digits += 1
                if accumulator < accumulatorLimit {
                    accumulator = accumulator * 10 + Int128(digit)
                    if afterPoint { keptFractionDigits += 1 }
                } else {
                    if !afterPoint { droppedIntegerDigits += 1 }
                    if digit != 0 { droppedNonZero = true }
                }
            } else {
                break
            }
            index += 1
        }
        guard digits > 0 else { return nil }
        var exponent = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            var exponentNegative = false
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
                exponentNegative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            let start = index
            while index < bytes.count, let digit = Self.digit(bytes[index]) {
                // Saturates: 10⁶ is far beyond where every value is zero or out of range.
                exponent = min(exponent * 10 + digit, 1_000_000)
                index += 1
            }
            guard index > start else { return nil }
            if exponentNegative { exponent = -exponent }
        }
        guard index == bytes.count else { return nil }
        guard accumulator != 0 else { return 0 }
        let shift = exponent + fractionDigits - keptFractionDigits + droppedIntegerDigits
        let magnitude: Int128
        if shift >= 0 {
            // accumulator ≥ 1, so 10³³ or more is out of range anyway.
            guard shift < 33 else { return nil }
            let (product, overflow) = accumulator.multipliedReportingOverflow(by: powersOfTen[shift])
            guard !overflow else { return nil }
            magnitude = product
        } else if shift < -38 {
            // accumulator < 10³⁷: less than a hundredth of the last unit kept.
            magnitude = 0
        } else {
            let divisor = powersOfTen[-shift]
            let (quotient, remainder) = accumulator.quotientAndRemainder(dividingBy: divisor)
            // A dropped non-zero digit lies below the rounding position: it breaks a tie upwards.
            let half = divisor / 2
            if remainder > half || (remainder == half && (droppedNonZero || quotient % 2 != 0)) {
                magnitude = quotient + 1
            } else {
                magnitude = quotient
            }
        }
        guard magnitude < mantissaBound else { return nil }
        return negative ? -magnitude : magnitude
    }

    private static func digit(_ byte: UInt8) -> Int? {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) ? Int(byte - UInt8(ascii: "0")) : nil
    }
}
