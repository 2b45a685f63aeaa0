import Billing
import Domain
import Foundation
import Hummingbird
import Services
import Storage

/// Billing pages: so far the printable invoice, the page a finalized invoice's mail links to.
struct BillingPages {
    let console: Console

    var services: Services { console.services }

    func register<Context: ConsoleRequestContext>(on router: Router<Context>) {
        router.get("/tenants/{t}/invoices/{id}") { request, context in
            await invoice(
                request, tenant: context.parameters.get("t") ?? "", invoice: context.parameters.get("id") ?? "",
                clientAddress: context.clientAddress
            )
        }
    }

    static let statusWords: [InvoiceStatus: String] = [
        .draft: "Draft (not yet issued)", .finalized: "Issued, awaiting payment", .paid: "Paid", .void: "Void",
    ]

    func invoice(_ request: Request, tenant tenantText: String, invoice invoiceText: String, clientAddress: String?) async -> Response {
        guard let caller = console.cookies.caller(of: request, clientAddress: clientAddress, route: "GET /tenants/{t}/invoices/{id}") else {
            return Pages.redirect(to: "/login")
        }
        guard let tenantID = UUID(uuidString: tenantText), let invoiceID = UUID(uuidString: invoiceText) else {
            return console.errorPage(ServiceError.notFound, request: request)
        }
        do {
            let printable = try await services.invoices.printable(caller, tenantID, invoiceID)
            let invoice = printable.invoice
            var values: [String: Any] = [
                "status": Self.statusWords[invoice.status] ?? invoice.status.rawValue,
                "tenant": printable.tenant.name,
                "program": invoice.programCode,
                "fiscalYear": invoice.fiscalYear,
                "annualFee": Formatting.dollars(invoice.annualFeeCents),
                "amount": Formatting.dollars(invoice.amountCents),
                "paid": Formatting.dollars(invoice.paidCents),
                "credited": Formatting.dollars(invoice.creditedCents),
                "open": Formatting.dollars(invoice.balance.openCents),
                "prorated": invoice.billedDays != invoice.yearDays,
                "billedDays": invoice.billedDays,
                "yearDays": invoice.yearDays,
            ]
            if let number = invoice.number { values["number"] = number }
            if let issued = invoice.issuedOn { values["issuedOn"] = issued.description }
            if let due = invoice.dueOn { values["dueOn"] = due.description }
            if let contact = printable.tenant.billingEmail { values["billingEmail"] = contact }
            let title = invoice.number.map { "Invoice \($0)" } ?? "Draft invoice"
            return console.page("invoice", title: "\(title) · \(printable.tenant.name)", request: request, values: values, signedIn: .init(name: printable.readerName))
        } catch {
            return console.errorPage(error, request: request)
        }
    }
}
