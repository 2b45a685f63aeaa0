import Domain
import Foundation
import Storage

/// Measures and targets of a tenant.
public struct MeasureService: Sendable {
    let services: Services

    public struct NewMeasure: Sendable {
        public var departmentID: UUID
        public var templateID: UUID?
        public var name: String?
        public var definition: String?
        public var unit: String?
        public var direction: Direction?
        public var frequency: Frequency?
        public var ownerID: UUID?
        public var sharing: Sharing?

        public init(
            departmentID: UUID, templateID: UUID?, name: String?, definition: String?, unit: String?,
            direction: Direction?, frequency: Frequency?, ownerID: UUID?, sharing: Sharing?
        ) {
            self.departmentID = departmentID
            self.templateID = templateID
            self.name = name
            self.definition = definition
            self.unit = unit
            self.direction = direction
            self.frequency = frequency
            self.ownerID = ownerID
            self.sharing = sharing
        }
    }

    /// A change of a measure: nil leaves a field as it is.
    public struct MeasureChange: Sendable {
        public var departmentID: UUID?
        public var name: String?
        public var definition: String?
        public var unit: String?
        public var ownerID: UUID?
        public var sharing: Sharing?

        public init(departmentID: UUID?, name: String?, definition: String?, unit: String?, ownerID: UUID?, sharing: Sharing?) {
            self.departmentID = departmentID
            self.name = name
            self.definition = definition
            self.unit = unit
            self.ownerID = ownerID
            self.sharing = sharing
        }
    }

    public func list(_ caller: Caller, _ tenantID: UUID, after cursor: (String, UUID)?, limit: Int) async throws -> [MeasureRecord] {
        try await services.inTenant(caller, tenantID, .readTenantProfile, target: "tenants/\(tenantID)/measures") { work in
            try work.authorize(.readMeasures, on: work.scopedResource(in: tenantID), target: "tenants/\(tenantID)/measures")
            return try await work.stores.measures.measures(
                tenantID: tenantID, departmentID: work.departmentScope(in: tenantID), after: cursor, limit: limit, on: work.connection
            )
        }
    }

    public func create(_ caller: Caller, _ tenantID: UUID, _ command: NewMeasure) async throws -> MeasureRecord {
        let target = "tenants/\(tenantID)/measures"
        let department = Resource.department(tenantID: tenantID, departmentID: command.departmentID)
        return try await services.inTenant(caller, tenantID, .editMeasures, resource: department, target: target) { work in
            if let sharing = command.sharing, sharing != .private {
                try work.authorize(.setMeasureSharing, on: .tenant(tenantID), target: target)
            }
            let connection = work.connection
            guard try await work.stores.tenants.department(command.departmentID, of: tenantID, on: connection) != nil else {
                throw ServiceError.unresolved("departmentId", "is not a department of this tenant")
            }
            try await work.requireWorker(command.ownerID, of: tenantID, field: "ownerId")
            var template: MeasureTemplateRecord?
            if let templateID = command.templateID {
                template = try await work.stores.measures.template(templateID, on: connection)
                guard template != nil else { throw ServiceError.unresolved("templateId", "is not in the measure library") }
            }
            var validation = Validation()
            let name = validation.text(command.name ?? template?.name, field: "name")
            let unit = validation.text(command.unit ?? template?.unit, field: "unit", maximumLength: 50)
            let definition = validation.optionalText(command.definition ?? template?.definition, field: "definition", maximumLength: 2000)
            let direction = command.direction ?? template?.direction
            let frequency = command.frequency ?? template?.frequency
            if direction == nil { validation.fail("direction", "is required: higher or lower") }
            if frequency == nil { validation.fail("frequency", "is required: monthly, quarterly or yearly") }
            try validation.check()
            let measure = MeasureRecord(
                tenantID: tenantID, id: UUID(), departmentID: command.departmentID, name: name ?? "",
                definition: definition, unit: unit ?? "", direction: direction ?? .higherIsBetter,
                frequency: frequency ?? .monthly, ownerID: command.ownerID ?? work.userID, templateID: template?.id,
                sharing: command.sharing ?? .private
            )
            guard try await work.stores.measures.create(measure, on: connection) else {
                throw ServiceError.conflict("This tenant has a measure named \(measure.name).")
            }
            try await work.audit("measures.create", target: "measures/\(measure.id)", tenantID: tenantID)
            return measure
        }
    }

    public func read(_ caller: Caller, _ tenantID: UUID, _ measureID: UUID) async throws -> MeasureRecord {
        try await services.onMeasure(caller, tenantID, measureID, .readMeasures) { _, measure in measure }
    }

    /// Applies `change` to the measure as it is in this transaction, locked until commit:
    /// two concurrent edits apply one after the other, each to the other's result.
    public func update(_ caller: Caller, _ tenantID: UUID, _ measureID: UUID, _ change: MeasureChange) async throws -> MeasureRecord {
        try await services.onMeasure(caller, tenantID, measureID, .editMeasures, lock: true) { work, current in
            var measure = current
            let target = "tenants/\(tenantID)/measures/\(measureID)"
            if let sharing = change.sharing, sharing != measure.sharing {
                try work.authorize(.setMeasureSharing, on: .tenant(tenantID), target: target)
                measure.sharing = sharing
            }
            if let departmentID = change.departmentID, departmentID != measure.departmentID {
                try work.authorize(.editMeasures, on: .department(tenantID: tenantID, departmentID: departmentID), target: target)
                measure.departmentID = departmentID
            }
            var validation = Validation()
            if let name = validation.text(change.name, field: "name", required: false) { measure.name = name }
            if let unit = validation.text(change.unit, field: "unit", maximumLength: 50, required: false) { measure.unit = unit }
            if let definition = change.definition {
                if definition.count > 2000 { validation.fail("definition", "must be at most 2000 characters") } else { measure.definition = definition }
            }
            if let owner = change.ownerID { measure.ownerID = owner }
            try validation.check()
            guard try await work.stores.tenants.department(measure.departmentID, of: tenantID, on: work.connection) != nil else {
                throw ServiceError.unresolved("departmentId", "is not a department of this tenant")
            }
            try await work.requireWorker(change.ownerID, of: tenantID, field: "ownerId")
            try await work.stores.measures.update(measure, on: work.connection)
            try await work.audit("measures.update", target: "measures/\(measureID)", tenantID: tenantID)
            return measure
        }
    }

    /// Sets the measure's target for fiscal year `year` (2000 to 2200).
    public func setTarget(
        _ caller: Caller, _ tenantID: UUID, _ measureID: UUID, fiscalYear year: Int, value: Decimal, toleranceBasisPoints: Int?
    ) async throws -> TargetRecord {
        try await services.onMeasure(caller, tenantID, measureID, .editMeasures) { work, measure in
            guard (2000...2200).contains(year) else { throw ServiceError.notFound("There is no such fiscal year.") }
            var validation = Validation()
            let tolerance =
                validation.integer(
                    toleranceBasisPoints ?? Evaluation.defaultToleranceBasisPoints, field: "toleranceBasisPoints", in: 0...10_000
                ) ?? Evaluation.defaultToleranceBasisPoints
            validation.measurement(value, field: "value")
            try validation.check()
            let target = TargetRecord(fiscalYear: year, value: value, toleranceBasisPoints: tolerance)
            try await work.stores.measures.setTarget(target, measure: measure, on: work.connection)
            try await work.audit("targets.set", target: "measures/\(measureID)/targets/\(year)", tenantID: tenantID)
            return target
        }
    }
}

extension Services {
    public var measures: MeasureService { MeasureService(services: self) }

    /// A use case on one measure: the tenant must be visible (404), the measure must exist
    /// (404), and `action` must be allowed on the measure's department (403).
    func onMeasure<Result: Sendable>(
        _ caller: Caller,
        _ tenantID: UUID,
        _ measureID: UUID,
        _ action: Action,
        lock: Bool = false,
        _ body: (Work, MeasureRecord) async throws -> Result
    ) async throws -> Result {
        let target = "tenants/\(tenantID)/measures/\(measureID)"
        return try await inTenant(caller, tenantID, .readTenantProfile, target: target) { work in
            guard
                let measure = try await work.stores.measures.measure(measureID, tenantID: tenantID, lock: lock, on: work.connection)
            else {
                throw ServiceError.notFound("There is no such measure.")
            }
            try work.authorize(action, on: .department(tenantID: tenantID, departmentID: measure.departmentID), target: target)
            return try await body(work, measure)
        }
    }
}

extension Work {
    /// 422 naming `field` unless `id` is someone who works on the tenant (DESIGN.md section
    /// 3: its CEO, a department head, an analyst with it in their portfolio). Anyone else
    /// gets the same answer as an id that does not exist: the answer tells nothing of who
    /// has an account.
    func requireWorker(_ id: UUID?, of tenantID: UUID, field: String) async throws {
        guard let id else { return }
        guard try await stores.users.worksOn(tenantID, userID: id, on: connection) else {
            throw ServiceError.unresolved(field, "is not someone who works on this tenant")
        }
    }
}
