import Domain
import Foundation
import Storage

/// Data points of a measure: entering, reading, signing off.
public struct DataPointService: Sendable {
    let services: Services

    public struct Entry: Sendable {
        public var period: CivilDate
        public var value: Decimal
        public var note: String?
        public var reason: String?

        public init(period: CivilDate, value: Decimal, note: String?, reason: String?) {
            self.period = period
            self.value = value
            self.note = note
            self.reason = reason
        }
    }

    /// What entering a value did: wrote a new or changed value, or found it unchanged.
    public struct Entered: Sendable {
        public var point: DataPointRecord
        public var written: Bool
    }

    public func list(_ caller: Caller, _ tenantID: UUID, _ measureID: UUID) async throws -> [DataPointRecord] {
        try await services.onMeasure(caller, tenantID, measureID, .readMeasures) { work, measure in
            try await work.stores.measures.dataPoints(measure: measure, on: work.connection)
        }
    }

    /// A value the caller should enter now: a measure they may enter data for whose last
    /// ended period (by the tenant's fiscal year) has no value yet.
    public struct DueValue: Sendable, Hashable {
        public var measureID: UUID
        public var name: String
        public var unit: String
        public var period: CivilDate
        public var frequency: Frequency
        /// The latest value there is, and its period, for reference.
        public var latest: Quantity?
        public var latestPeriod: CivilDate?
    }

    public struct Updates: Sendable {
        public var tenantName: String
        public var readerName: String
        public var due: [DueValue]
    }

    /// "My updates" (DESIGN §11, a department head's first screen): the values due now in the
    /// measures the caller enters data for (a department head's department), by name; one
    /// transaction.
    public func updates(_ caller: Caller, _ tenantID: UUID) async throws -> Updates {
        let target = "tenants/\(tenantID)/updates"
        return try await services.inTenant(caller, tenantID, .readTenantProfile, target: target) { work in
            let scope = work.scopedResource(in: tenantID)
            try work.authorize(.enterData, on: scope, target: target)
            guard let tenant = try await work.stores.tenants.find(tenantID, on: work.connection) else { throw ServiceError.notFound }
            let year = FiscalYear.containing(work.today, startMonth: work.fiscalYearStartMonth).endingYear
            let rows = try await work.stores.measures.dashboard(
                tenantIDs: [tenantID], departmentID: work.departmentScope(in: tenantID), fiscalYear: year, periods: 1, on: work.connection
            )
            let due = rows.compactMap { row -> DueValue? in
                guard let period = row.measure.frequency.lastEndedPeriod(on: work.today, fiscalYearStartMonth: work.fiscalYearStartMonth),
                    (row.evaluation.latestPeriod.map { $0 < period } ?? true)
                else { return nil }
                return DueValue(
                    measureID: row.measure.id, name: row.measure.name, unit: row.measure.unit, period: period,
                    frequency: row.measure.frequency, latest: row.latest, latestPeriod: row.evaluation.latestPeriod
                )
            }
            return Updates(tenantName: tenant.name, readerName: work.session.user.displayName, due: due.sorted { $0.name < $1.name })
        }
    }

    /// Enters (or re-enters) one period's value; a changed value keeps a revision.
    public func enter(_ caller: Caller, _ tenantID: UUID, _ measureID: UUID, _ entry: Entry) async throws -> Entered {
        try await services.onMeasure(caller, tenantID, measureID, .enterData) { work, measure in
            var validation = Validation()
            if !measure.frequency.isPeriodStart(entry.period, fiscalYearStartMonth: work.fiscalYearStartMonth) {
                validation.fail("period", "must be the first day of a \(measure.frequency.rawValue) period")
            }
            let note = entry.note ?? ""
            if note.count > 1000 { validation.fail("note", "must be at most 1000 characters") }
            let reason = validation.text(entry.reason ?? "Entered", field: "reason", maximumLength: 500) ?? "Entered"
            validation.measurement(entry.value, field: "value")
            let value = Quantity(entry.value)
            if value == nil, validation.errors.isEmpty { validation.fail("value", "must be a number below 10^15 in magnitude") }
            try validation.check()
            let written = try await work.stores.measures.write(
                [ImportRow(measureID: measure.id, period: entry.period, value: value ?? .zero, note: note)],
                tenantID: tenantID, by: work.userID, reason: reason, on: work.connection
            )
            try await work.audit("data.enter", target: "measures/\(measure.id)/data/\(entry.period)", tenantID: tenantID)
            let point = DataPointRecord(
                period: entry.period, value: entry.value, note: note, status: .provisional, enteredBy: work.userID, validatedBy: nil
            )
            return Entered(point: point, written: written > 0)
        }
    }

    /// Signs off the provisional values of `periods` (1 to 1,000); answers every point.
    public func validate(_ caller: Caller, _ tenantID: UUID, _ measureID: UUID, periods: [CivilDate]) async throws -> [DataPointRecord] {
        try await services.onMeasure(caller, tenantID, measureID, .validateData) { work, measure in
            guard !periods.isEmpty, periods.count <= 1_000 else {
                throw ServiceError.invalid("periods", "must list 1 to 1000 periods")
            }
            _ = try await work.stores.measures.validate(measure: measure, periods: periods, by: work.userID, on: work.connection)
            try await work.audit("data.validate", target: "measures/\(measure.id)/data", tenantID: tenantID)
            return try await work.stores.measures.dataPoints(measure: measure, on: work.connection)
        }
    }
}

extension Services {
    public var dataPoints: DataPointService { DataPointService(services: self) }
}
