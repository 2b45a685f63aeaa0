import Domain
import Foundation

/// Today and now, injected so that a test can pin them and every rule that depends on the
/// date (due, overdue, the current fiscal year) gives the same answer in every run.
public struct ServiceClock: Sendable {
    private let currentInstant: @Sendable () -> Date

    public init(now: @escaping @Sendable () -> Date) {
        self.currentInstant = now
    }

    /// The system clock.
    public static let system = ServiceClock(now: { Date() })

    /// A clock stopped at the start (UTC) of `day`.
    public static func fixed(_ day: CivilDate) -> ServiceClock {
        let instant = Date(timeIntervalSince1970: Double(day.daysSinceEpoch) * 86_400)
        return ServiceClock(now: { instant })
    }

    public var now: Date { currentInstant() }

    /// The calendar date in UTC.
    public var today: CivilDate { CivilDate(now) }
}
