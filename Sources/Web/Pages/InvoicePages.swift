import Billing
import Domain
import Foundation
import Hummingbird
import Services
import Storage

/// The Center's invoices (Center admins): the list across tenants by standing and program
/// year, a page at a time, as CSV too; and an invoice run for a program year.
struct InvoicePages {
    let console: Console

    var services: Services { console.services }

    func register<Context: ConsoleRequestContext>(on router: Router<Context>) {
        router.get("/invoices") { request, context in
            await list(request, clientAddress: context.clientAddress)
        }
        router.get("/invoices.csv") { request, context in
            await csv(request, clientAddress: context.clientAddress)
        }
        router.post("/invoices/runs") { request, context in
            try await run(request, clientAddress: context.clientAddress, context: context)
        }
    }

    static let standingWords: [InvoiceStanding: String] = [
        .draft: "Draft", .open: "Open", .pastDue: "Past due", .paid: "Paid", .void: "Void",
    ]

    /// The list's filter as the query string gives it, with an error per field it cannot read.
    struct Filter {
        var standing = ""
        var program = ""
        var fiscalYear = ""
        var asOf = ""
        var after: UUID?
        var errors: [String: String] = [:]

        init(_ request: Request) {
            let query = request.uri.queryParameters
            standing = query["standing"].map(String.init) ?? ""
            program = query["program"].map(String.init) ?? ""
            fiscalYear = query["fy"].map(String.init) ?? ""
            asOf = query["asOf"].map(String.init) ?? ""
            after = query["after"].flatMap { UUID(uuidString: String($0)) }
            if !standing.isEmpty, InvoiceStanding(rawValue: standing) == nil { errors["standing"] = "Standing must be one of the choices." }
            if !fiscalYear.isEmpty, Int(fiscalYear).map({ (1901...2199).contains($0) }) != true {
                errors["fy"] = "Fiscal year must be a year from 1901 to 2199, such as 2015."
            }
            if !asOf.isEmpty, CivilDate(iso8601: asOf).map({ CivilDate.supportedRange.contains($0) }) != true {
                errors["asOf"] = "As of must be a day from 1900-01-01 to 2199-12-31, such as 2015-08-31."
            }
        }

        func query(limit: Int) -> InvoiceService.LedgerQuery {
            InvoiceService.LedgerQuery(
                standing: InvoiceStanding(rawValue: standing), program: program.isEmpty ? nil : program, fiscalYear: Int(fiscalYear),
                asOf: CivilDate(iso8601: asOf), after: after, limit: limit
            )
        }

        /// The query string of this filter, with `standing` and `after` as given.
        func link(standing: String? = nil, after: UUID? = nil, path: String = "/invoices") -> String {
            let pairs = [("standing", standing ?? self.standing), ("program", program), ("fy", fiscalYear), ("asOf", asOf)]
                .filter { !$0.1.isEmpty } + (after.map { [("after", $0.uuidString.lowercased())] } ?? [])
            return Pages.link(path, pairs)
        }

        func fields(programs: [String]) -> [Field] {
            var fields = [
                Field(
                    name: "standing", label: "Standing", value: standing, required: false,
                    options: [("", "All")] + InvoiceStanding.allCases.map { ($0.rawValue, InvoicePages.standingWords[$0] ?? $0.rawValue) }
                ),
                Field(name: "program", label: "Program", value: program, required: false, options: [("", "All")] + programs.map { ($0, $0) }),
                Field(name: "fy", label: "Fiscal year", value: fiscalYear, hint: "Such as 2015; empty: all.", required: false),
                Field(name: "asOf", label: "As of", type: "date", value: asOf, hint: "The day that decides past due; empty: today.", required: false),
            ]
            for index in fields.indices { fields[index].error = errors[fields[index].name] }
            return fields
        }
    }

    func list(_ request: Request, clientAddress: String?) async -> Response {
        guard let caller = console.cookies.caller(of: request, clientAddress: clientAddress, route: "GET /invoices") else {
            return Pages.redirect(to: "/login")
        }
        let filter = Filter(request)
        guard filter.errors.isEmpty else {
            // The reader's right to the list first (the use case decides it), then the errors.
            do {
                let ledger = try await services.invoices.ledger(caller, .init(standing: nil, program: nil, fiscalYear: nil, asOf: nil, after: nil, limit: 1))
                return console.page(
                    "invoices", title: "Invoices", request: request,
                    values: ["fields": filter.fields(programs: ledger.programs).map(\.values), "wide": true, "asOf": ledger.asOf.description, "csv": "/invoices.csv"],
                    signedIn: .init(name: ledger.readerName), alerts: Array(filter.errors.values).sorted(), status: .badRequest
                )
            } catch {
                return console.errorPage(error, request: request)
            }
        }
        do {
            let ledger = try await services.invoices.ledger(caller, filter.query(limit: 50))
            return console.page(
                "invoices", title: "Invoices", request: request, values: values(ledger, filter: filter),
                signedIn: .init(name: ledger.readerName), notice: runNotice(request)
            )
        } catch {
            return console.errorPage(error, request: request)
        }
    }

    func runNotice(_ request: Request) -> String? {
        guard let drafts = request.uri.queryParameters["drafts"].flatMap({ Int(String($0)) }) else { return nil }
        return drafts == 0
            ? "The run found no enrollment without an invoice: nothing new."
            : "The run created \(drafts) draft invoice\(drafts == 1 ? "" : "s"). Check them, then finalize each to send it."
    }

    func values(_ ledger: InvoiceService.Ledger, filter: Filter) -> [String: Any] {
        var all = InvoiceStore.StandingTotal()
        for total in ledger.totals.values {
            all.count += total.count
            all.amountCents += total.amountCents
            all.openCents += total.openCents
        }
        var tabs: [[String: Any]] = [tab("All", all, standing: "", filter: filter)]
        for standing in InvoiceStanding.allCases {
            tabs.append(tab(Self.standingWords[standing] ?? standing.rawValue, ledger.totals[standing] ?? .init(), standing: standing.rawValue, filter: filter))
        }
        let lines: [[String: Any]] = ledger.lines.map { line in
            let invoice = line.invoice
            let standing = InvoiceStanding.of(status: invoice.status, dueOn: invoice.dueOn, asOf: ledger.asOf)
            return [
                "tenant": line.tenantName, "href": "/tenants/\(invoice.tenantID.uuidString.lowercased())/invoices/\(invoice.id.uuidString.lowercased())",
                "year": "\(invoice.programCode) FY\(invoice.fiscalYear)", "number": invoice.number ?? "Draft",
                "standing": Self.standingWords[standing] ?? standing.rawValue, "late": standing == .pastDue,
                "issued": invoice.issuedOn?.description ?? "—", "due": invoice.dueOn?.description ?? "—",
                "amount": Formatting.dollars(invoice.amountCents), "open": Formatting.dollars(invoice.openCents),
            ]
        }
        var values: [String: Any] = [
            "fields": filter.fields(programs: ledger.programs).map(\.values), "tabs": tabs, "lines": lines, "hasLines": !lines.isEmpty,
            "asOf": ledger.asOf.description, "csv": filter.link(path: "/invoices.csv"), "xlsx": filter.link(path: "/invoices.xlsx"), "wide": true,
            "runFields": runFields(programs: ledger.programs, program: filter.program, year: filter.fiscalYear).map(\.values),
        ]
        if let next = ledger.next { values["next"] = filter.link(after: next) }
        if filter.after != nil { values["first"] = filter.link() }
        if let funding = ledger.funding {
            values["funding"] = [
                "year": "\(filter.program) FY\(filter.fiscalYear)", "budget": Formatting.dollars(funding.budgetCents),
                "grants": Formatting.dollars(funding.grantsAwardedCents), "fees": Formatting.dollars(funding.feesInvoicedCents),
                "stateShare": Formatting.percent(funding.actualStateShare), "feeShare": Formatting.percent(funding.actualFeeShare),
                "stateTarget": Formatting.percent(funding.targetStateShare),
                "report": Pages.link("/reports/funding", [("program", filter.program), ("fy", filter.fiscalYear)]),
            ]
        }
        return values
    }

    func tab(_ label: String, _ total: InvoiceStore.StandingTotal, standing: String, filter: Filter) -> [String: Any] {
        [
            "label": label, "count": total.count, "amount": Formatting.dollars(total.amountCents), "open": Formatting.dollars(total.openCents),
            "href": filter.link(standing: standing), "current": standing == filter.standing,
        ]
    }

    func runFields(programs: [String], program: String, year: String, errors: [FieldError] = []) -> [Field] {
        var fields = [
            Field(name: "program", label: "Program", value: program, idSuffix: "-run", options: programs.map { ($0, $0) }),
            Field(name: "fy", label: "Fiscal year", value: year, autocomplete: "off", hint: "Such as 2015.", idSuffix: "-run"),
        ]
        _ = Field.placing(errors, on: &fields)
        return fields
    }

    // MARK: CSV

    func csv(_ request: Request, clientAddress: String?) async -> Response {
        guard let caller = console.cookies.caller(of: request, clientAddress: clientAddress, route: "GET /invoices.csv") else {
            return Pages.redirect(to: "/login")
        }
        let filter = Filter(request)
        if let reason = filter.errors.values.sorted().first {
            return console.errorPage(ServiceError.malformed(field: "query", reason: reason), request: request)
        }
        do {
            var lines = ["tenant,program,fiscal year,number,standing,issued on,due on,amount,paid,credited,open"]
            let export = try await services.invoices.ledgerExport(caller, filter.query(limit: 1))
            for line in export.lines {
                let invoice = line.invoice
                let standing = InvoiceStanding.of(status: invoice.status, dueOn: invoice.dueOn, asOf: export.asOf)
                lines.append(
                    CSVField.line([
                        line.tenantName, invoice.programCode, "\(invoice.fiscalYear)", invoice.number ?? "", standing.rawValue,
                        invoice.issuedOn?.description ?? "", invoice.dueOn?.description ?? "", Formatting.decimalDollars(invoice.amountCents),
                        Formatting.decimalDollars(invoice.paidCents), Formatting.decimalDollars(invoice.creditedCents),
                        Formatting.decimalDollars(invoice.openCents),
                    ])
                )
            }
            return CSVField.response(lines, filename: "invoices.csv")
        } catch {
            return console.errorPage(error, request: request)
        }
    }

    // MARK: An invoice run

    func run(_ request: Request, clientAddress: String?, context: some RequestContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        guard console.cookies.acceptsForm(request, field: form["csrf"]) else { return console.refusedForm(request, form: form) }
        guard let caller = console.cookies.caller(of: request, clientAddress: clientAddress, route: "POST /invoices/runs") else {
            return Pages.redirect(to: "/login")
        }
        let program = form["program"] ?? ""
        let yearText = (form["fy"] ?? "").trimmingCharacters(in: .whitespaces)
        do {
            guard let year = Int(yearText), (1901...2199).contains(year) else {
                throw ServiceError.invalid("fy", "must be a year from 1901 to 2199, such as 2015")
            }
            let result = try await services.invoiceRuns.run(caller, program: program, fiscalYear: year, idempotency: nil) { _ in "" }
            guard case .fresh(let run, _, _) = result else { return Pages.redirect(to: "/invoices") }
            return Pages.redirect(
                to: Pages.link("/invoices", [("standing", "draft"), ("program", run.program), ("fy", "\(run.fiscalYear)"), ("drafts", "\(run.draftsCreated)")])
            )
        } catch ServiceError.invalid(let failures), ServiceError.unresolved(let failures) {
            return await runRefused(request, caller: caller, program: program, year: yearText, failures: failures)
        } catch ServiceError.notFound {
            return await runRefused(
                request, caller: caller, program: program, year: yearText,
                failures: [FieldError(field: "fy", reason: "is not a year of program \(program) yet; add the program year first")]
            )
        } catch ServiceError.conflict(let detail) {
            return await runRefused(request, caller: caller, program: program, year: yearText, failures: [FieldError(field: "fy", reason: "cannot be invoiced: \(detail)")])
        } catch {
            return console.errorPage(error, request: request)
        }
    }

    /// The list again, the run's form with its errors beside its fields.
    func runRefused(_ request: Request, caller: Caller, program: String, year: String, failures: [FieldError]) async -> Response {
        do {
            let ledger = try await services.invoices.ledger(caller, Filter(request).query(limit: 50))
            var values = values(ledger, filter: Filter(request))
            let fields = runFields(programs: ledger.programs, program: program, year: year, errors: failures)
            values["runFields"] = fields.map(\.values)
            return console.page(
                "invoices", title: "Invoices", request: request, values: values, signedIn: .init(name: ledger.readerName),
                alerts: fields.compactMap(\.error), status: .unprocessableContent
            )
        } catch {
            return console.errorPage(error, request: request)
        }
    }
}
