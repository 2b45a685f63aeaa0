import Domain
import Foundation
import Hummingbird
import NIOCore
import Services
import Storage

/// A town's dashboard (DESIGN §11): its measures by department, each with its latest value,
/// target, status in words and shape, trend, a chart with a text alternative and its values
/// in a table; and the same as CSV.
struct PerformancePages {
    let console: Console

    var services: Services { console.services }

    func register<Context: ConsoleRequestContext>(on router: Router<Context>) {
        router.get("/tenants/{t}/dashboard") { request, context in
            await dashboard(request, tenant: context.parameters.get("t") ?? "", clientAddress: context.clientAddress)
        }
        router.get("/tenants/{t}/dashboard.csv") { request, context in
            await dashboardCSV(request, tenant: context.parameters.get("t") ?? "", clientAddress: context.clientAddress)
        }
    }

    static let statusWords: [PerformanceStatus: (word: String, shape: String)] = [
        .green: ("On target", "●"), .yellow: ("Near target", "▲"), .red: ("Off target", "■"), .grey: ("No data or no target", "○"),
    ]
    static let trendWords: [Trend: String] = [.improving: "Improving ↗", .steady: "Steady →", .worsening: "Worsening ↘", .unknown: "Too few values"]

    /// The page's request: the caller, the tenant, the fiscal year (`?fy=`, 2000 to 2200).
    func read(
        _ request: Request, tenant text: String, clientAddress: String?, route: String
    ) async -> Result<DashboardService.Page, ServiceError> {
        guard let caller = console.cookies.caller(of: request, clientAddress: clientAddress, route: route) else {
            return .failure(.unauthenticated("Sign in."))
        }
        guard let tenantID = UUID(uuidString: text) else { return .failure(.notFound) }
        var year: Int?
        if let fy = request.uri.queryParameters["fy"] {
            guard let number = Int(String(fy)), (2000...2200).contains(number) else {
                return .failure(.malformed(field: "fy", reason: "must be a fiscal year from 2000 to 2200"))
            }
            year = number
        }
        do {
            return .success(try await services.dashboards.page(caller, tenantID, fiscalYear: year))
        } catch let error as ServiceError {
            return .failure(error)
        } catch {
            return .failure(.unavailable("\(error)"))
        }
    }

    func dashboard(_ request: Request, tenant text: String, clientAddress: String?) async -> Response {
        let page: DashboardService.Page
        switch await read(request, tenant: text, clientAddress: clientAddress, route: "GET /tenants/{t}/dashboard") {
        case .success(let found): page = found
        case .failure(.unauthenticated) where console.cookies.sessionToken(of: request) == nil: return Pages.redirect(to: "/login")
        case .failure(let error): return console.errorPage(error, request: request)
        }
        let rows = page.dashboard.rows
        let byDepartment = Dictionary(grouping: rows, by: \.measure.departmentID)
        let departments = byDepartment.keys.sorted { (page.departmentNames[$0] ?? "") < (page.departmentNames[$1] ?? "") }
        let sections: [[String: Any]] = departments.enumerated().map { index, departmentID in
            [
                "index": index,
                "name": page.departmentNames[departmentID] ?? "A department",
                "measures": (byDepartment[departmentID] ?? []).map(Self.measureValues),
            ]
        }
        let year = page.dashboard.fiscalYear
        var values: [String: Any] = [
            "tenantID": page.dashboard.tenantID.uuidString.lowercased(), "fiscalYear": year, "measureCount": rows.count,
            "hasMeasures": !rows.isEmpty, "departments": sections, "wide": true, "department": page.isDepartmentOnly,
        ]
        if year > 2000 { values["previousYear"] = year - 1 }
        if year < 2200 { values["nextYear"] = year + 1 }
        return console.page(
            "dashboard", title: "\(page.tenantName): dashboard", request: request, values: values, signedIn: .init(name: page.readerName)
        )
    }

    static func measureValues(_ row: DashboardRow) -> [String: Any] {
        let status = statusWords[row.status] ?? ("No data or no target", "○")
        let chart = TrendChart(
            name: row.measure.name, unit: row.measure.unit, values: row.points, target: row.target,
            toleranceBasisPoints: row.toleranceBasisPoints, direction: row.measure.direction
        )
        var values: [String: Any] = [
            "id": row.measure.id.uuidString.lowercased(), "name": row.measure.name, "unit": row.measure.unit,
            "latest": row.latest?.description ?? "none", "target": row.target?.description ?? "none",
            "statusKey": row.status.rawValue, "statusWord": status.word, "statusShape": status.shape,
            "trendWord": trendWords[row.trend] ?? "", "hasValues": !row.points.isEmpty,
            "values": row.points.reversed().map { ["period": $0.period.description, "value": $0.value.description] },
        ]
        if let period = row.evaluation.latestPeriod { values["latestPeriod"] = period.description }
        values.merge(chart.values) { _, new in new }
        return values
    }

    func dashboardCSV(_ request: Request, tenant text: String, clientAddress: String?) async -> Response {
        let page: DashboardService.Page
        switch await read(request, tenant: text, clientAddress: clientAddress, route: "GET /tenants/{t}/dashboard.csv") {
        case .success(let found): page = found
        case .failure(.unauthenticated) where console.cookies.sessionToken(of: request) == nil: return Pages.redirect(to: "/login")
        case .failure(let error): return console.errorPage(error, request: request)
        }
        var lines = ["department,measure,unit,direction,latest period,latest value,target,status,trend"]
        let sorted = page.dashboard.rows.sorted {
            ((page.departmentNames[$0.measure.departmentID] ?? ""), $0.measure.name) < ((page.departmentNames[$1.measure.departmentID] ?? ""), $1.measure.name)
        }
        for row in sorted {
            let fields = [
                page.departmentNames[row.measure.departmentID] ?? "", row.measure.name, row.measure.unit, row.measure.direction.rawValue,
                row.evaluation.latestPeriod?.description ?? "", row.latest?.description ?? "", row.target?.description ?? "",
                row.status.rawValue, row.trend.rawValue,
            ]
            lines.append(fields.map(CSVField.escape).joined(separator: ","))
        }
        let name = "dashboard-fy\(page.dashboard.fiscalYear).csv"
        var response = Response(
            status: .ok,
            headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(name)\""],
            body: .init(byteBuffer: ByteBuffer(string: lines.joined(separator: "\r\n") + "\r\n"))
        )
        Pages.secure(&response.headers)
        return response
    }
}

/// A CSV field as spreadsheets read it: quoted when it holds a comma, a quote or a line
/// break; and a leading `=`, `+`, `-` or `@` is prefixed with `'` so that no spreadsheet
/// runs it as a formula (CSV injection).
enum CSVField {
    static func escape(_ text: String) -> String {
        var field = text
        if let first = field.first, "=+-@".contains(first), Double(field) == nil { field = "'" + field }
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
