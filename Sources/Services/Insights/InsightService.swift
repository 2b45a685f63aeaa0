import Domain
import Foundation
import PostgresNIO
import Storage

/// Across tenants: peer benchmarks, and the portfolio overview of everyone's own tenants.
public struct InsightService: Sendable {
    let services: Services

    /// One tenant of the portfolio overview, as far as the caller's roles there reach.
    public struct PortfolioTenant: Sendable, Hashable {
        public var tenantID: UUID
        public var name: String
        /// Measures, those in red and those due: a department head's department only.
        public var measures: PortfolioFigures
        /// Open action items: for a department head, those assigned to them.
        public var openActionItems: Int
        public var overdueActionItems: Int
        /// Nil when there is none, or when the caller may not read the tenant's meetings.
        public var nextMeeting: CivilDate?
        /// Nil when the caller may not read the tenant's invoices.
        public var openInvoices: Int?
    }

    public struct Portfolio: Sendable, Hashable {
        public var asOf: CivilDate
        /// By name.
        public var tenants: [PortfolioTenant]
    }

    /// The benchmark of library template `templateID` for fiscal year `year` (2000 to 2200),
    /// as the caller may see it (`Benchmark.compile`).
    public func benchmark(_ caller: Caller, templateID: UUID, fiscalYear year: Int) async throws -> Benchmark {
        // The caller's own tenants as usual (none for a Center admin, who sees all by
        // name anyway); other tenants only through the benchmark's shared-row policies.
        try await services.run(caller, scope: .own) { work in
            try work.authorize(.readLibrary, target: "benchmarks")
            guard try await work.stores.measures.template(templateID, on: work.connection) != nil else {
                throw ServiceError.notFound("There is no such library measure.")
            }
            let fiscalYear = FiscalYear(endingYear: year, startMonth: 7)
            let values = try await work.stores.insights.benchmark(
                templateID: templateID, from: fiscalYear.firstDay, through: fiscalYear.lastDay, on: work.connection
            )
            return Benchmark.compile(values, visibility: TenantVisibility(work.principal))
        }
    }

    /// Per tenant the caller works with (every tenant for a Center admin): measures due and
    /// in red, open and overdue action items, the next meeting, open invoices, as of
    /// `asOf` (default: today). Targets are those of `fiscalYear`, or of the fiscal year
    /// containing `asOf` by each tenant's jurisdiction.
    public func portfolio(_ caller: Caller, asOf: CivilDate?, fiscalYear requested: Int?) async throws -> Portfolio {
        try await services.run(caller, scope: .granted) { work in
            let today = asOf ?? work.today
            let principal = work.principal
            func allows(_ action: Action, in tenantID: UUID) -> Bool {
                AuthorizationPolicy.decide(principal, action, .tenant(tenantID)) == .allow
            }
            // Where the caller may not read meetings as a whole, they count their own items.
            let assignedOnly = principal.grantedTenantIDs.filter { !allows(.readMeetings, in: $0) }
            let tenants = try await work.stores.insights.activity(
                today: today, assignedOnly: Array(assignedOnly), userID: work.userID, on: work.connection
            )
            let evaluations = try await measures(of: tenants, asOf: today, fiscalYear: requested, work: work)
            let figures = PortfolioFigures.perTenant(evaluations, today: today)
            return Portfolio(
                asOf: today,
                tenants: tenants.map { tenant in
                    PortfolioTenant(
                        tenantID: tenant.tenantID,
                        name: tenant.name,
                        measures: figures[tenant.tenantID, default: PortfolioFigures()],
                        openActionItems: tenant.openActionItems,
                        overdueActionItems: tenant.openDueDates.filter { ActionItem.isOverdue(status: .open, dueOn: $0, today: today) }.count,
                        nextMeeting: allows(.readMeetings, in: tenant.tenantID) ? tenant.nextMeeting : nil,
                        openInvoices: allows(.readBilling, in: tenant.tenantID) ? tenant.openInvoices : nil
                    )
                }
            )
        }
    }

    /// The evaluated measures of `tenants` the caller may read (a department head's
    /// department only), each against the targets of its tenant's fiscal year.
    private func measures(
        of tenants: [InsightStore.TenantActivity], asOf today: CivilDate, fiscalYear requested: Int?, work: Work
    ) async throws -> [MeasureEvaluation] {
        let rows = try await Self.dashboardRows(
            of: tenants, asOf: today, fiscalYear: requested, stores: work.stores, connection: work.connection
        )
        return rows.compactMap { row in
            let department = work.departmentScope(in: row.measure.tenantID)
            return department == nil || department == row.measure.departmentID ? row.evaluation : nil
        }
    }

    /// The dashboard rows of `tenants` (as many periods as status and trend need), each
    /// against the targets of `fiscalYear` or of its tenant's fiscal year containing `today`:
    /// one dashboard query per distinct fiscal year, which is one or two.
    static func dashboardRows(
        of tenants: [InsightStore.TenantActivity], asOf today: CivilDate, fiscalYear requested: Int?, stores: Stores,
        connection: PostgresConnection
    ) async throws -> [DashboardRow] {
        var byYear: [Int: [UUID]] = [:]
        for tenant in tenants {
            let year = requested ?? FiscalYear.containing(today, startMonth: tenant.fiscalYearStartMonth).endingYear
            byYear[year, default: []].append(tenant.tenantID)
        }
        var rows: [DashboardRow] = []
        for (year, tenantIDs) in byYear.sorted(by: { $0.key < $1.key }) {
            rows += try await stores.measures.dashboard(tenantIDs: tenantIDs, departmentID: nil, fiscalYear: year, periods: 4, on: connection)
        }
        return rows
    }
}

extension Services {
    public var insights: InsightService { InsightService(services: self) }
}
