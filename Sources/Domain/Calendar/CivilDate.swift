import Foundation

/// A calendar date without time or time zone: the day a period starts, a join date, a due date.
public struct CivilDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Returns nil for dates that do not exist (February 30, month 13) or lie outside
    /// 0001-01-01...9999-12-31.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
            (1...CivilDate.daysInMonth(year: year, month: month)).contains(day)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// For constants known to be valid.
    private init(valid year: Int, _ month: Int, _ day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// The first and last day this type can hold.
    public static let earliest = CivilDate(valid: 1, 1, 1)
    public static let latest = CivilDate(valid: 9999, 12, 31)

    /// The dates the product accepts (DESIGN.md section 5): check input against it where
    /// it enters (API, CSV, CLI).
    public static let supportedRange = CivilDate(valid: 1900, 1, 1)...CivilDate(valid: 2199, 12, 31)

    /// Parses `YYYY-MM-DD`, byte by byte (dates arrive by the thousand from the database).
    public init?(iso8601 text: some StringProtocol) {
        let utf8 = Array(text.utf8.prefix(11))
        guard let date = utf8.withUnsafeBufferPointer({ CivilDate(iso8601Bytes: $0) }) else { return nil }
        self = date
    }

    /// Parses `YYYY-MM-DD` from bytes in place: a database row, a file being imported.
    public init?(iso8601Bytes utf8: UnsafeBufferPointer<UInt8>) {
        guard utf8.count == 10, utf8[4] == UInt8(ascii: "-"), utf8[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let digit = Int(utf8[index]) - 48
                guard (0...9).contains(digit) else { return nil }
                value = value * 10 + digit
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10) else { return nil }
        self.init(year: year, month: month, day: day)
    }

    public static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 (negative before), by Howard Hinnant's days-from-civil algorithm.
    public var daysSinceEpoch: Int { Self.daysSinceEpoch(year: year, month: month, day: day) }

    /// The same for any year in -10^6...10^6, month 1...12 and day 1...31, valid or not
    /// (the 31st of June is July 1st): fiscal years compute their bounds with it.
    static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// -719 162 and 2 932 896.
    static let representableDays = earliest.daysSinceEpoch...latest.daysSinceEpoch

    /// The date `days` days after 1970-01-01, or nil outside 0001-01-01...9999-12-31.
    public init?(checkedDaysSinceEpoch days: Int) {
        guard Self.representableDays.contains(days) else { return nil }
        self.init(daysSinceEpoch: days)
    }

    /// The date `daysSinceEpoch` days after 1970-01-01, clamped to
    /// 0001-01-01...9999-12-31 (use `init?(checkedDaysSinceEpoch:)` to learn that it was).
    public init(daysSinceEpoch unclamped: Int) {
        let days = min(max(unclamped, Self.representableDays.lowerBound), Self.representableDays.upperBound)
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        self.day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        self.month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        self.year = yearOfEra + era * 400 + (self.month <= 2 ? 1 : 0)
    }

    /// The UTC calendar day of an instant, clamped to 0001-01-01...9999-12-31.
    public init(_ instant: Date) {
        let days = (instant.timeIntervalSince1970 / 86_400).rounded(.down)
        let bounded = days.isNaN ? 0 : min(max(days, -1e9), 1e9)
        self.init(daysSinceEpoch: Int(bounded))
    }

    /// Today in UTC.
    public static var today: CivilDate { CivilDate(Date()) }

    /// `days` later (earlier when negative), clamped to 0001-01-01...9999-12-31.
    public func adding(days: Int) -> CivilDate {
        let (sum, overflow) = daysSinceEpoch.addingReportingOverflow(days)
        return CivilDate(daysSinceEpoch: overflow ? (days < 0 ? Int.min : Int.max) : sum)
    }

    /// The Monday of this date's week (ISO 8601 weeks start on Monday): a weekly schedule's
    /// slot. 0001-01-01 (a Monday) is its own.
    public var weekStart: CivilDate {
        // 1970-01-01 was a Thursday: three days after a Monday.
        let days = daysSinceEpoch
        let sinceMonday = ((days + 3) % 7 + 7) % 7
        return CivilDate(daysSinceEpoch: days - sinceMonday)
    }

    /// `days` later (earlier when negative), or nil beyond 0001-01-01...9999-12-31.
    public func checkedAdding(days: Int) -> CivilDate? {
        let (sum, overflow) = daysSinceEpoch.addingReportingOverflow(days)
        return overflow ? nil : CivilDate(checkedDaysSinceEpoch: sum)
    }

    /// Whole days from `self` to `other` (positive when `other` is later).
    public func days(until other: CivilDate) -> Int {
        other.daysSinceEpoch - daysSinceEpoch
    }

    public static func < (lhs: CivilDate, rhs: CivilDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// `YYYY-MM-DD`.
    public var description: String {
        var bytes = [UInt8](repeating: UInt8(ascii: "-"), count: 10)
        func put(_ number: Int, at offset: Int, width: Int) {
            var value = number
            for index in stride(from: offset + width - 1, through: offset, by: -1) {
                bytes[index] = UInt8(48 + value % 10)
                value /= 10
            }
        }
        put(year, at: 0, width: 4)
        put(month, at: 5, width: 2)
        put(day, at: 8, width: 2)
        return String(decoding: bytes, as: UTF8.self)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let date = CivilDate(iso8601: text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "expected a date as YYYY-MM-DD")
            )
        }
        // Dates enter here (request bodies): the product's range is checked at the door,
        // so that no stored date can make a later request fail (DESIGN.md section 5).
        guard Self.supportedRange.contains(date) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "must be a date from 1900-01-01 to 2199-12-31")
            )
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
