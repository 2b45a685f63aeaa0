import Foundation
import Logging
import PostgresNIO
import Services
import Storage

/// The parts every route uses: the database, its stores, the guard and the settings.
struct Backend: Sendable {
    let database: Database
    let settings: AuthSettings
    let hasher: PasswordHasher
    let users: UserStore
    let tenants: TenantStore
    let catalog: CatalogStore
    let invitations: InvitationStore
    let throttle: LoginThrottle
    let audit: AuditStore
    let accessGuard: AccessGuard
    let programs: ProgramStore
    let billing: InvoiceStore
    let reports: BillingReportStore
    let idempotency: Idempotency
    let measures: MeasureStore
    let meetings: MeetingStore
    let insights: InsightStore

    init(database: Database, settings: AuthSettings) {
        let logger = database.logger
        self.database = database
        self.settings = settings
        self.hasher = PasswordHasher(cost: settings.bcryptCost)
        self.users = UserStore(logger: logger)
        self.tenants = TenantStore(logger: logger)
        self.catalog = CatalogStore(logger: logger)
        self.invitations = InvitationStore(logger: logger)
        self.throttle = LoginThrottle(logger: logger)
        self.audit = AuditStore(logger: logger)
        self.accessGuard = AccessGuard(database: database, audit: audit, tenants: tenants)
        self.programs = ProgramStore(logger: logger)
        self.billing = InvoiceStore(logger: logger)
        self.reports = BillingReportStore(logger: logger)
        self.idempotency = Idempotency(store: IdempotencyStore(logger: logger))
        self.measures = MeasureStore(logger: logger)
        self.meetings = MeetingStore(logger: logger)
        self.insights = InsightStore(logger: logger)
    }
}

extension Backend {
    /// 422 naming `field` when `id` is not an active user.
    func requireUser(_ id: UUID?, field: String, on connection: PostgresConnection) async throws {
        guard let id else { return }
        guard try await users.isActiveUser(id, on: connection) else {
            throw Problem.validation([.init(field: field, reason: "is not a user of the platform")])
        }
    }
}
