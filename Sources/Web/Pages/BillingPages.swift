import Billing
import Domain
import Foundation
import Hummingbird
import Services
import Storage

/// An invoice: the printable page a finalized invoice's mail links to, with its payments
/// and credit notes; for Center admins, the forms that move its money (finalize, record a
/// payment, issue a credit note, void), each done once however often it is sent.
struct BillingPages {
    let console: Console

    var services: Services { console.services }

    func register<Context: ConsoleRequestContext>(on router: Router<Context>) {
        router.get("/tenants/{t}/invoices") { request, context in
            await statement(request, tenant: context.parameters.get("t") ?? "", clientAddress: context.clientAddress)
        }
        router.post("/tenants/{t}/enrollments") { request, context in
            try await enroll(request, tenant: context.parameters.get("t") ?? "", clientAddress: context.clientAddress, context: context)
        }
        router.get("/tenants/{t}/invoices/{id}") { request, context in
            await invoice(request, tenant: context.parameters.get("t") ?? "", invoice: context.parameters.get("id") ?? "", clientAddress: context.clientAddress)
        }
        for action in MoneyAction.allCases {
            router.post("/tenants/{t}/invoices/{id}/\(action.rawValue)") { request, context in
                try await act(
                    action, request, tenant: context.parameters.get("t") ?? "", invoice: context.parameters.get("id") ?? "",
                    clientAddress: context.clientAddress, context: context
                )
            }
        }
    }

    /// The forms of an invoice page, by the path each posts to.
    enum MoneyAction: String, CaseIterable {
        case finalize
        case payments
        case creditNotes = "credit-notes"
        case void

        var done: String {
            switch self {
            case .finalize: "The invoice is finalized and numbered, and its mail is on its way to the town."
            case .payments: "The payment is recorded."
            case .creditNotes: "The credit note is issued."
            case .void: "The invoice is void. It keeps its number and owes nothing."
            }
        }
    }

    static let statusWords: [InvoiceStatus: String] = [
        .draft: "Draft (not yet issued)", .finalized: "Issued, awaiting payment", .paid: "Paid", .void: "Void",
    ]

    static let methodWords: [PaymentRecord.Method: String] = [.check: "Check", .ach: "ACH transfer", .purchaseOrder: "Purchase order", .other: "Other"]

    /// A form that came back with errors: which one, what was sent, what is wrong.
    struct Failed {
        var action: MoneyAction
        var sent: Form
        var failures: [FieldError]
    }

    func invoice(
        _ request: Request, tenant tenantText: String, invoice invoiceText: String, clientAddress: String?, failed: Failed? = nil,
        alerts: [String] = [], status: HTTPResponse.Status = .ok
    ) async -> Response {
        guard let caller = console.cookies.caller(of: request, clientAddress: clientAddress, route: "GET /tenants/{t}/invoices/{id}") else {
            return Pages.redirect(to: "/login")
        }
        guard let tenantID = UUID(uuidString: tenantText), let invoiceID = UUID(uuidString: invoiceText) else {
            return console.errorPage(ServiceError.notFound, request: request)
        }
        do {
            let printable = try await services.invoices.printable(caller, tenantID, invoiceID)
            var values = Self.values(printable)
            var fieldErrors: [String] = []
            if printable.mayManage {
                let forms = actionForms(printable, failed: failed)
                values["actions"] = forms.map(\.values)
                values["hasActions"] = !forms.isEmpty
                values["mayManage"] = true
                fieldErrors = forms.flatMap(\.errors)
            }
            let title = printable.invoice.number.map { "Invoice \($0)" } ?? "Draft invoice"
            let done = request.uri.queryParameters["done"].flatMap { MoneyAction(rawValue: String($0)) }
            return console.page(
                "invoice", title: "\(title) · \(printable.tenant.name)", request: request, values: values,
                signedIn: .init(name: printable.readerName), alerts: alerts + fieldErrors, notice: done?.done, status: status
            )
        } catch {
            return console.errorPage(error, request: request)
        }
    }

    /// A town's invoices and account (its CEO, its analysts, the Center): issued invoices,
    /// newest program year first, each linked to its printable page.
    func statement(
        _ request: Request, tenant text: String, clientAddress: String?, sent: Form? = nil, failures: [FieldError] = [], status: HTTPResponse.Status = .ok
    ) async -> Response {
        guard let caller = console.cookies.caller(of: request, clientAddress: clientAddress, route: "GET /tenants/{t}/invoices") else {
            return Pages.redirect(to: "/login")
        }
        guard let tenantID = UUID(uuidString: text) else { return console.errorPage(ServiceError.notFound, request: request) }
        do {
            let page = try await services.invoices.statementPage(caller, tenantID)
            let totals = page.statement.totals
            let tenant = tenantID.uuidString.lowercased()
            let invoices: [[String: Any]] = page.statement.invoices.map { invoice in
                let standing = InvoiceStanding.of(status: invoice.status, dueOn: invoice.dueOn, asOf: page.asOf)
                return [
                    "number": invoice.number ?? "Draft", "href": "/tenants/\(tenant)/invoices/\(invoice.id.uuidString.lowercased())",
                    "year": "\(invoice.programCode) FY\(invoice.fiscalYear)", "standing": InvoicePages.standingWords[standing] ?? standing.rawValue,
                    "late": standing == .pastDue, "due": invoice.dueOn?.description ?? "—", "amount": Formatting.dollars(invoice.amountCents),
                    "open": Formatting.dollars(invoice.openCents),
                ]
            }
            var fields = [
                Field(name: "program", label: "Program", value: sent?["program"] ?? page.programs.first ?? "", idSuffix: "-enroll", options: page.programs.map { ($0, $0) }),
                Field(name: "fiscalYear", label: "Fiscal year", value: sent?["fiscalYear"] ?? "", autocomplete: "off", hint: "Such as 2015.", idSuffix: "-enroll"),
                Field(name: "joinedOn", label: "Joined on", type: "date", value: sent?["joinedOn"] ?? "", hint: "A town that joins after the year starts pays for the days left.", idSuffix: "-enroll"),
            ]
            let general = Field.placing(failures, on: &fields)
            var values: [String: Any] = [
                "invoiced": Formatting.dollars(totals.invoicedCents), "paid": Formatting.dollars(totals.paidCents),
                "credited": Formatting.dollars(totals.creditedCents), "balance": Formatting.dollars(totals.balanceCents),
                "invoices": invoices, "hasInvoices": !invoices.isEmpty, "mayManage": page.mayManage, "tenantID": tenant,
            ]
            if !page.programs.isEmpty {
                values["enrollFields"] = fields.map(\.values)
                values["mayEnroll"] = true
            }
            let enrolled = request.uri.queryParameters["enrolled"].map { "Enrolled in \($0). Run invoicing for that year to bill it." }
            return console.page(
                "statement", title: "\(page.tenantName): invoices", request: request, values: values, signedIn: .init(name: page.readerName),
                alerts: general + fields.compactMap(\.error), notice: enrolled, status: status
            )
        } catch {
            return console.errorPage(error, request: request)
        }
    }

    /// Enrolls the town in a program year (Center admins), from its invoices page.
    func enroll(_ request: Request, tenant text: String, clientAddress: String?, context: some RequestContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        guard console.cookies.acceptsForm(request, field: form["csrf"]) else { return console.refusedForm(request, form: form) }
        guard let caller = console.cookies.caller(of: request, clientAddress: clientAddress, route: "POST /tenants/{t}/enrollments") else {
            return Pages.redirect(to: "/login")
        }
        guard let tenantID = UUID(uuidString: text) else { return console.errorPage(ServiceError.notFound, request: request) }
        var failures: [FieldError] = []
        let year = Self.integer(form["fiscalYear"], field: "fiscalYear", failures: &failures)
        let joinedOn = Self.day(form["joinedOn"], field: "joinedOn", failures: &failures)
        if year == nil, failures.isEmpty { failures.append(FieldError(field: "fiscalYear", reason: "is needed")) }
        if joinedOn == nil, !failures.contains(where: { $0.field == "joinedOn" }) { failures.append(FieldError(field: "joinedOn", reason: "is needed")) }
        guard failures.isEmpty, let year, let joinedOn else {
            return await statement(request, tenant: text, clientAddress: clientAddress, sent: form, failures: failures, status: .unprocessableContent)
        }
        do {
            let program = form["program"] ?? ""
            _ = try await services.invoices.enroll(caller, tenantID, .init(program: program, fiscalYear: year, joinedOn: joinedOn))
            return Pages.redirect(to: Pages.link("/tenants/\(tenantID.uuidString.lowercased())/invoices", [("enrolled", "\(program) FY\(year)")]))
        } catch ServiceError.invalid(let failures), ServiceError.unresolved(let failures) {
            return await statement(request, tenant: text, clientAddress: clientAddress, sent: form, failures: failures, status: .unprocessableContent)
        } catch ServiceError.conflict(let detail) {
            return await statement(
                request, tenant: text, clientAddress: clientAddress, sent: form, failures: [FieldError(field: "fiscalYear", reason: "cannot be enrolled: \(detail)")],
                status: .conflict
            )
        } catch {
            return console.errorPage(error, request: request)
        }
    }

    static func values(_ printable: InvoiceService.Printable) -> [String: Any] {
        let invoice = printable.invoice
        var values: [String: Any] = [
            "status": statusWords[invoice.status] ?? invoice.status.rawValue, "tenant": printable.tenant.name, "program": invoice.programCode,
            "fiscalYear": invoice.fiscalYear, "annualFee": Formatting.dollars(invoice.annualFeeCents), "amount": Formatting.dollars(invoice.amountCents),
            "paid": Formatting.dollars(invoice.paidCents), "credited": Formatting.dollars(invoice.creditedCents),
            "open": Formatting.dollars(invoice.openCents), "prorated": invoice.billedDays != invoice.yearDays,
            "billedDays": invoice.billedDays, "yearDays": invoice.yearDays,
        ]
        if let number = invoice.number { values["number"] = number }
        if let issued = invoice.issuedOn { values["issuedOn"] = issued.description }
        if let due = invoice.dueOn { values["dueOn"] = due.description }
        if let contact = printable.tenant.billingEmail { values["billingEmail"] = contact }
        var history: [(date: String, what: String, cents: Int64)] = []
        for payment in printable.payments {
            let method = methodWords[payment.method] ?? payment.method.rawValue
            history.append((payment.receivedOn.description, "Payment by \(method)\(payment.reference.isEmpty ? "" : ", \(payment.reference)")", payment.amountCents))
        }
        for note in printable.creditNotes {
            history.append((note.issuedOn.description, "Credit note: \(note.reason)", note.amountCents))
        }
        history.sort { $0.date < $1.date }
        values["history"] = history.map { ["date": $0.date, "what": $0.what, "amount": Formatting.dollars($0.cents)] }
        values["hasHistory"] = !history.isEmpty
        return values
    }

    /// One action's form as the template draws it.
    struct ActionForm {
        var action: MoneyAction
        var title: String
        var intro: String
        var fields: [Field]
        var submit: String
        var danger = false
        var errors: [String] { fields.compactMap(\.error) }

        func values(path: String) -> [String: Any] {
            ["action": "\(path)/\(action.rawValue)", "title": title, "intro": intro, "fields": fields.map(\.values), "submit": submit, "danger": danger, "key": UUID().uuidString.lowercased(), "id": action.rawValue]
        }
    }

    func actionForms(_ printable: InvoiceService.Printable, failed: Failed?) -> [ActionFormValues] {
        let invoice = printable.invoice
        let path = "/tenants/\(invoice.tenantID.uuidString.lowercased())/invoices/\(invoice.id.uuidString.lowercased())"
        func sent(_ action: MoneyAction, _ name: String, _ fallback: String = "") -> String {
            failed?.action == action ? failed?.sent[name] ?? fallback : fallback
        }
        var forms: [ActionForm] = []
        switch invoice.status {
        case .draft:
            forms.append(
                ActionForm(
                    action: .finalize, title: "Finalize and send", intro: "Numbers the invoice, fixes its amounts and mails it to the town's billing contact.",
                    fields: [
                        Field(name: "dueInDays", label: "Days to pay", value: sent(.finalize, "dueInDays", "30"), autocomplete: "off", hint: "0 to 365.", idSuffix: "-finalize"),
                        Field(name: "issuedOn", label: "Issued on", type: "date", value: sent(.finalize, "issuedOn"), hint: "Empty: today.", required: false, idSuffix: "-finalize"),
                    ],
                    submit: "Finalize"
                )
            )
        case .finalized:
            forms.append(
                ActionForm(
                    action: .payments, title: "Record a payment", intro: "At most the open balance, \(Formatting.dollars(invoice.balance.openCents)).",
                    fields: [
                        Field(name: "amount", label: "Amount in dollars", value: sent(.payments, "amount"), autocomplete: "off", hint: "Such as 1,250.00.", idSuffix: "-payment"),
                        Field(name: "method", label: "Paid by", value: sent(.payments, "method", "check"), idSuffix: "-payment", options: PaymentRecord.Method.allCases.map { ($0.rawValue, Self.methodWords[$0] ?? $0.rawValue) }),
                        Field(name: "reference", label: "Check or transfer number", value: sent(.payments, "reference"), autocomplete: "off", required: false, idSuffix: "-payment"),
                        Field(name: "receivedOn", label: "Received on", type: "date", value: sent(.payments, "receivedOn"), hint: "Empty: today.", required: false, idSuffix: "-payment"),
                    ],
                    submit: "Record the payment"
                )
            )
            forms.append(
                ActionForm(
                    action: .creditNotes, title: "Issue a credit note", intro: "Lowers what the town owes; the invoice itself never changes.",
                    fields: [
                        Field(name: "amount", label: "Amount in dollars", value: sent(.creditNotes, "amount"), autocomplete: "off", idSuffix: "-credit"),
                        Field(name: "reason", label: "Reason", value: sent(.creditNotes, "reason"), autocomplete: "off", hint: "The town reads it on its statement.", idSuffix: "-credit"),
                    ],
                    submit: "Issue the credit note"
                )
            )
        case .paid, .void:
            break
        }
        if invoice.status == .draft || (invoice.status == .finalized && invoice.paidCents == 0) {
            forms.append(
                ActionForm(
                    action: .void, title: "Void", intro: "The invoice then owes nothing; a finalized one keeps its number. This cannot be undone.",
                    fields: [], submit: "Void this invoice", danger: true
                )
            )
        }
        return forms.map { form in
            var form = form
            if let failed, failed.action == form.action {
                let renamed = failed.failures.map { FieldError(field: $0.field == "amountCents" ? "amount" : $0.field, reason: $0.reason) }
                _ = Field.placing(renamed, on: &form.fields)
            }
            return ActionFormValues(values: form.values(path: path), errors: form.errors)
        }
    }

    struct ActionFormValues {
        var values: [String: Any]
        var errors: [String]
    }
}
