import Domain
import Foundation

public struct MeasureTemplateRecord: Sendable, Hashable, Codable {
    public var id: UUID
    public var name: String
    public var definition: String
    public var unit: String
    public var direction: Direction
    public var frequency: Frequency

    public init(id: UUID, name: String, definition: String, unit: String, direction: Direction, frequency: Frequency) {
        self.id = id
        self.name = name
        self.definition = definition
        self.unit = unit
        self.direction = direction
        self.frequency = frequency
    }
}

public struct MeasureRecord: Sendable, Hashable, Codable {
    public var tenantID: UUID
    public var id: UUID
    public var departmentID: UUID
    public var name: String
    public var definition: String
    public var unit: String
    public var direction: Direction
    public var frequency: Frequency
    public var ownerID: UUID?
    public var templateID: UUID?
    public var sharing: Sharing

    public init(
        tenantID: UUID, id: UUID, departmentID: UUID, name: String, definition: String, unit: String,
        direction: Direction, frequency: Frequency, ownerID: UUID?, templateID: UUID?, sharing: Sharing
    ) {
        self.tenantID = tenantID
        self.id = id
        self.departmentID = departmentID
        self.name = name
        self.definition = definition
        self.unit = unit
        self.direction = direction
        self.frequency = frequency
        self.ownerID = ownerID
        self.templateID = templateID
        self.sharing = sharing
    }
}

public struct TargetRecord: Sendable, Hashable, Codable {
    public var fiscalYear: Int
    public var value: Decimal
    public var toleranceBasisPoints: Int

    public init(fiscalYear: Int, value: Decimal, toleranceBasisPoints: Int) {
        self.fiscalYear = fiscalYear
        self.value = value
        self.toleranceBasisPoints = toleranceBasisPoints
    }
}

public struct DataPointRecord: Sendable, Hashable, Codable {
    public var period: CivilDate
    public var value: Decimal
    public var note: String
    public var status: DataPointStatus
    public var enteredBy: UUID?
    public var validatedBy: UUID?

    public init(period: CivilDate, value: Decimal, note: String, status: DataPointStatus, enteredBy: UUID?, validatedBy: UUID?) {
        self.period = period
        self.value = value
        self.note = note
        self.status = status
        self.enteredBy = enteredBy
        self.validatedBy = validatedBy
    }
}

/// One row of the dashboard: a measure, its target and its last periods (oldest first).
/// A measure on the dashboard: its target for the year and its last values, oldest first.
public struct DashboardRow: Sendable {
    public var measure: MeasureRecord
    /// The target value and its tolerance band; nil without a target for the year.
    public var target: Quantity?
    public var toleranceBasisPoints: Int?
    public var points: [PeriodValue]
    /// Status and trend, by Domain's rules.
    public var evaluation: MeasureEvaluation

    public init(measure: MeasureRecord, target: Quantity?, toleranceBasisPoints: Int?, points: [PeriodValue]) {
        self.measure = measure
        self.target = target
        self.toleranceBasisPoints = toleranceBasisPoints
        self.points = points
        self.evaluation = MeasureEvaluation(
            tenantID: measure.tenantID, measureID: measure.id, name: measure.name, direction: measure.direction,
            frequency: measure.frequency, target: target,
            toleranceBasisPoints: toleranceBasisPoints ?? Evaluation.defaultToleranceBasisPoints, points: points
        )
    }

    public var latest: Quantity? { evaluation.latest }
    public var status: PerformanceStatus { evaluation.status }
    public var trend: Trend { evaluation.trend }
}

/// One row of a CSV import, checked and resolved to a measure.
public struct ImportRow: Sendable {
    public var measureID: UUID
    public var period: CivilDate
    public var value: Quantity
    public var note: String

    public init(measureID: UUID, period: CivilDate, value: Quantity, note: String) {
        self.measureID = measureID
        self.period = period
        self.value = value
        self.note = note
    }
}

public struct MeetingRecord: Sendable, Hashable, Codable {
    public var id: UUID
    public var heldOn: CivilDate
    public var title: String
    public var attendees: [String]

    public init(id: UUID, heldOn: CivilDate, title: String, attendees: [String]) {
        self.id = id
        self.heldOn = heldOn
        self.title = title
        self.attendees = attendees
    }
}

public struct ActionItemRecord: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        case open, done, dropped
    }

    public var id: UUID
    public var title: String
    public var ownerID: UUID?
    public var dueOn: CivilDate?
    public var status: Status
    public var measureID: UUID?
    public var meetingID: UUID?

    public init(id: UUID, title: String, ownerID: UUID?, dueOn: CivilDate?, status: Status, measureID: UUID?, meetingID: UUID?) {
        self.id = id
        self.title = title
        self.ownerID = ownerID
        self.dueOn = dueOn
        self.status = status
        self.measureID = measureID
        self.meetingID = meetingID
    }
}

