import Billing
import Domain
import Foundation
import Hummingbird
import Services
import Storage

/// The Center's reports (Center admins): the aging of open invoices and a program year's
/// funding. Both are reads: their forms are GET forms, bookmarkable, with no state to change.
struct ReportPages {
    let console: Console

    var services: Services { console.services }

    func register<Context: ConsoleRequestContext>(on router: Router<Context>) {
        router.get("/reports/aging") { request, context in
            await aging(request, clientAddress: context.clientAddress)
        }
        router.get("/reports/funding") { request, context in
            await funding(request, clientAddress: context.clientAddress)
        }
    }

    static let bucketWords: [AgingBucket: String] = [
        .current: "Not yet due", .days1To30: "1 to 30 days", .days31To60: "31 to 60 days", .days61To90: "61 to 90 days",
        .over90: "More than 90 days",
    ]

    func aging(_ request: Request, clientAddress: String?) async -> Response {
        guard let caller = console.cookies.caller(of: request, clientAddress: clientAddress, route: "GET /reports/aging") else {
            return Pages.redirect(to: "/login")
        }
        let asOfText = request.uri.queryParameters["asOf"].map(String.init) ?? ""
        var field = Field(name: "asOf", label: "As of", type: "date", value: asOfText, hint: "Empty: today.", required: false)
        var asOf: CivilDate?
        if !asOfText.isEmpty {
            guard let day = CivilDate(iso8601: asOfText), CivilDate.supportedRange.contains(day) else {
                field.error = "As of must be a day from 1900-01-01 to 2199-12-31, such as 2015-06-30."
                return console.page(
                    "report-aging", title: "Aging of open invoices", request: request,
                    values: ["fields": [field.values], "asOf": "—", "buckets": [], "total": "—", "lineCount": 0, "hasLines": false],
                    signedIn: .init(name: ""), alerts: [field.error ?? ""], status: .badRequest
                )
            }
            asOf = day
        }
        do {
            let report = try await services.billingReports.aging(caller, asOf: asOf)
            let buckets: [[String: Any]] = AgingBucket.allCases.map {
                ["label": Self.bucketWords[$0] ?? $0.rawValue, "amount": Formatting.dollars(report.totals.cents[$0] ?? 0)]
            }
            let lines: [[String: Any]] = report.lines.map { line in
                [
                    "tenant": line.invoice.tenantName, "tenantID": line.invoice.tenantID.uuidString.lowercased(),
                    "invoiceID": line.invoice.invoiceID.uuidString.lowercased(), "number": line.invoice.number,
                    "dueOn": line.invoice.dueOn.description, "bucket": Self.bucketWords[line.bucket] ?? line.bucket.rawValue,
                    "open": Formatting.dollars(line.invoice.openCents),
                ]
            }
            return console.page(
                "report-aging", title: "Aging of open invoices", request: request,
                values: [
                    "fields": [field.values], "asOf": report.asOf.description, "buckets": buckets,
                    "total": Formatting.dollars(report.totals.totalCents), "lines": lines, "lineCount": lines.count, "hasLines": !lines.isEmpty,
                    "wide": true,
                ],
                signedIn: .init(name: "")
            )
        } catch {
            return console.errorPage(error, request: request)
        }
    }

    func funding(_ request: Request, clientAddress: String?) async -> Response {
        guard let caller = console.cookies.caller(of: request, clientAddress: clientAddress, route: "GET /reports/funding") else {
            return Pages.redirect(to: "/login")
        }
        let program = request.uri.queryParameters["program"].map(String.init) ?? ""
        let yearText = request.uri.queryParameters["fy"].map(String.init) ?? ""
        var fields = [
            Field(name: "program", label: "Program", value: program, hint: "Its code, such as MPMP."),
            Field(name: "fy", label: "Fiscal year", value: yearText, hint: "Such as 2015."),
        ]
        let title = "Program funding"
        guard !program.isEmpty || !yearText.isEmpty else {
            return console.page("report-funding", title: title, request: request, values: ["fields": fields.map(\.values)], signedIn: .init(name: ""))
        }
        guard let year = Int(yearText), (2000...2200).contains(year) else {
            fields[1].error = "Fiscal year must be a year from 2000 to 2200, such as 2015."
            return console.page(
                "report-funding", title: title, request: request, values: ["fields": fields.map(\.values)], signedIn: .init(name: ""),
                alerts: [fields[1].error ?? ""], status: .badRequest
            )
        }
        do {
            let funding = try await services.billingReports.funding(caller, program: program, fiscalYear: year)
            let report = funding.report
            let values: [String: Any] = [
                "program": funding.program, "fiscalYear": funding.fiscalYear, "enrolled": funding.enrolledTenants,
                "analysts": funding.analystHeadcount, "budget": Formatting.dollars(report.budgetCents),
                "grants": Formatting.dollars(report.grantsAwardedCents), "invoiced": Formatting.dollars(report.feesInvoicedCents),
                "collected": Formatting.dollars(report.feesCollectedCents), "outstanding": Formatting.dollars(report.feesOutstandingCents),
                "gap": Formatting.dollars(report.fundingGapCents), "stateActual": Formatting.percent(report.actualStateShare),
                "stateTarget": Formatting.percent(report.targetStateShare), "feeActual": Formatting.percent(report.actualFeeShare),
                "feeTarget": Formatting.percent(report.targetFeeShare),
            ]
            return console.page(
                "report-funding", title: title, request: request, values: ["fields": fields.map(\.values), "report": values],
                signedIn: .init(name: "")
            )
        } catch ServiceError.notFound(let detail) {
            fields[0].error = detail
            return console.page(
                "report-funding", title: title, request: request, values: ["fields": fields.map(\.values)], signedIn: .init(name: ""),
                alerts: [detail], status: .notFound
            )
        } catch {
            return console.errorPage(error, request: request)
        }
    }
}
