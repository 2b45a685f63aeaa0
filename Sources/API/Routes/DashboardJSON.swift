import Domain
import Foundation
import Hummingbird
import NIOCore
import Services
import Storage

/// The dashboard's answer, written by hand: it carries hundreds of values, and Codable's
/// reflection was a third of the request's CPU. The shape is `MeasureRoutes.DashboardBody`
/// (which the OpenAPI document describes); a test checks that both write the same JSON.
struct DashboardJSON: ResponseGenerator {
    let dashboard: DashboardService.Dashboard

    func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: bytes())
        )
    }

    func bytes() -> ByteBuffer {
        var json = JSONWriter(capacity: 1_024 + dashboard.rows.count * 1_024)
        json.beginObject()
        json.key("fiscalYear")
        json.integer(dashboard.fiscalYear)
        json.key("measures")
        json.beginArray()
        for row in dashboard.rows {
            Self.write(row, into: &json)
        }
        json.endArray()
        json.key("tenantId")
        json.uuid(dashboard.tenantID)
        json.endObject()
        return json.buffer
    }

    /// Keys in sorted order, as `JSONEncoder` with `.sortedKeys` writes them.
    static func write(_ row: DashboardRow, into json: inout JSONWriter) {
        json.beginObject()
        json.optional("latest", row.latest) { $0.number($1) }
        json.key("measure")
        write(row.measure, into: &json)
        json.key("points")
        json.beginArray()
        for point in row.points {
            json.beginObject()
            json.key("period")
            json.date(point.period)
            json.key("value")
            json.number(point.value)
            json.endObject()
        }
        json.endArray()
        json.key("status")
        json.string(row.status.rawValue)
        json.optional("target", row.target) { $0.number($1) }
        json.optional("toleranceBasisPoints", row.toleranceBasisPoints) { $0.integer($1) }
        json.key("trend")
        json.string(row.trend.rawValue)
        json.endObject()
    }

    static func write(_ measure: MeasureRecord, into json: inout JSONWriter) {
        json.beginObject()
        json.key("definition")
        json.string(measure.definition)
        json.key("departmentId")
        json.uuid(measure.departmentID)
        json.key("direction")
        json.string(measure.direction.rawValue)
        json.key("frequency")
        json.string(measure.frequency.rawValue)
        json.key("id")
        json.uuid(measure.id)
        json.key("name")
        json.string(measure.name)
        json.optional("ownerId", measure.ownerID) { $0.uuid($1) }
        json.key("sharing")
        json.string(measure.sharing.rawValue)
        json.optional("templateId", measure.templateID) { $0.uuid($1) }
        json.key("tenantId")
        json.uuid(measure.tenantID)
        json.key("unit")
        json.string(measure.unit)
        json.endObject()
    }
}
