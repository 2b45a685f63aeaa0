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

    /// One transaction, one query: `fiscalYear` (2000 to 2200) or the current one by the
    /// tenant's jurisdiction.
    public func dashboard(_ caller: Caller, _ tenantID: UUID, fiscalYear requested: Int?) async throws -> Dashboard {
        let target = "tenants/\(tenantID)/dashboard"
        return try await services.inTenant(caller, tenantID, .readTenantProfile, target: target) { work in
            try work.authorize(.readMeasures, on: work.scopedResource(in: tenantID), target: target)
            let year = requested ?? FiscalYear.containing(work.today, startMonth: work.fiscalYearStartMonth).endingYear
            let rows = try await work.stores.measures.dashboard(
                tenantIDs: [tenantID], departmentID: work.departmentScope(in: tenantID), fiscalYear: year, on: work.connection
            )
            return Dashboard(tenantID: tenantID, fiscalYear: year, rows: rows)
        }
    }
}

extension Services {
    public var dashboards: DashboardService { DashboardService(services: self) }
}
