import Domain
import Foundation
import NIOCore
import Services
import Storage
import Testing

@testable import API

/// The hand-written dashboard answer says exactly what Codable says of the documented body.
@Suite("Dashboard JSON")
struct DashboardJSONTests {
    static func measure(name: String, owner: UUID?, template: UUID?) -> MeasureRecord {
        MeasureRecord(
            tenantID: UUID(), id: UUID(), departmentID: UUID(), name: name, definition: "Days from report to repair\n\t\"quoted\" \\ /",
            unit: "days", direction: .lowerIsBetter, frequency: .monthly, ownerID: owner, templateID: template, sharing: .named
        )
    }

    static func points(_ values: [String]) -> [PeriodValue] {
        values.enumerated().compactMap { index, text in
            guard let date = CivilDate(year: 2014, month: 7 + index % 6, day: 1), let value = Quantity(text) else { return nil }
            return PeriodValue(period: date, value: value)
        }
    }

    @Test(
        "both encoders agree on names with escapes, absent optionals, negative and fractional values",
        arguments: [
            ("Pothole <repair> days", ["12.5", "-0.001", "1000000", "3"], "10", 1_000),
            ("Üml\u{0001}ut é", [], nil, nil),
            ("Permits", ["0.000000000000000001", "999999999999999.999999999999999999"], "0", 0),
        ] as [(String, [String], String?, Int?)]
    )
    func agree(name: String, values: [String], target: String?, tolerance: Int?) throws {
        let rows = [
            DashboardRow(
                measure: Self.measure(name: name, owner: UUID(), template: nil), target: target.flatMap { Quantity($0) },
                toleranceBasisPoints: tolerance, points: Self.points(values)
            ),
            DashboardRow(measure: Self.measure(name: "Second", owner: nil, template: UUID()), target: nil, toleranceBasisPoints: nil, points: []),
        ]
        let dashboard = DashboardService.Dashboard(tenantID: UUID(), fiscalYear: 2015, rows: rows)
        let handWritten = Data(DashboardJSON(dashboard: dashboard).bytes().readableBytesView)
        let codable = try makeResponseEncoder().encode(MeasureRoutes.DashboardBody(dashboard))
        let left = try #require(JSONSerialization.jsonObject(with: handWritten) as? NSDictionary)
        let right = try #require(JSONSerialization.jsonObject(with: codable) as? NSDictionary)
        #expect(left == right)
        #expect(String(decoding: handWritten, as: UTF8.self).contains("\"fiscalYear\":2015,\"measures\":["))
    }
}
