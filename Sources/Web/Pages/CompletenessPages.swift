import Domain
import Foundation
import Hummingbird
import Services

/// The data-completeness grid (DESIGN §11, an analyst's screen): a fiscal year's months
/// against the town's measures, what is in and what is missing, as CSV too; and a month's
/// values entered together from one form.
struct CompletenessPages {
    let console: Console

    var services: Services { console.services }

    func register<Context: ConsoleRequestContext>(on router: Router<Context>) {
        router.get("/tenants/{t}/completeness") { request, context in
            await grid(request, tenant: context.parameters.get("t") ?? "", clientAddress: context.clientAddress)
        }
        router.get("/tenants/{t}/completeness.csv") { request, context in
            await csv(request, tenant: context.parameters.get("t") ?? "", clientAddress: context.clientAddress)
        }
        router.get("/tenants/{t}/completeness/{period}") { request, context in
            await monthForm(request, tenant: context.parameters.get("t") ?? "", period: context.parameters.get("period") ?? "", clientAddress: context.clientAddress)
        }
        router.post("/tenants/{t}/completeness/{period}") { request, context in
            try await saveMonth(
                request, tenant: context.parameters.get("t") ?? "", period: context.parameters.get("period") ?? "", clientAddress: context.clientAddress,
                context: context
            )
        }
    }

    static let shortMonths = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    static func shortName(_ month: CivilDate) -> String { "\(shortMonths[(month.month - 1) % 12]) \(month.year)" }

    static let cellWords: [Completeness.Cell: String] = [.missing: "Missing", .notYetDue: "Not yet due", .notAPeriod: "Not asked"]

    /// The grid for the request: the caller, the tenant and `?fy=`; nil without a session.
    func read(_ request: Request, tenant text: String, clientAddress: String?, route: String, fiscalYear: Int? = nil) async throws -> DataPointService.Grid? {
        guard let caller = console.cookies.caller(of: request, clientAddress: clientAddress, route: route) else { return nil }
        guard let tenantID = UUID(uuidString: text) else { throw ServiceError.notFound }
        return try await services.dataPoints.completeness(caller, tenantID, fiscalYear: try fiscalYear ?? Pages.fiscalYear(of: request))
    }

    func grid(_ request: Request, tenant text: String, clientAddress: String?) async -> Response {
        let grid: DataPointService.Grid
        do {
            guard let found = try await read(request, tenant: text, clientAddress: clientAddress, route: "GET /tenants/{t}/completeness") else {
                return Pages.redirect(to: "/login")
            }
            grid = found
        } catch {
            return console.errorPage(error, request: request)
        }
        let tenant = text.lowercased()
        let months: [[String: Any]] = grid.months.map { month in
            var values: [String: Any] = ["name": Self.shortName(month)]
            if grid.mayEnter { values["href"] = "/tenants/\(tenant)/completeness/\(month)" }
            return values
        }
        var all: [Completeness.Cell] = []
        let rows: [[String: Any]] = grid.rows.map { row in
            all += row.cells
            let share = Completeness.share(row.cells)
            let cells: [[String: Any]] = zip(grid.months, row.cells).map { month, cell in
                switch cell {
                case .filled: ["text": row.values[month]?.description ?? "", "filled": true]
                case .missing: ["text": Self.cellWords[cell] ?? "", "missing": true]
                case .notYetDue, .notAPeriod: ["text": Self.cellWords[cell] ?? "", "quiet": true]
                }
            }
            return [
                "name": row.name, "unit": row.unit, "department": row.department, "cells": cells,
                "share": share.expected == 0 ? "—" : "\(share.filled) of \(share.expected)", "measureID": row.measureID.uuidString.lowercased(),
            ]
        }
        let share = Completeness.share(all)
        let year = grid.fiscalYear
        var values: [String: Any] = [
            "months": months, "rows": rows, "hasRows": !rows.isEmpty, "wide": true, "tenantID": tenant, "fiscalYear": year,
"filled": share.filled, "expected": share.expected, "mayEnter": grid.mayEnter,
            "csv": "/tenants/\(tenant)/completeness.csv?fy=\(year)",
        ]
        if year > FiscalYear.supportedEndingYears.lowerBound { values["previous"] = year - 1 }
        if year < FiscalYear.supportedEndingYears.upperBound { values["next"] = year + 1 }
        let saved = request.uri.queryParameters["saved"].flatMap { Int(String($0)) }
        return console.page(
            "completeness", title: "\(grid.tenantName): data completeness, FY\(year)", request: request, values: values,
            signedIn: .init(name: grid.readerName), notice: saved.map { "Saved: \($0) value\($0 == 1 ? "" : "s") new or changed." }
        )
    }

    func csv(_ request: Request, tenant text: String, clientAddress: String?) async -> Response {
        let grid: DataPointService.Grid
        do {
            guard let found = try await read(request, tenant: text, clientAddress: clientAddress, route: "GET /tenants/{t}/completeness.csv") else {
                return Pages.redirect(to: "/login")
            }
            grid = found
        } catch {
            return console.errorPage(error, request: request)
        }
        var lines = [CSVField.line(["department", "measure", "unit", "frequency"] + grid.months.map(\.description))]
        for row in grid.rows {
            let cells = zip(grid.months, row.cells).map { month, cell in
                cell == .filled ? row.values[month]?.description ?? "" : cell.rawValue
            }
            lines.append(CSVField.line([row.department, row.name, row.unit, row.frequency.rawValue] + cells))
        }
        return CSVField.response(lines, filename: "completeness-fy\(grid.fiscalYear).csv")
    }
}
