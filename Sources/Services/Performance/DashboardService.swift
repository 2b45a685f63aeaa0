import Domain
import Foundation
import Storage

/// A tenant's dashboard: every measure the caller may read, its target for the fiscal
/// year, its last twelve values, status and trend.
public struct DashboardService: Sendable {
    let services: Services

    public struct Dashboard: Sendable {
        public var tenantID: UUID
        public var fiscalYear: Int
        public var rows: [DashboardRow]

        public init(tenantID: UUID, fiscalYear: Int, rows: [DashboardRow]) {
            self.tenantID = tenantID
            self.fiscalYear = fiscalYear
            self.rows = rows
        }
    }

    /// One statement, in one (implicit) transaction: the session, the tenant's measures, and
    /// the audit record of a refusal (see `MeasureStore.readDashboard`). `fiscalYear` (2000
    /// to 2200), or the one holding today by the tenant's jurisdiction: the jurisdiction is
    /// known only inside the statement, so it gets that year for each possible start month
    /// and reads the one for the tenant's.
    public func dashboard(_ caller: Caller, _ tenantID: UUID, fiscalYear requested: Int?) async throws -> Dashboard {
        let target = "tenants/\(tenantID)/dashboard"
        let today = services.clock.today
        let years = requested.map(FiscalYearsByStartMonth.init(every:))
            ?? FiscalYearsByStartMonth { FiscalYear.containing(today, startMonth: $0).endingYear }
        do {
            return try await services.database.withConnection { connection in
                let read = try await services.stores.measures.readDashboard(
                    tokenHash: caller.sessionTokenHash, idleTimeout: services.settings.sessionIdleTimeout,
                    tenantID: tenantID, fiscalYears: years,
                    refusals: DashboardRefusals(
                        clientAddress: caller.clientAddress,
                        unknownSession: (Caller.unknownSessionAction, caller.unknownSessionTarget),
                        hiddenTenant: (Action.readTenantProfile.rawValue, target)
                    ),
                    on: connection
                )
                guard let session = read.session else { throw ServiceError.sessionEnded }
                // A tenant the caller sees has a jurisdiction, and so a year read.
                guard session.tenantVisible, let year = read.fiscalYear else { throw ServiceError.notFound }
                let work = Work(connection: connection, session: session, caller: caller, stores: services.stores, today: today)
                try await work.authorizeAfterRead(.readTenantProfile, on: .tenant(tenantID), target: target)
                try await work.authorizeAfterRead(.readMeasures, on: work.scopedResource(in: tenantID), target: target)
                let department = work.departmentScope(in: tenantID)
                let rows = department.map { department in read.measures.filter { $0.measure.departmentID == department } }
                return Dashboard(tenantID: tenantID, fiscalYear: year, rows: rows ?? read.measures)
            }
        } catch {
            throw ServiceError.mapping(error)
        }
    }

    /// The dashboard as the console shows it: with the tenant's name and its departments'
    /// names, to group the measures by department; one transaction.
    public struct Page: Sendable {
        public var dashboard: Dashboard
        public var tenantName: String
        public var departmentNames: [UUID: String]
        public var readerName: String
        /// The caller reads one department only (a department head).
        public var isDepartmentOnly: Bool
    }

    public func page(_ caller: Caller, _ tenantID: UUID, fiscalYear requested: Int?) async throws -> Page {
        let target = "tenants/\(tenantID)/dashboard"
        return try await services.inTenant(caller, tenantID, .readTenantProfile, target: target) { work in
            try work.authorize(.readMeasures, on: work.scopedResource(in: tenantID), target: target)
            guard let tenant = try await work.stores.tenants.find(tenantID, on: work.connection) else { throw ServiceError.notFound }
            let year = requested ?? FiscalYear.containing(work.today, startMonth: work.fiscalYearStartMonth).endingYear
            let rows = try await work.stores.measures.dashboard(
                tenantIDs: [tenantID], departmentID: work.departmentScope(in: tenantID), fiscalYear: year, on: work.connection
            )
            let departments = try await work.stores.tenants.departments(of: tenantID, on: work.connection)
            return Page(
                dashboard: Dashboard(tenantID: tenantID, fiscalYear: year, rows: rows), tenantName: tenant.name,
                departmentNames: Dictionary(departments.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first }),
                readerName: work.session.user.displayName, isDepartmentOnly: work.departmentScope(in: tenantID) != nil
            )
        }
    }
}

extension Services {
    public var dashboards: DashboardService { DashboardService(services: self) }
}
