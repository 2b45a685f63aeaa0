import Foundation

/// Collects every invalid field of a request, so that one answer names them all.
public struct Validation: Sendable {
    public private(set) var errors: [FieldError] = []

    public init() {}

    public mutating func fail(_ field: String, _ reason: String) {
        errors.append(.init(field: field, reason: reason))
    }

    /// A trimmed, non-empty text of at most `maximumLength` characters.
    public mutating func text(_ value: String?, field: String, maximumLength: Int = 200, required: Bool = true) -> String? {
        guard let value else {
            if required { fail(field, "is required") }
            return nil
        }
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty {
            fail(field, "must not be empty")
            return nil
        }
        if trimmed.count > maximumLength {
            fail(field, "must be at most \(maximumLength) characters")
            return nil
        }
        return trimmed
    }

    /// Free text that may be empty (a note, a definition): trimmed, at most `maximumLength`.
    public mutating func optionalText(_ value: String?, field: String, maximumLength: Int) -> String {
        let trimmed = (value ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.count > maximumLength {
            fail(field, "must be at most \(maximumLength) characters")
            return ""
        }
        return trimmed
    }

    /// A measured value: a finite number of at most fifteen digits before the point.
    public mutating func measurement(_ value: Decimal, field: String) {
        if value.isNaN || abs(value) >= Decimal(sign: .plus, exponent: 15, significand: 1) {
            fail(field, "must be a number below 10^15 in magnitude")
        }
    }

    /// A code of the catalogue (a state, a kind, a program): the whole of `value` must match
    /// `pattern`, or `field` fails with `reason`.
    public mutating func code(_ value: String, field: String, pattern: String, reason: String) {
        if value.range(of: pattern, options: .regularExpression) == nil {
            fail(field, reason)
        }
    }

    /// An e-mail address: one @ with text on both sides, no spaces, at most 254 characters.
    public mutating func email(_ value: String?, field: String = "email") -> String? {
        guard let text = text(value, field: field, maximumLength: 254) else { return nil }
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."),
            !parts[1].hasSuffix("."), !text.contains(where: \.isWhitespace)
        else {
            fail(field, "must be an e-mail address such as name@town.gov")
            return nil
        }
        return text
    }

    /// A password of 8 to 1,024 characters (code points, as the API document counts them);
    /// PasswordHasher makes every byte of a long one count.
    public mutating func password(_ value: String?, field: String = "password") -> String? {
        guard let value else {
            fail(field, "is required")
            return nil
        }
        guard (8...1024).contains(value.unicodeScalars.count) else {
            fail(field, "must be 8 to 1,024 characters long")
            return nil
        }
        return value
    }

    public mutating func integer(_ value: Int?, field: String, in range: ClosedRange<Int>, required: Bool = false) -> Int? {
        guard let value else {
            if required { fail(field, "is required") }
            return nil
        }
        guard range.contains(value) else {
            fail(field, "must be between \(range.lowerBound) and \(range.upperBound)")
            return nil
        }
        return value
    }

    /// Throws a 422 naming every invalid field, if there is one.
    public func check() throws {
        if !errors.isEmpty {
            throw ServiceError.invalid(errors)
        }
    }

    /// For failures that name what is not there (see `ServiceError.unresolved`).
    public func checkReferences() throws {
        if !errors.isEmpty {
            throw ServiceError.unresolved(errors)
        }
    }
}
