import Domain
import Foundation
import Storage

/// A measure as its page shows it (DESIGN §11, an analyst's screen): its definition, the
/// fiscal year's target, values, status and trend, and the periods whose values the reader
/// may enter; one transaction.
extension MeasureService {
    public struct Page: Sendable {
        public var measure: MeasureRecord
        public var row: DashboardRow?
        public var tenantName: String
        public var departmentName: String
        public var ownerName: String?
        public var readerName: String
        public var fiscalYear: Int
        /// The first day of each of the measure's periods in the fiscal year.
        public var periods: [CivilDate]
        public var mayEnter: Bool
        public var mayEdit: Bool
    }

    public func page(_ caller: Caller, _ tenantID: UUID, _ measureID: UUID, fiscalYear requested: Int?) async throws -> Page {
        if let requested, !FiscalYear.supportedEndingYears.contains(requested) {
            throw ServiceError.malformed(field: "fy", reason: "must be a fiscal year from 1901 to 2199")
        }
        return try await services.onMeasure(caller, tenantID, measureID, .readMeasures) { work, measure in
            guard let tenant = try await work.stores.tenants.find(tenantID, on: work.connection) else { throw ServiceError.notFound }
            let startMonth = work.fiscalYearStartMonth
            let year = requested ?? FiscalYear.containing(work.today, startMonth: startMonth).endingYear
            let rows = try await work.stores.measures.yearRows(
                tenantIDs: [tenantID], departmentID: measure.departmentID, fiscalYear: FiscalYear(endingYear: year, startMonth: startMonth), on: work.connection
            )
            let department = try await work.stores.tenants.department(measure.departmentID, of: tenantID, on: work.connection)
            let owner = try await measure.ownerID.asyncMap { try await work.stores.users.user(id: $0, on: work.connection) }
            let resource = Resource.department(tenantID: tenantID, departmentID: measure.departmentID)
            return Page(
                measure: measure, row: rows.first { $0.measure.id == measureID }, tenantName: tenant.name, departmentName: department?.name ?? "",
                ownerName: owner.flatMap { $0 }.map { $0.displayName.isEmpty ? $0.email : $0.displayName }, readerName: work.session.user.displayName,
                fiscalYear: year,
                periods: Completeness.months(of: FiscalYear(endingYear: year, startMonth: startMonth))
                    .filter { measure.frequency.isPeriodStart($0, fiscalYearStartMonth: startMonth) },
                mayEnter: AuthorizationPolicy.decide(work.principal, .enterData, resource) == .allow,
                mayEdit: AuthorizationPolicy.decide(work.principal, .editMeasures, resource) == .allow
            )
        }
    }
}

extension Optional {
    /// `map` with an async transform.
    func asyncMap<Mapped>(_ transform: (Wrapped) async throws -> Mapped) async rethrows -> Mapped? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
