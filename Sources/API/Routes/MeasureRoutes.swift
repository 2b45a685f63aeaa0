import Domain
import Foundation
import Hummingbird
import PostgresNIO
import Storage

/// Measures, targets, data points and the dashboard of a tenant.
struct MeasureRoutes {
    let backend: Backend

    struct MeasureBody: ResponseEncodable, Sendable {
        var id: UUID
        var tenantId: UUID
        var departmentId: UUID
        var name: String
        var definition: String
        var unit: String
        var direction: String
        var frequency: String
        var ownerId: UUID?
        var templateId: UUID?
        var sharing: String

        init(_ measure: MeasureRecord) {
            id = measure.id
            tenantId = measure.tenantID
            departmentId = measure.departmentID
            name = measure.name
            definition = measure.definition
            unit = measure.unit
            direction = measure.direction.rawValue
            frequency = measure.frequency.rawValue
            ownerId = measure.ownerID
            templateId = measure.templateID
            sharing = measure.sharing.rawValue
        }
    }

    struct NewMeasure: Decodable {
        var departmentId: UUID
        var templateId: UUID?
        var name: String?
        var definition: String?
        var unit: String?
        var direction: Direction?
        var frequency: Frequency?
        var ownerId: UUID?
        var sharing: Sharing?
    }

    struct MeasurePatch: Decodable {
        var departmentId: UUID?
        var name: String?
        var definition: String?
        var unit: String?
        var ownerId: UUID?
        var sharing: Sharing?
    }

    struct TargetBody: Codable, ResponseEncodable, Sendable {
        var fiscalYear: Int?
        var value: Decimal
        var toleranceBasisPoints: Int?
    }

    struct NewDataPoint: Decodable {
        var period: CivilDate
        var value: Decimal
        var note: String?
        var reason: String?
    }

    struct DataPointBody: Encodable, Sendable {
        var period: CivilDate
        var value: Decimal
        var note: String
        var status: String
        var enteredBy: UUID?
        var validatedBy: UUID?

        init(period: CivilDate, value: Decimal, note: String, status: String, enteredBy: UUID?, validatedBy: UUID?) {
            self.period = period
            self.value = value
            self.note = note
            self.status = status
            self.enteredBy = enteredBy
            self.validatedBy = validatedBy
        }

        init(_ point: DataPointRecord) {
            self.init(period: point.period, value: point.value, note: point.note, status: point.status.rawValue, enteredBy: point.enteredBy, validatedBy: point.validatedBy)
        }
    }

    struct DataPage: ResponseEncodable, Sendable {
        var measureId: UUID
        var items: [DataPointBody]
        var nextCursor: String?
    }

    struct Signoff: Decodable {
        var periods: [CivilDate]
    }

    struct DashboardBody: ResponseEncodable, Sendable {
        struct Point: Encodable, Sendable {
            var period: CivilDate
            var value: Decimal
        }
        struct Row: Encodable, Sendable {
            var measure: MeasureBody
            var target: Decimal?
            var toleranceBasisPoints: Int?
            var latest: Decimal?
            var status: String
            var trend: String
            var points: [Point]
        }
        var tenantId: UUID
        var fiscalYear: Int
        var measures: [Row]
    }

    func register(on group: RouterGroup<AuthenticatedContext>) {
        group.get("/tenants/{t}/measures") { request, context in try await list(request, context) }
        group.post("/tenants/{t}/measures") { request, context in try await create(request, context) }
        group.get("/tenants/{t}/measures/{m}") { request, context in try await read(request, context) }
        group.patch("/tenants/{t}/measures/{m}") { request, context in try await update(request, context) }
        group.put("/tenants/{t}/measures/{m}/targets/{fy}") { request, context in try await setTarget(request, context) }
        group.get("/tenants/{t}/measures/{m}/data") { request, context in try await data(request, context) }
        group.post("/tenants/{t}/measures/{m}/data") { request, context in try await enter(request, context) }
        group.post("/tenants/{t}/measures/{m}/data/validations") { request, context in try await validate(request, context) }
        group.get("/tenants/{t}/dashboard") { request, context in try await dashboard(request, context) }
    }

    func list(_ request: Request, _ context: AuthenticatedContext) async throws -> Page<MeasureBody> {
        let tenantID = try request.uuidParameter("t", context: context)
        let resource = AccessGuard.scopedResource(of: context.principal, in: tenantID)
        let access = try await backend.accessGuard.tenant(tenantID, .readMeasures, resource: resource, target: "tenants/\(tenantID)/measures", context: context)
        let page = try PageRequest(request)
        let cursor = try page.cursor.map(TenantRoutes.decodeCursor)
        let measures = try await backend.database.withTenantTransaction(access) { connection in
            try await backend.measures.measures(
                tenantID: tenantID, departmentID: AccessGuard.departmentScope(of: context.principal, in: tenantID),
                after: cursor, limit: page.limit + 1, on: connection
            )
        }
        return page.page(measures.map(MeasureBody.init)) { $0.id.uuidString + $0.name }
    }

    func create(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        let tenantID = try request.uuidParameter("t", context: context)
        let body = try await request.decodeJSON(as: NewMeasure.self, context: context)
        let access = try await backend.accessGuard.tenant(
            tenantID, .editMeasures, resource: .department(tenantID: tenantID, departmentID: body.departmentId),
            target: "tenants/\(tenantID)/measures", context: context
        )
        if let sharing = body.sharing, sharing != .private {
            _ = try await backend.accessGuard.tenant(tenantID, .setMeasureSharing, target: "tenants/\(tenantID)/measures", context: context)
        }
        let measure = try await backend.database.withTenantTransaction(access) { connection in
            guard try await backend.tenants.department(body.departmentId, of: tenantID, on: connection) != nil else {
                throw Problem.validation([.init(field: "departmentId", reason: "is not a department of this tenant")])
            }
            try await backend.requireUser(body.ownerId, field: "ownerId", on: connection)
            var template: MeasureTemplateRecord?
            if let templateID = body.templateId {
                template = try await backend.measures.template(templateID, on: connection)
                guard template != nil else {
                    throw Problem.validation([.init(field: "templateId", reason: "is not in the measure library")])
                }
            }
            var validation = Validation()
            let name = validation.text(body.name ?? template?.name, field: "name")
            let unit = validation.text(body.unit ?? template?.unit, field: "unit", maximumLength: 50)
            let definition = validation.optionalText(body.definition ?? template?.definition, field: "definition", maximumLength: 2000)
            let direction = body.direction ?? template?.direction
            let frequency = body.frequency ?? template?.frequency
            if direction == nil { validation.fail("direction", "is required: higher or lower") }
            if frequency == nil { validation.fail("frequency", "is required: monthly, quarterly or yearly") }
            try validation.check()
            let measure = MeasureRecord(
                tenantID: tenantID, id: UUID(), departmentID: body.departmentId, name: name ?? "",
                definition: definition, unit: unit ?? "", direction: direction ?? .higherIsBetter,
                frequency: frequency ?? .monthly, ownerID: body.ownerId ?? context.userID, templateID: template?.id,
                sharing: body.sharing ?? .private
            )
            guard try await backend.measures.create(measure, on: connection) else {
                throw Problem.conflict("This tenant has a measure named \(measure.name).")
            }
            try await backend.audit.record(context.success("measures.create", target: "measures/\(measure.id)", tenantID: tenantID), on: connection)
            return measure
        }
        return try .created(MeasureBody(measure), context: context, request: request)
    }

    /// Resolves `{t}` and `{m}` for `action` on the measure's department; 404 for a measure
    /// that is not there.
    func measure(_ request: Request, _ context: AuthenticatedContext, _ action: Action) async throws -> (TenantAccess, MeasureRecord) {
        let tenantID = try request.uuidParameter("t", context: context)
        let measureID = try request.uuidParameter("m", context: context)
        let target = "tenants/\(tenantID)/measures/\(measureID)"
        // Visibility first, with the weakest action, so that a hidden tenant is a 404.
        let access = try await backend.accessGuard.tenant(
            tenantID, .readTenantProfile, target: target, context: context
        )
        let measure = try await backend.database.withTenantTransaction(access) { connection in
            try await backend.measures.measure(measureID, tenantID: tenantID, on: connection)
        }
        guard let measure else { throw Problem.notFound("There is no such measure.") }
        _ = try await backend.accessGuard.tenant(
            tenantID, action, resource: .department(tenantID: tenantID, departmentID: measure.departmentID), target: target, context: context
        )
        return (access, measure)
    }

    func read(_ request: Request, _ context: AuthenticatedContext) async throws -> MeasureBody {
        let (_, measure) = try await measure(request, context, .readMeasures)
        return MeasureBody(measure)
    }

    func update(_ request: Request, _ context: AuthenticatedContext) async throws -> MeasureBody {
        var (access, measure) = try await measure(request, context, .editMeasures)
        let patch = try await request.decodeJSON(as: MeasurePatch.self, context: context)
        if let sharing = patch.sharing, sharing != measure.sharing {
            _ = try await backend.accessGuard.tenant(measure.tenantID, .setMeasureSharing, target: "tenants/\(measure.tenantID)/measures/\(measure.id)", context: context)
            measure.sharing = sharing
        }
        if let departmentID = patch.departmentId, departmentID != measure.departmentID {
            _ = try await backend.accessGuard.tenant(
                measure.tenantID, .editMeasures, resource: .department(tenantID: measure.tenantID, departmentID: departmentID),
                target: "tenants/\(measure.tenantID)/measures/\(measure.id)", context: context
            )
            measure.departmentID = departmentID
        }
        var validation = Validation()
        if let name = validation.text(patch.name, field: "name", required: false) { measure.name = name }
        if let unit = validation.text(patch.unit, field: "unit", maximumLength: 50, required: false) { measure.unit = unit }
        if let definition = patch.definition {
            if definition.count > 2000 { validation.fail("definition", "must be at most 2000 characters") } else { measure.definition = definition }
        }
        if let owner = patch.ownerId { measure.ownerID = owner }
        try validation.check()
        let updated = measure
        try await backend.database.withTenantTransaction(access) { connection in
            guard try await backend.tenants.department(updated.departmentID, of: updated.tenantID, on: connection) != nil else {
                throw Problem.validation([.init(field: "departmentId", reason: "is not a department of this tenant")])
            }
            try await backend.requireUser(patch.ownerId, field: "ownerId", on: connection)
            try await backend.measures.update(updated, on: connection)
            try await backend.audit.record(context.success("measures.update", target: "measures/\(updated.id)", tenantID: updated.tenantID), on: connection)
        }
        return MeasureBody(updated)
    }

    func setTarget(_ request: Request, _ context: AuthenticatedContext) async throws -> TargetBody {
        let (access, measure) = try await measure(request, context, .editMeasures)
        guard let text = context.parameters.get("fy"), let year = Int(text), (2000...2200).contains(year) else {
            throw Problem.notFound("There is no such fiscal year.")
        }
        let body = try await request.decodeJSON(as: TargetBody.self, context: context)
        var validation = Validation()
        let tolerance = validation.integer(body.toleranceBasisPoints ?? Evaluation.defaultToleranceBasisPoints, field: "toleranceBasisPoints", in: 0...10_000) ?? 1_000
        validation.measurement(body.value, field: "value")
        try validation.check()
        let target = TargetRecord(fiscalYear: year, value: body.value, toleranceBasisPoints: tolerance)
        try await backend.database.withTenantTransaction(access) { connection in
            try await backend.measures.setTarget(target, measure: measure, on: connection)
            try await backend.audit.record(context.success("targets.set", target: "measures/\(measure.id)/targets/\(year)", tenantID: measure.tenantID), on: connection)
        }
        return TargetBody(fiscalYear: year, value: target.value, toleranceBasisPoints: tolerance)
    }

    func data(_ request: Request, _ context: AuthenticatedContext) async throws -> DataPage {
        let (access, measure) = try await measure(request, context, .readMeasures)
        let pageRequest = try PageRequest(request)
        let points = try await backend.database.withTenantTransaction(access) { connection in
            try await backend.measures.dataPoints(measure: measure, on: connection)
        }
        let page = try pageRequest.page(ofWhole: points.map(DataPointBody.init))
        return DataPage(measureId: measure.id, items: page.items, nextCursor: page.nextCursor)
    }

    func enter(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        let (access, measure) = try await measure(request, context, .enterData)
        let body = try await request.decodeJSON(as: NewDataPoint.self, context: context)
        let startMonth = try await fiscalYearStartMonth(of: measure.tenantID, access: access)
        var validation = Validation()
        if !measure.frequency.isPeriodStart(body.period, fiscalYearStartMonth: startMonth) {
            validation.fail("period", "must be the first day of a \(measure.frequency.rawValue) period")
        }
        let note = body.note ?? ""
        if note.count > 1000 { validation.fail("note", "must be at most 1000 characters") }
        let reason = validation.text(body.reason ?? "Entered", field: "reason", maximumLength: 500) ?? "Entered"
        validation.measurement(body.value, field: "value")
        try validation.check()
        let written = try await backend.database.withTenantTransaction(access) { connection in
            let count = try await backend.measures.write(
                [ImportRow(measureID: measure.id, period: body.period, value: body.value, note: note)],
                tenantID: measure.tenantID, by: context.userID, reason: reason, on: connection
            )
            try await backend.audit.record(context.success("data.enter", target: "measures/\(measure.id)/data/\(body.period)", tenantID: measure.tenantID), on: connection)
            return count
        }
        let point = DataPointBody(period: body.period, value: body.value, note: note, status: DataPointStatus.provisional.rawValue, enteredBy: context.userID, validatedBy: nil)
        return Response(
            status: written > 0 ? .created : .ok,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: try makeResponseEncoder().encode(point)))
        )
    }

    func validate(_ request: Request, _ context: AuthenticatedContext) async throws -> DataPage {
        let (access, measure) = try await measure(request, context, .validateData)
        let body = try await request.decodeJSON(as: Signoff.self, context: context)
        guard !body.periods.isEmpty, body.periods.count <= 1_000 else {
            throw Problem.validation([.init(field: "periods", reason: "must list 1 to 1000 periods")])
        }
        let points = try await backend.database.withTenantTransaction(access) { connection in
            _ = try await backend.measures.validate(measure: measure, periods: body.periods, by: context.userID, on: connection)
            try await backend.audit.record(context.success("data.validate", target: "measures/\(measure.id)/data", tenantID: measure.tenantID), on: connection)
            return try await backend.measures.dataPoints(measure: measure, on: connection)
        }
        return DataPage(measureId: measure.id, items: points.map(DataPointBody.init))
    }

    func fiscalYearStartMonth(of tenantID: UUID, access: TenantAccess) async throws -> Int {
        try await backend.database.withTenantTransaction(access) { connection in
            try await backend.tenants.fiscalYearStartMonth(of: tenantID, on: connection) ?? 7
        }
    }

    func dashboard(_ request: Request, _ context: AuthenticatedContext) async throws -> DashboardBody {
        let tenantID = try request.uuidParameter("t", context: context)
        let resource = AccessGuard.scopedResource(of: context.principal, in: tenantID)
        let access = try await backend.accessGuard.tenant(tenantID, .readMeasures, resource: resource, target: "tenants/\(tenantID)/dashboard", context: context)
        var requestedYear: Int?
        if let text = request.uri.queryParameters["fy"] {
            guard let year = Int(String(text)), (2000...2200).contains(year) else {
                throw Problem.badRequest(field: "fy", reason: "must be a fiscal year such as 2015")
            }
            requestedYear = year
        }
        return try await backend.database.withTenantTransaction(access) { connection in
            let year: Int
            if let requestedYear {
                year = requestedYear
            } else {
                let startMonth = try await backend.tenants.fiscalYearStartMonth(of: tenantID, on: connection) ?? 7
                year = FiscalYear.containing(.today, startMonth: startMonth).endingYear
            }
            let rows = try await backend.measures.dashboard(
                tenantIDs: [tenantID], departmentID: AccessGuard.departmentScope(of: context.principal, in: tenantID),
                fiscalYear: year, on: connection
            )
            return DashboardBody(
                tenantId: tenantID,
                fiscalYear: year,
                measures: rows.map { row in
                    DashboardBody.Row(
                        measure: MeasureBody(row.measure), target: row.target?.value, toleranceBasisPoints: row.target?.toleranceBasisPoints,
                        latest: row.latest, status: row.status.rawValue, trend: row.trend.rawValue,
                        points: row.points.map { DashboardBody.Point(period: $0.period, value: $0.value) }
                    )
                }
            )
        }
    }
}
