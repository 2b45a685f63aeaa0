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
        router.get("/tenants/{t}/updates") { request, context in
            let saved = request.uri.queryParameters["saved"] != nil
            return await updates(
                request, tenant: context.parameters.get("t") ?? "", clientAddress: context.clientAddress,
                notice: saved ? "Saved. The value is in, and the dashboard shows it." : nil
            )
        }
        router.post("/tenants/{t}/updates") { request, context in
            try await saveUpdate(request, tenant: context.parameters.get("t") ?? "", clientAddress: context.clientAddress, context: context)
        }
    }

    // MARK: My updates

    static func updateFields(_ due: DataPointService.DueValue, value: String = "", note: String = "") -> [Field] {
        let suffix = "-\(due.measureID.uuidString.lowercased())"
        return [
            Field(
                name: "value", label: "Value for \(DataReminders.periodName(due.period, frequency: due.frequency)) (\(due.unit))", value: value,
                autocomplete: "off", hint: "A number, such as 12.5.", idSuffix: suffix
            ),
            Field(name: "note", label: "Note (optional)", value: note, autocomplete: "off", required: false, idSuffix: suffix),
        ]
    }

    /// A form sent back with errors: what was typed, and what is wrong with it.
    struct FailedUpdate {
        var measureID: UUID
        var value: String
        var note: String
        var failures: [FieldError]
    }

    /// The page, with `failed` drawn as it was sent, its errors beside its fields.
    func updates(
        _ request: Request, tenant text: String, clientAddress: String?, failed: FailedUpdate? = nil, notice: String? = nil,
        status: HTTPResponse.Status = .ok
    ) async -> Response {
        guard let caller = console.cookies.caller(of: request, clientAddress: clientAddress, route: "GET /tenants/{t}/updates") else {
            return Pages.redirect(to: "/login")
        }
        guard let tenantID = UUID(uuidString: text) else { return console.errorPage(ServiceError.notFound, request: request) }
        do {
            let updates = try await services.dataPoints.updates(caller, tenantID)
            var alerts: [String] = []
            let due: [[String: Any]] = updates.due.map { value in
                var values: [String: Any] = [
                    "id": value.measureID.uuidString.lowercased(), "name": value.name, "unit": value.unit,
                    "period": value.period.description, "periodName": DataReminders.periodName(value.period, frequency: value.frequency),
                    "tenantID": tenantID.uuidString.lowercased(),
                ]
                if let latest = value.latest { values["latest"] = latest.description }
                if let period = value.latestPeriod { values["latestPeriod"] = period.description }
                var fields = Self.updateFields(value)
                if let failed, failed.measureID == value.measureID {
                    fields = Self.updateFields(value, value: failed.value, note: failed.note)
                    alerts += Field.placing(failed.failures, on: &fields)
                    alerts += fields.compactMap(\.error).map { "\(value.name): \($0)" }
                }
                values["fields"] = fields.map(\.values)
                return values
            }
            let count = updates.due.count
            return console.page(
                "updates", title: "\(updates.tenantName): my updates", request: request,
                values: ["due": due, "hasDue": count > 0, "dueCount": count, "dueWord": count == 1 ? "value is" : "values are"],
                signedIn: .init(name: updates.readerName), alerts: alerts, notice: notice, status: status
            )
        } catch {
            return console.errorPage(error, request: request)
        }
    }

    func saveUpdate(_ request: Request, tenant text: String, clientAddress: String?, context: some RequestContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        guard console.cookies.acceptsForm(request, field: form["csrf"]) else { return console.refusedForm(request, form: form) }
        guard let caller = console.cookies.caller(of: request, clientAddress: clientAddress, route: "POST /tenants/{t}/updates") else {
            return Pages.redirect(to: "/login")
        }
        guard let tenantID = UUID(uuidString: text), let measureID = form["measure"].flatMap(UUID.init(uuidString:)),
            let period = form["period"].flatMap({ CivilDate(iso8601: $0) })
        else {
            return console.errorPage(ServiceError.notFound, request: request)
        }
        let valueText = (form["value"] ?? "").trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: "")
        let note = form["note"] ?? ""
        func failed(_ failures: [FieldError]) async -> Response {
            let sent = FailedUpdate(measureID: measureID, value: form["value"] ?? "", note: note, failures: failures)
            return await updates(request, tenant: text, clientAddress: clientAddress, failed: sent, status: .unprocessableContent)
        }
        guard let value = Decimal(string: valueText, locale: Locale(identifier: "en_US_POSIX")), !valueText.isEmpty,
            valueText.allSatisfy({ $0.isNumber || $0 == "." || $0 == "-" })
        else {
            return await failed([FieldError(field: "value", reason: "must be a number, such as 12.5")])
        }
        do {
            _ = try await services.dataPoints.enter(caller, tenantID, measureID, .init(period: period, value: value, note: note, reason: nil))
        } catch ServiceError.invalid(let failures) {
            return await failed(failures)
        } catch {
            return console.errorPage(error, request: request)
        }
        return Pages.redirect(to: "/tenants/\(tenantID.uuidString.lowercased())/updates?saved=\(measureID.uuidString.lowercased())")
    }

    static let statusWords: [PerformanceStatus: (word: String, shape: String)] = [
        .green: ("On target", "●"), .yellow: ("Near target", "▲"), .red: ("Off target", "■"), .grey: ("No data or no target", "○"),
    ]
    static let trendWords: [Trend: String] = [.improving: "Improving ↗", .steady: "Steady →", .worsening: "Worsening ↘", .unknown: "Too few values"]

    /// The page's dashboard: nil without a session cookie (the caller signs in first); the
    /// fiscal year from `?fy=` (1901 to 2199) or the current one.
    func read(_ request: Request, tenant text: String, clientAddress: String?, route: String) async throws -> DashboardService.Page? {
        guard let caller = console.cookies.caller(of: request, clientAddress: clientAddress, route: route) else { return nil }
        guard let tenantID = UUID(uuidString: text) else { throw ServiceError.notFound }
        return try await services.dashboards.page(caller, tenantID, fiscalYear: try Pages.fiscalYear(of: request))
    }

    func dashboard(_ request: Request, tenant text: String, clientAddress: String?) async -> Response {
        let page: DashboardService.Page
        do {
            guard let found = try await read(request, tenant: text, clientAddress: clientAddress, route: "GET /tenants/{t}/dashboard") else {
                return Pages.redirect(to: "/login")
            }
            page = found
        } catch {
            return console.errorPage(error, request: request)
        }
        let rows = page.dashboard.rows
        let sections = Self.sections(
            rows, departmentNames: page.departmentNames, linkBase: "/tenants/\(page.dashboard.tenantID.uuidString.lowercased())/measures"
        )
        let year = page.dashboard.fiscalYear
        var values: [String: Any] = [
            "tenantID": page.dashboard.tenantID.uuidString.lowercased(), "fiscalYear": year, "measureCount": rows.count,
            "hasMeasures": !rows.isEmpty, "departments": sections, "wide": true, "department": page.isDepartmentOnly,
        ]
        if year > FiscalYear.supportedEndingYears.lowerBound { values["previousYear"] = year - 1 }
        if year < FiscalYear.supportedEndingYears.upperBound { values["nextYear"] = year + 1 }
        return console.page(
            "dashboard", title: "\(page.tenantName): dashboard", request: request, values: values, signedIn: .init(name: page.readerName)
        )
    }

    /// The measures by department, as the `measure-sections` partial draws them.
    /// `linkBase` (`/tenants/{t}/measures`) links each measure to its page.
    static func sections(_ rows: [DashboardRow], departmentNames: [UUID: String], linkBase: String? = nil) -> [[String: Any]] {
        let byDepartment = Dictionary(grouping: rows, by: \.measure.departmentID)
        let departments = byDepartment.keys.sorted { (departmentNames[$0] ?? "") < (departmentNames[$1] ?? "") }
        return departments.enumerated().map { index, departmentID in
            [
                "index": index,
                "name": departmentNames[departmentID] ?? "A department",
                "measures": (byDepartment[departmentID] ?? []).sorted { $0.measure.name < $1.measure.name }.map { row in
                    var values = Self.measureValues(row)
                    if let linkBase { values["href"] = "\(linkBase)/\(row.measure.id.uuidString.lowercased())" }
                    return values
                },
            ]
        }
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
        do {
            guard let found = try await read(request, tenant: text, clientAddress: clientAddress, route: "GET /tenants/{t}/dashboard.csv") else {
                return Pages.redirect(to: "/login")
            }
            page = found
        } catch {
            return console.errorPage(error, request: request)
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
            lines.append(CSVField.line(fields))
        }
        return CSVField.response(lines, filename: "dashboard-fy\(page.dashboard.fiscalYear).csv")
    }
}
