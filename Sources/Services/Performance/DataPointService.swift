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
