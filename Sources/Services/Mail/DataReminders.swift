import Domain
import Foundation
import Storage

/// Data-due reminders (DESIGN §12): on a tenant's due day, the owner of each measure whose
/// last ended period has no value gets one mail for that measure and period. The reminder's
/// record and its mail commit together, and the record's key admits one per measure and
/// period: a second worker, or the same run again, sends nothing more.
public struct DataReminders: Sendable {
    let services: Services

    public init(services: Services) {
        self.services = services
    }

    /// Records and mails today's reminders; returns how many were mailed.
    @discardableResult
    public func remindDue() async throws -> Int {
        let today = services.clock.today
        let reminders = services.stores.reminders
        let outbox = services.stores.outbox
        let base = services.settings.publicBaseURL
        return try await services.anonymous(access: .center) { connection in
            let candidates = try await reminders.candidates(dueDay: today.day, on: connection)
            let due = candidates.compactMap { candidate in
                candidate.frequency.lastEndedPeriod(on: today, fiscalYearStartMonth: candidate.fiscalYearStartMonth)
                    .map { DueReminder(candidate: candidate, period: $0) }
            }
            let recorded = try await reminders.record(due, on: today, on: connection)
            let mails = due.filter { recorded.contains(DueReminderKey(measureID: $0.candidate.measureID, daysSinceEpoch: $0.period.daysSinceEpoch)) }
                .map { Self.mail(for: $0, base: base) }
            try await outbox.enqueue(mails, on: connection)
            return mails.count
        }
    }

    static func mail(for reminder: DueReminder, base: String) -> OutboxEntry {
        let candidate = reminder.candidate
        let tenant = candidate.tenantID.uuidString.lowercased()
        let measure = candidate.measureID.uuidString.lowercased()
        return MailTemplates.dataReminder(
            ownerName: candidate.ownerName.isEmpty ? candidate.ownerEmail : candidate.ownerName, tenant: candidate.tenantName,
            measure: candidate.measureName, period: Self.periodName(reminder.period, frequency: candidate.frequency),
            dataURL: "\(base)/v1/tenants/\(tenant)/measures/\(measure)/data"
        )
        .entry(to: candidate.ownerEmail, kind: "data_reminder")
    }

    /// `February 2015`, `the quarter from October 2014`, `the year from July 2013`.
    public static func periodName(_ period: CivilDate, frequency: Frequency) -> String {
        let months = [
            "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December",
        ]
        let month = "\(months[(period.month - 1) % 12]) \(period.year)"
        switch frequency {
        case .monthly: return month
        case .quarterly: return "the quarter from \(month)"
        case .yearly: return "the year from \(month)"
        }
    }
}
