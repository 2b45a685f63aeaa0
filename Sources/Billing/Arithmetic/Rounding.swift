/// Integer division with a named rounding rule: money never passes through floating point.
public enum Rounding {
    /// `numerator ÷ denominator`, rounded to the nearest integer, halves away from zero
    /// ("half-up" as accountants say it: 0.5 cent becomes 1 cent, -0.5 becomes -1).
    public static func halfUp(_ numerator: Int64, dividedBy denominator: Int64) -> Int64 {
        halfUp(numerator, times: 1, dividedBy: denominator)
    }

    /// `value × multiplier ÷ divisor`, half-up, computed on the 128-bit product so that
    /// cents × days or cents × basis points cannot overflow before the division.
    public static func halfUp(_ value: Int64, times multiplier: Int64, dividedBy divisor: Int64) -> Int64 {
        precondition(divisor != 0, "division by zero")
        let negative = ((value < 0) != (multiplier < 0)) != (divisor < 0)
        let product = value.magnitude.multipliedFullWidth(by: multiplier.magnitude)
        let divisorMagnitude = divisor.magnitude
        let (quotient, remainder) = divisorMagnitude.dividingFullWidth(product)
        // remainder * 2 >= divisor, written so that it cannot overflow.
        let rounded = remainder >= divisorMagnitude - remainder ? quotient + 1 : quotient
        let magnitude = Int64(rounded)
        return negative ? -magnitude : magnitude
    }
}

/// A share in basis points: 10 000 = 100 %.
public struct BasisPoints: Sendable, Hashable, Comparable, Codable {
    public static let whole = BasisPoints(10_000)

    public let value: Int

    public init(_ value: Int) {
        self.value = value
    }

    /// `part ÷ whole` in basis points, half-up; zero when `whole` is zero.
    public static func share(of part: Int64, in whole: Int64) -> BasisPoints {
        guard whole != 0 else { return BasisPoints(0) }
        return BasisPoints(Int(Rounding.halfUp(part, times: 10_000, dividedBy: whole)))
    }

    /// `amount × self`, half-up to the cent.
    public func apply(to amount: Int64) -> Int64 {
        Rounding.halfUp(amount, times: Int64(value), dividedBy: 10_000)
    }

    public static func < (lhs: BasisPoints, rhs: BasisPoints) -> Bool { lhs.value < rhs.value }
}
