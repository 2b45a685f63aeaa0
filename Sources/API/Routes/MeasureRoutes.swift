import Domain
import Foundation
import Hummingbird
import Services
import Storage

/// Measures, targets, data points and the dashboard of a tenant.
struct MeasureRoutes {
    let services: Services

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

    struct TargetBody: ResponseEncodable, Sendable {
        var fiscalYear: Int
        var value: Decimal
        var toleranceBasisPoints: Int
    }

    /// A target as a request sets it: the fiscal year is the path's.
    struct TargetRequest: Decodable {
        var value: Decimal
        var toleranceBasisPoints: Int?
    }

    struct NewDataPoint: Decodable {
        var period: CivilDate
        var value: Decimal
        var note: String?
        var reason: String?
    }

    struct DataPointBody: ResponseEncodable, Sendable {
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

    func register(on group: RouterGroup<SignedInContext>) {
        group.get("/tenants/{t}/measures") { request, context in
            let tenantID = try request.uuidParameter("t", context: context)
            let page = try PageRequest(request)
            let cursor = try page.cursor.map(TenantRoutes.decodeCursor)
            let measures = try await services.measures.list(context.caller, tenantID, after: cursor, limit: page.limit + 1)
            return page.page(measures.map(MeasureBody.init)) { $0.id.uuidString + $0.name }
        }
        group.post("/tenants/{t}/measures") { request, context in
            let tenantID = try request.uuidParameter("t", context: context)
            let body = try await request.decodeJSON(as: NewMeasure.self, context: context)
            let measure = try await services.measures.create(
                context.caller, tenantID,
                .init(
                    departmentID: body.departmentId, templateID: body.templateId, name: body.name, definition: body.definition,
                    unit: body.unit, direction: body.direction, frequency: body.frequency, ownerID: body.ownerId, sharing: body.sharing
                )
            )
            return try Response.created(MeasureBody(measure), context: context, request: request)
        }
        group.get("/tenants/{t}/measures/{m}") { request, context in
            let (tenantID, measureID) = try Self.ids(request, context)
            return MeasureBody(try await services.measures.read(context.caller, tenantID, measureID))
        }
        group.patch("/tenants/{t}/measures/{m}") { request, context in
            let (tenantID, measureID) = try Self.ids(request, context)
            let patch = try await request.decodeJSON(as: MeasurePatch.self, context: context)
            let measure = try await services.measures.update(
                context.caller, tenantID, measureID,
                .init(
                    departmentID: patch.departmentId, name: patch.name, definition: patch.definition, unit: patch.unit,
                    ownerID: patch.ownerId, sharing: patch.sharing
                )
            )
            return MeasureBody(measure)
        }
        group.put("/tenants/{t}/measures/{m}/targets/{fy}") { request, context in
            let (tenantID, measureID) = try Self.ids(request, context)
            guard let text = context.parameters.get("fy"), let year = Int(text) else {
                throw Problem.notFound("There is no such fiscal year.")
            }
            let body = try await request.decodeJSON(as: TargetRequest.self, context: context)
            let target = try await services.measures.setTarget(
                context.caller, tenantID, measureID, fiscalYear: year, value: body.value, toleranceBasisPoints: body.toleranceBasisPoints
            )
            return TargetBody(fiscalYear: target.fiscalYear, value: target.value, toleranceBasisPoints: target.toleranceBasisPoints)
        }
        group.get("/tenants/{t}/measures/{m}/data") { request, context in
            let (tenantID, measureID) = try Self.ids(request, context)
            let pageRequest = try PageRequest(request)
            let points = try await services.dataPoints.list(context.caller, tenantID, measureID)
            let page = try pageRequest.page(ofWhole: points.map(DataPointBody.init))
            return DataPage(measureId: measureID, items: page.items, nextCursor: page.nextCursor)
        }
        group.post("/tenants/{t}/measures/{m}/data") { request, context in
            let (tenantID, measureID) = try Self.ids(request, context)
            let body = try await request.decodeJSON(as: NewDataPoint.self, context: context)
            let entered = try await services.dataPoints.enter(
                context.caller, tenantID, measureID, .init(period: body.period, value: body.value, note: body.note, reason: body.reason)
            )
            var response = try DataPointBody(entered.point).response(from: request, context: context)
            response.status = entered.written ? .created : .ok
            return response
        }
        group.post("/tenants/{t}/measures/{m}/data/validations") { request, context in
            let (tenantID, measureID) = try Self.ids(request, context)
            let body = try await request.decodeJSON(as: Signoff.self, context: context)
            let points = try await services.dataPoints.validate(context.caller, tenantID, measureID, periods: body.periods)
            return DataPage(measureId: measureID, items: points.map(DataPointBody.init))
        }
        group.get("/tenants/{t}/dashboard") { request, context in
            let tenantID = try request.uuidParameter("t", context: context)
            let year = try FiscalYearParameter.optional(request)
            let dashboard = try await services.dashboards.dashboard(context.caller, tenantID, fiscalYear: year)
            return DashboardJSON(dashboard: dashboard)
        }
    }

    static func ids(_ request: Request, _ context: SignedInContext) throws -> (UUID, UUID) {
        (try request.uuidParameter("t", context: context), try request.uuidParameter("m", context: context))
    }
}

extension MeasureRoutes.DashboardBody {
    init(_ dashboard: DashboardService.Dashboard) {
        self.init(
            tenantId: dashboard.tenantID,
            fiscalYear: dashboard.fiscalYear,
            measures: dashboard.rows.map { row in
                Row(
                    measure: MeasureRoutes.MeasureBody(row.measure), target: row.target?.decimal,
                    toleranceBasisPoints: row.toleranceBasisPoints, latest: row.latest?.decimal, status: row.status.rawValue,
                    trend: row.trend.rawValue, points: row.points.map { Point(period: $0.period, value: $0.value.decimal) }
                )
            }
        )
    }
}

// Values are read by Domain's rule for a measure's numbers (Quantity: under 10^15, 18
// decimal places, rounded half-even), which also reads what Decimal cannot hold (1e-300).
extension MeasureRoutes.TargetRequest {
    enum CodingKeys: String, CodingKey {
        case value, toleranceBasisPoints
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        value = try container.decode(Quantity.self, forKey: .value).decimal
        toleranceBasisPoints = try container.decodeIfPresent(Int.self, forKey: .toleranceBasisPoints)
    }
}

extension MeasureRoutes.NewDataPoint {
    enum CodingKeys: String, CodingKey {
        case period, value, note, reason
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        period = try container.decode(CivilDate.self, forKey: .period)
        value = try container.decode(Quantity.self, forKey: .value).decimal
        note = try container.decodeIfPresent(String.self, forKey: .note)
        reason = try container.decodeIfPresent(String.self, forKey: .reason)
    }
}
