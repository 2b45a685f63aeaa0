import Domain
import Foundation
import Storage

/// The weekly digest of each analyst (DESIGN §12): per town of their portfolio, the
/// measures with data due or stale, those in red, the overdue action items and the next
/// meeting. One per analyst and week (its Monday is the schedule's slot): the digest's
/// record and its mail commit together, and the record's key admits one per week, so a
/// second worker or a repeated run sends nothing more. A worker that was down on Monday
/// sends the week's digest on its first round after.
public struct WeeklyDigest: Sendable {
    let services: Services

    public init(services: Services) {
        self.services = services
    }

    /// Mails this week's digests still unsent; returns how many were mailed.
    @discardableResult
    public func sendDue() async throws -> Int {
        let today = services.clock.today
        let week = today.weekStart
        let recipients = try await services.anonymous(access: .center) { connection in
            try await services.stores.digests.recipients(weekOf: week, on: connection)
        }
        var sent = 0
        for recipient in recipients where try await send(to: recipient, week: week, today: today) {
            sent += 1
        }
        return sent
    }

    /// One analyst's digest, in a transaction that sees their portfolio only.
    private func send(to recipient: DigestRecipient, week: CivilDate, today: CivilDate) async throws -> Bool {
        let stores = services.stores
        let base = services.settings.publicBaseURL
        return try await services.anonymous(access: .tenants(recipient.tenantIDs)) { connection in
            guard try await stores.digests.claim(userID: recipient.userID, weekOf: week, on: connection) else { return false }
            let tenants = try await stores.insights.activity(today: today, assignedOnly: [], userID: recipient.userID, on: connection)
            let rows = try await InsightService.dashboardRows(
                of: tenants, asOf: today, fiscalYear: nil, stores: stores, connection: connection
            )
            let towns = Self.towns(tenants, rows: rows, today: today)
            let mail = MailTemplates.digest(
                analyst: recipient.displayName.isEmpty ? recipient.email : recipient.displayName, weekOf: week, towns: towns,
                homeURL: "\(base)/"
            )
            try await stores.outbox.enqueue(mail.entry(to: recipient.email, kind: "digest"), on: connection)
            return true
        }
    }

    /// A row per town, by name, from its activity and its measures' evaluations.
    static func towns(_ tenants: [InsightStore.TenantActivity], rows: [DashboardRow], today: CivilDate) -> [DigestTown] {
        let byTenant = Dictionary(grouping: rows, by: \.measure.tenantID)
        return tenants.map { tenant in
            let evaluations = (byTenant[tenant.tenantID] ?? []).map(\.evaluation)
            let due = evaluations.filter { $0.isDue(on: today) }
            return DigestTown(
                name: tenant.name,
                measuresDue: due.count,
                measuresStale: evaluations.filter { $0.isStale(on: today) }.count,
                measuresInRed: evaluations.filter { $0.status == .red }.count,
                overdueActionItems: tenant.openDueDates.filter { ActionItem.isOverdue(status: .open, dueOn: $0, today: today) }.count,
                nextMeeting: tenant.nextMeeting,
                dueMeasures: Array(due.map(\.name).sorted().prefix(10))
            )
        }
    }
}
