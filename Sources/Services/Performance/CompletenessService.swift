import Domain
import Foundation
import Storage

/// The data-completeness grid (an analyst's screen): a fiscal year's months against the
/// measures the caller reads, and a month's values entered together, all or nothing.
extension DataPointService {
    public struct GridRow: Sendable {
        public var measureID: UUID
        public var name: String
        public var unit: String
        public var frequency: Frequency
        public var department: String
        /// One per month of the year, in order.
        public var cells: [Completeness.Cell]
        public var values: [CivilDate: Quantity]
    }

    public struct Grid: Sendable {
        public var tenantName: String
        public var readerName: String
        public var fiscalYear: Int
        public var months: [CivilDate]
        public var rows: [GridRow]
        /// Whether the caller may enter values (an analyst, the CEO, a department head).
        public var mayEnter: Bool
    }

    /// The grid of `fiscalYear` (the current one by default), by department then measure;
    /// one transaction.
    /// `containing`, when set, picks the fiscal year of that day instead.
    public func completeness(_ caller: Caller, _ tenantID: UUID, fiscalYear requested: Int?, containing day: CivilDate? = nil) async throws -> Grid {
        let target = "tenants/\(tenantID)/completeness"
        if let requested, !FiscalYear.supportedEndingYears.contains(requested) {
            throw ServiceError.invalid("fy", "must be a fiscal year from 1901 to 2199")
        }
        return try await services.inTenant(caller, tenantID, .readTenantProfile, target: target) { work in
            let scope = work.scopedResource(in: tenantID)
            try work.authorize(.readMeasures, on: scope, target: target)
            guard let tenant = try await work.stores.tenants.find(tenantID, on: work.connection) else { throw ServiceError.notFound }
            let startMonth = work.fiscalYearStartMonth
            let year = requested ?? FiscalYear.containing(day ?? work.today, startMonth: startMonth).endingYear
            let months = Completeness.months(of: FiscalYear(endingYear: year, startMonth: startMonth))
            let rows = try await work.stores.measures.yearRows(
                tenantIDs: [tenantID], departmentID: work.departmentScope(in: tenantID), fiscalYear: FiscalYear(endingYear: year, startMonth: startMonth),
                on: work.connection
            )
            let departments = try await work.stores.tenants.departments(of: tenantID, on: work.connection)
            let names = Dictionary(departments.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
            let grid = rows.map { row in
                let values = Dictionary(row.points.map { ($0.period, $0.value) }, uniquingKeysWith: { first, _ in first })
                let filled = Set(values.keys)
                let cells = months.map {
                    Completeness.cell(month: $0, frequency: row.measure.frequency, filled: filled, today: work.today, fiscalYearStartMonth: startMonth)
                }
                return GridRow(
                    measureID: row.measure.id, name: row.measure.name, unit: row.measure.unit, frequency: row.measure.frequency,
                    department: names[row.measure.departmentID] ?? "", cells: cells, values: values
                )
            }
            return Grid(
                tenantName: tenant.name, readerName: work.session.user.displayName, fiscalYear: year, months: months,
                rows: grid.sorted { ($0.department, $0.name) < ($1.department, $1.name) },
                mayEnter: AuthorizationPolicy.decide(work.principal, .enterData, scope) == .allow
            )
        }
    }

    /// Values of one period typed in the grid's month form: measure → text. Empty texts
    /// are left alone; every other must be a number of a measure the caller enters data
    /// for, whose frequency has a period starting on `period`. All or nothing: one bad
    /// value writes none and names each bad one by its measure's id. Answers how many
    /// values were new or changed.
    public struct PeriodEntry: Sendable {
        /// Values new or changed.
        public var written: Int
        /// The fiscal year the period is in, by the tenant's jurisdiction.
        public var fiscalYear: Int
    }

    public func enterPeriod(_ caller: Caller, _ tenantID: UUID, period: CivilDate, values: [UUID: String]) async throws -> PeriodEntry {
        let cells = values.map { TypedValue(measureID: $0.key, period: period, text: $0.value, field: "value-\($0.key.uuidString.lowercased())") }
        return try await enterTyped(caller, tenantID, cells, yearOf: period, target: "tenants/\(tenantID)/completeness/\(period)", reason: "Completeness grid")
    }

    /// A value as a person typed it in a form, for a measure and period, and the form's
    /// field that holds it (where its error goes).
    public struct TypedValue: Sendable {
        public var measureID: UUID
        public var period: CivilDate
        public var text: String
        public var field: String

        public init(measureID: UUID, period: CivilDate, text: String, field: String) {
            self.measureID = measureID
            self.period = period
            self.text = text
            self.field = field
        }
    }

    /// Typed values saved together in one transaction, all or nothing: empty ones are left
    /// alone; each other must be a number, of a measure the caller enters data for, on the
    /// first day of one of its periods; one bad value writes none and names each bad field.
    /// The fiscal year answered is the one `yearOf` falls in.
    public func enterTyped(
        _ caller: Caller, _ tenantID: UUID, _ values: [TypedValue], yearOf day: CivilDate, target: String, reason: String
    ) async throws -> PeriodEntry {
        guard CivilDate.supportedRange.contains(day), values.allSatisfy({ CivilDate.supportedRange.contains($0.period) && $0.period.day == 1 }) else {
            throw ServiceError.invalid("period", "must be the first day of a month from 1900 to 2199")
        }
        return try await services.inTenant(caller, tenantID, .readTenantProfile, target: target) { work in
            try work.authorize(.enterData, on: work.scopedResource(in: tenantID), target: target)
            let department = work.departmentScope(in: tenantID)
            let measures = try await work.stores.measures.measures(tenantID: tenantID, departmentID: department, after: nil, limit: 100_000, on: work.connection)
            let byID = Dictionary(measures.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            var validation = Validation()
            var rows: [ImportRow] = []
            for value in values.sorted(by: { $0.field < $1.field }) {
                let trimmed = value.text.trimmingCharacters(in: .whitespaces)
                if trimmed.isEmpty { continue }
                guard let measure = byID[value.measureID] else {
                    validation.fail(value.field, "is not a measure you enter data for")
                    continue
                }
                guard measure.frequency.isPeriodStart(value.period, fiscalYearStartMonth: work.fiscalYearStartMonth) else {
                    validation.fail(value.field, "has no \(measure.frequency.rawValue) period starting on \(value.period)")
                    continue
                }
                guard let quantity = Quantity(trimmed.replacingOccurrences(of: ",", with: "")) else {
                    validation.fail(value.field, "must be a number below 10^15 in magnitude, such as 12.5")
                    continue
                }
                rows.append(ImportRow(measureID: value.measureID, period: value.period, value: quantity, note: ""))
            }
            try validation.check()
            let written = try await work.stores.measures.write(rows, tenantID: tenantID, by: work.userID, reason: reason, on: work.connection)
            try await work.audit("data.enter", target: "\(target): \(rows.count) values", tenantID: tenantID)
            return PeriodEntry(written: written, fiscalYear: FiscalYear.containing(day, startMonth: work.fiscalYearStartMonth).endingYear)
        }
    }
}
