import Foundation
import Logging
import Storage

/// The use cases, one property per feature, over one database, one clock and one set of
/// settings. The API, the console and the command line hold one of these and nothing else.
public struct Services: Sendable {
    let database: Database
    let clock: ServiceClock
    let settings: AuthSettings
    let hasher: PasswordHasher
    let stores: Stores

    public init(database: Database, settings: AuthSettings = AuthSettings(), clock: ServiceClock = .system) {
        self.database = database
        self.clock = clock
        self.settings = settings
        self.hasher = PasswordHasher(cost: settings.bcryptCost)
        self.stores = Stores(logger: database.logger)
    }

    public var settingsInForce: AuthSettings { settings }

    /// Where the use cases log (the console logs the failures it words for people).
    public var logger: Logger { database.logger }
}

/// The repositories: SQL in, records out.
struct Stores: Sendable {
    let users: UserStore
    let tenants: TenantStore
    let catalog: CatalogStore
    let invitations: InvitationStore
    let throttle: LoginThrottle
    let audit: AuditStore
    let programs: ProgramStore
    let invoices: InvoiceStore
    let reports: BillingReportStore
    let idempotency: IdempotencyStore
    let measures: MeasureStore
    let meetings: MeetingStore
    let insights: InsightStore
    let passwordResets: PasswordResetStore
    let outbox: OutboxStore
    let reminders: ReminderStore
    let digests: DigestStore

    init(logger: Logger) {
        users = UserStore(logger: logger)
        tenants = TenantStore(logger: logger)
        catalog = CatalogStore(logger: logger)
        invitations = InvitationStore(logger: logger)
        throttle = LoginThrottle(logger: logger)
        audit = AuditStore(logger: logger)
        programs = ProgramStore(logger: logger)
        invoices = InvoiceStore(logger: logger)
        reports = BillingReportStore(logger: logger)
        idempotency = IdempotencyStore(logger: logger)
        measures = MeasureStore(logger: logger)
        meetings = MeetingStore(logger: logger)
        insights = InsightStore(logger: logger)
        passwordResets = PasswordResetStore(logger: logger)
        outbox = OutboxStore(logger: logger)
        reminders = ReminderStore(logger: logger)
        digests = DigestStore(logger: logger)
    }
}
