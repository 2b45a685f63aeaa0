import Foundation

/// The cursor of a list paged by time, newest first (the audit trail, failed mails):
/// `microseconds|id`, the microseconds counted as PostgreSQL counts them (from 2000-01-01)
/// so that the boundary row compares exactly, and bounded to 1900–2200 so that no cursor
/// can make a date the database driver cannot encode.
public enum TimeCursor {
    static let postgresEpoch = Date(timeIntervalSince1970: 946_684_800)
    static let microsecondsPerSecond = 1_000_000.0
    /// 1900-01-01 and 2200-01-01, in microseconds from 2000-01-01.
    static let range: ClosedRange<Int64> = -3_155_760_000_000_000...6_311_433_600_000_000

    public static func encode(_ date: Date, _ id: UUID) -> String {
        let microseconds = (date.timeIntervalSince(postgresEpoch) * microsecondsPerSecond).rounded()
        let bounded = Int64(min(max(microseconds, Double(range.lowerBound)), Double(range.upperBound)))
        return "\(bounded)|\(id.uuidString.lowercased())"
    }

    /// The (time, id) of `text`, nil when it is not a cursor of this kind.
    public static func decode(_ text: String) -> (Date, UUID)? {
        let parts = text.split(separator: "|")
        guard parts.count == 2, let microseconds = Int64(parts[0]), range.contains(microseconds), let id = UUID(uuidString: String(parts[1])) else {
            return nil
        }
        // Half a microsecond toward the value's side: the driver truncates toward zero,
        // and this lands it on exactly `microseconds`.
        let nudge = microseconds >= 0 ? 0.5 : -0.5
        return (Date(timeInterval: (Double(microseconds) + nudge) / microsecondsPerSecond, since: postgresEpoch), id)
    }
}
