import Billing
import Domain
import Foundation
import Hummingbird
import NIOCore
import Services
import Spreadsheets
import Storage

/// Excel workbooks of what the console shows (issue 13): a town's dashboard, a measure's
/// values with every change to them, the Center's invoices and a program year's funding;
/// a bold, frozen header row, columns a person can read, cents as dollars and shares as
/// percentages. Each reads through the same use case as its page, in one transaction.
struct ExportPages {
    let console: Console

    var services: Services { console.services }

    func register<Context: ConsoleRequestContext>(on router: Router<Context>) {
        router.get("/tenants/{t}/dashboard.xlsx") { request, context in
            await dashboard(request, tenant: context.parameters.get("t") ?? "", clientAddress: context.clientAddress)
        }
        router.get("/tenants/{t}/measures/{m}/data.xlsx") { request, context in
            await measure(request, tenant: context.parameters.get("t") ?? "", measure: context.parameters.get("m") ?? "", clientAddress: context.clientAddress)
        }
        router.get("/tenants/{t}/measures/{m}/data.csv") { request, context in
            await measureCSV(request, tenant: context.parameters.get("t") ?? "", measure: context.parameters.get("m") ?? "", clientAddress: context.clientAddress)
        }
        router.get("/reports/funding.csv") { request, context in
            await fundingCSV(request, clientAddress: context.clientAddress)
        }
        router.get("/invoices.xlsx") { request, context in
            await invoices(request, clientAddress: context.clientAddress)
        }
        router.get("/reports/funding.xlsx") { request, context in
            await funding(request, clientAddress: context.clientAddress)
        }
    }

    /// Runs `body` for a signed-in caller and answers its workbook, or the page of its error.
    func exporting(_ request: Request, clientAddress: String?, route: String, _ body: (Caller) async throws -> (String, [WorkbookSheet])) async -> Response {
        guard let caller = console.cookies.caller(of: request, clientAddress: clientAddress, route: route) else { return Pages.redirect(to: "/login") }
        do {
            let (filename, sheets) = try await body(caller)
            var response = Response(
                status: .ok,
                headers: [.contentType: XLSXWriter.mediaType, .contentDisposition: "attachment; filename=\"\(filename)\""],
                body: .init(byteBuffer: ByteBuffer(bytes: try XLSXWriter.workbook(sheets)))
            )
            Pages.secure(&response.headers)
            return response
        } catch {
            return console.errorPage(error, request: request)
        }
    }

    static func quantity(_ value: Quantity?) -> WorkbookSheet.Cell { value.map { .number($0.description) } ?? .empty }

    func dashboard(_ request: Request, tenant text: String, clientAddress: String?) async -> Response {
        await exporting(request, clientAddress: clientAddress, route: "GET /tenants/{t}/dashboard.xlsx") { caller in
            guard let tenantID = UUID(uuidString: text) else { throw ServiceError.notFound }
            let page = try await services.dashboards.page(caller, tenantID, fiscalYear: try Pages.fiscalYear(of: request))
            var rows: [[WorkbookSheet.Cell]] = [
                ["Department", "Measure", "Unit", "Direction", "Latest period", "Latest value", "Target", "Status", "Trend"].map { .text($0) }
            ]
            let sorted = page.dashboard.rows.sorted {
                ((page.departmentNames[$0.measure.departmentID] ?? ""), $0.measure.name) < ((page.departmentNames[$1.measure.departmentID] ?? ""), $1.measure.name)
            }
            for row in sorted {
                rows.append([
                    .text(page.departmentNames[row.measure.departmentID] ?? ""), .text(row.measure.name), .text(row.measure.unit),
                    .text(MeasurePages.directionWords[row.measure.direction] ?? row.measure.direction.rawValue),
                    row.evaluation.latestPeriod.map { .date($0) } ?? .empty, Self.quantity(row.latest), Self.quantity(row.target),
                    .text(PerformancePages.statusWords[row.status]?.word ?? row.status.rawValue), .text(PerformancePages.trendWords[row.trend] ?? ""),
                ])
            }
            let year = page.dashboard.fiscalYear
            return ("dashboard-fy\(year).xlsx", [WorkbookSheet(name: "FY\(year)", widths: [22, 36, 12, 16, 13, 13, 11, 20, 16], rows: rows)])
        }
    }

    func measure(_ request: Request, tenant text: String, measure measureText: String, clientAddress: String?) async -> Response {
        await exporting(request, clientAddress: clientAddress, route: "GET /tenants/{t}/measures/{m}/data.xlsx") { caller in
            guard let tenantID = UUID(uuidString: text), let measureID = UUID(uuidString: measureText) else { throw ServiceError.notFound }
            let history = try await services.dataPoints.history(caller, tenantID, measureID)
            var values: [[WorkbookSheet.Cell]] = [["Period", "Value", "Note", "Status"].map { .text($0) }]
            for point in history.points {
                values.append([.date(point.period), .number("\(point.value)"), .text(point.note), .text(point.status.rawValue)])
            }
            var changes: [[WorkbookSheet.Cell]] = [["Period", "Before", "After", "Why", "By", "On"].map { .text($0) }]
            for revision in history.revisions {
                changes.append([
                    .date(revision.period), revision.previous.map { .number($0) } ?? .empty, .number(revision.new), .text(revision.reason),
                    .text(revision.changedBy ?? ""), .date(CivilDate(revision.changedAt)),
                ])
            }
            let name = history.measure.name
            return (
                "measure-data.xlsx",
                [WorkbookSheet(name: "Values", widths: [13, 13, 40, 12], rows: values), WorkbookSheet(name: "Changes", widths: [13, 13, 13, 30, 24, 13], rows: changes)]
                    .map { var sheet = $0; sheet.name = "\($0.name) \(name)"; return sheet }
            )
        }
    }

    /// A measure's values and their changes as one CSV: a row per value, then a row per change.
    func measureCSV(_ request: Request, tenant text: String, measure measureText: String, clientAddress: String?) async -> Response {
        guard let caller = console.cookies.caller(of: request, clientAddress: clientAddress, route: "GET /tenants/{t}/measures/{m}/data.csv") else {
            return Pages.redirect(to: "/login")
        }
        do {
            guard let tenantID = UUID(uuidString: text), let measureID = UUID(uuidString: measureText) else { throw ServiceError.notFound }
            let history = try await services.dataPoints.history(caller, tenantID, measureID)
            var lines = [CSVField.line(["kind", "period", "value", "previous value", "note or reason", "status or by", "changed on"])]
            for point in history.points {
                lines.append(CSVField.line(["value", point.period.description, "\(point.value)", "", point.note, point.status.rawValue, ""]))
            }
            for revision in history.revisions {
                lines.append(
                    CSVField.line([
                        "change", revision.period.description, revision.new, revision.previous ?? "", revision.reason, revision.changedBy ?? "",
                        CivilDate(revision.changedAt).description,
                    ])
                )
            }
            return CSVField.response(lines, filename: "measure-data.csv")
        } catch {
            return console.errorPage(error, request: request)
        }
    }

    func fundingCSV(_ request: Request, clientAddress: String?) async -> Response {
        guard let caller = console.cookies.caller(of: request, clientAddress: clientAddress, route: "GET /reports/funding.csv") else {
            return Pages.redirect(to: "/login")
        }
        do {
            let program = request.uri.queryParameters["program"].map(String.init) ?? ""
            guard let year = try Pages.fiscalYear(of: request) else { throw ServiceError.malformed(field: "fy", reason: "is needed, such as 2015") }
            let funding = try await services.billingReports.funding(caller, program: program, fiscalYear: year)
            let report = funding.report
            let lines = [
                "program,fiscal year,tenants enrolled,analysts,budget,grants awarded,fees invoiced,fees collected,fees outstanding,funding gap,state share,state share target,fee share,fee share target",
                CSVField.line([
                    funding.program, "\(funding.fiscalYear)", "\(funding.enrolledTenants)", "\(funding.analystHeadcount)",
                    Formatting.decimalDollars(report.budgetCents), Formatting.decimalDollars(report.grantsAwardedCents),
                    Formatting.decimalDollars(report.feesInvoicedCents), Formatting.decimalDollars(report.feesCollectedCents),
                    Formatting.decimalDollars(report.feesOutstandingCents), Formatting.decimalDollars(report.fundingGapCents),
                    Self.share(report.actualStateShare), Self.share(report.targetStateShare), Self.share(report.actualFeeShare), Self.share(report.targetFeeShare),
                ]),
            ]
            return CSVField.response(lines, filename: "funding-\(funding.program)-fy\(funding.fiscalYear).csv")
        } catch {
            return console.errorPage(error, request: request)
        }
    }

    /// A share as a fraction for a spreadsheet: 3 356 basis points as `0.3356`.
    static func share(_ share: BasisPoints) -> String {
        let magnitude = share.value.magnitude
        let fraction = String(magnitude % 10_000)
        return "\(share.value < 0 ? "-" : "")\(magnitude / 10_000).\(String(repeating: "0", count: 4 - fraction.count))\(fraction)"
    }

    func invoices(_ request: Request, clientAddress: String?) async -> Response {
        await exporting(request, clientAddress: clientAddress, route: "GET /invoices.xlsx") { caller in
            let filter = InvoicePages.Filter(request)
            if let reason = filter.errors.values.sorted().first { throw ServiceError.malformed(field: "query", reason: reason) }
            let export = try await services.invoices.ledgerExport(caller, filter.query(limit: 1))
            var rows: [[WorkbookSheet.Cell]] = [
                ["Tenant", "Program", "Fiscal year", "Invoice", "Standing", "Issued", "Due", "Amount", "Paid", "Credited", "Open"].map { .text($0) }
            ]
            for line in export.lines {
                let invoice = line.invoice
                let standing = InvoiceStanding.of(status: invoice.status, dueOn: invoice.dueOn, asOf: export.asOf)
                rows.append([
                    .text(line.tenantName), .text(invoice.programCode), .number("\(invoice.fiscalYear)"), .text(invoice.number ?? "Draft"),
                    .text(InvoicePages.standingWords[standing] ?? standing.rawValue), invoice.issuedOn.map { .date($0) } ?? .empty,
                    invoice.dueOn.map { .date($0) } ?? .empty, .cents(invoice.amountCents), .cents(invoice.paidCents), .cents(invoice.creditedCents),
                    .cents(invoice.openCents),
                ])
            }
            return ("invoices.xlsx", [WorkbookSheet(name: "Invoices", widths: [30, 10, 11, 20, 11, 12, 12, 14, 14, 14, 14], rows: rows)])
        }
    }

    func funding(_ request: Request, clientAddress: String?) async -> Response {
        await exporting(request, clientAddress: clientAddress, route: "GET /reports/funding.xlsx") { caller in
            let program = request.uri.queryParameters["program"].map(String.init) ?? ""
            guard let year = try Pages.fiscalYear(of: request) else { throw ServiceError.malformed(field: "fy", reason: "is needed, such as 2015") }
            let funding = try await services.billingReports.funding(caller, program: program, fiscalYear: year)
            let report = funding.report
            let rows: [[WorkbookSheet.Cell]] = [
                [.text("Program year"), .text("\(funding.program) FY\(funding.fiscalYear)")],
                [.text("Tenants enrolled"), .number("\(funding.enrolledTenants)")],
                [.text("Analysts"), .number("\(funding.analystHeadcount)")],
                [.text("Budget"), .cents(report.budgetCents)],
                [.text("Grants awarded"), .cents(report.grantsAwardedCents)],
                [.text("Fees invoiced, net of credit notes"), .cents(report.feesInvoicedCents)],
                [.text("Fees collected"), .cents(report.feesCollectedCents)],
                [.text("Fees outstanding"), .cents(report.feesOutstandingCents)],
                [.text("Funding gap"), .cents(report.fundingGapCents)],
                [.text("State share"), .basisPoints(report.actualStateShare.value)],
                [.text("State share, target"), .basisPoints(report.targetStateShare.value)],
                [.text("Fee share"), .basisPoints(report.actualFeeShare.value)],
                [.text("Fee share, target"), .basisPoints(report.targetFeeShare.value)],
            ]
            return ("funding-\(funding.program)-fy\(funding.fiscalYear).xlsx", [WorkbookSheet(name: "Funding", widths: [36, 18], rows: rows)])
        }
    }
}
