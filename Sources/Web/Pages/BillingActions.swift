import Billing
import Domain
import Foundation
import Hummingbird
import Services
import Storage

/// The forms that move an invoice's money: read, check the CSRF token, call the one use
/// case with the form's idempotency key, then back to the invoice (POST, redirect, GET),
/// or the invoice again with the errors beside the form's fields.
extension BillingPages {
    func act(
        _ action: MoneyAction, _ request: Request, tenant tenantText: String, invoice invoiceText: String, clientAddress: String?,
        context: some RequestContext
    ) async throws -> Response {
        let form = try await Form.read(request, context: context)
        guard console.cookies.acceptsForm(request, field: form["csrf"]) else { return console.refusedForm(request, form: form) }
        let route = "POST /tenants/{t}/invoices/{id}/\(action.rawValue)"
        guard let caller = console.cookies.caller(of: request, clientAddress: clientAddress, route: route) else { return Pages.redirect(to: "/login") }
        guard let tenantID = UUID(uuidString: tenantText), let invoiceID = UUID(uuidString: invoiceText) else {
            return console.errorPage(ServiceError.notFound, request: request)
        }
        let path = "/tenants/\(tenantID.uuidString.lowercased())/invoices/\(invoiceID.uuidString.lowercased())"
        // Money forms carry their key: one without is refused, never done without the guard.
        guard let key = form.idempotency(action: "\(path)/\(action.rawValue)") else { return console.refusedForm(request, form: form) }
        func again(_ failures: [FieldError], alerts: [String] = [], status: HTTPResponse.Status) async -> Response {
            await invoice(
                request, tenant: tenantText, invoice: invoiceText, clientAddress: clientAddress,
                failed: Failed(action: action, sent: form, failures: failures), alerts: alerts, status: status
            )
        }
        do {
            let ignore: IdempotentRenderer<InvoiceRecord> = { _ in "" }
            switch action {
            case .finalize:
                var failures: [FieldError] = []
                let days = Self.integer(form["dueInDays"], field: "dueInDays", failures: &failures)
                let issuedOn = Self.day(form["issuedOn"], field: "issuedOn", failures: &failures)
                guard failures.isEmpty else { return await again(failures, status: .unprocessableContent) }
                _ = try await services.invoices.finalize(caller, tenantID, invoiceID, .init(issuedOn: issuedOn, dueInDays: days), idempotency: key, render: ignore)
            case .payments:
                var failures: [FieldError] = []
                let cents = Self.cents(form["amount"], failures: &failures)
                let receivedOn = Self.day(form["receivedOn"], field: "receivedOn", failures: &failures)
                guard failures.isEmpty, let cents else { return await again(failures, status: .unprocessableContent) }
                let reference = form["reference"].flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
                _ = try await services.invoices.pay(
                    caller, tenantID, invoiceID, .init(amountCents: cents, method: form["method"] ?? "", reference: reference, receivedOn: receivedOn),
                    idempotency: key, render: ignore
                )
            case .creditNotes:
                var failures: [FieldError] = []
                let cents = Self.cents(form["amount"], failures: &failures)
                guard failures.isEmpty, let cents else { return await again(failures, status: .unprocessableContent) }
                _ = try await services.invoices.credit(
                    caller, tenantID, invoiceID, .init(amountCents: cents, reason: form["reason"] ?? "", issuedOn: nil), idempotency: key, render: ignore
                )
            case .void:
                _ = try await services.invoices.void(caller, tenantID, invoiceID, idempotency: key, render: ignore)
            }
            return Pages.redirect(to: Pages.link(path, [("done", action.rawValue)]))
        } catch ServiceError.invalid(let failures), ServiceError.unresolved(let failures) {
            return await again(failures, status: .unprocessableContent)
        } catch ServiceError.conflict(let detail) {
            return await again([], alerts: [detail], status: .conflict)
        } catch {
            return console.errorPage(error, request: request)
        }
    }

    /// A whole number typed in a field; nil (the use case's default) when empty.
    static func integer(_ text: String?, field: String, failures: inout [FieldError]) -> Int? {
        let trimmed = (text ?? "").trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return nil }
        guard let value = Int(trimmed) else {
            failures.append(FieldError(field: field, reason: "must be a whole number"))
            return nil
        }
        return value
    }

    /// A day from a date field; nil (today) when empty.
    static func day(_ text: String?, field: String, failures: inout [FieldError]) -> CivilDate? {
        let trimmed = (text ?? "").trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return nil }
        guard let day = CivilDate(iso8601: trimmed), CivilDate.supportedRange.contains(day) else {
            failures.append(FieldError(field: field, reason: "must be a day from 1900-01-01 to 2199-12-31, such as 2015-08-31"))
            return nil
        }
        return day
    }

    /// Dollars and cents as a person types them (`DollarAmount`'s rule).
    static func cents(_ text: String?, failures: inout [FieldError]) -> Int64? {
        do throws(DollarAmount.Refusal) {
            return try DollarAmount.cents(text ?? "")
        } catch {
            let reason =
                switch error {
                case .empty: "is needed"
                case .notAnAmount: "must be an amount in dollars, such as 1,250.00"
                case .tooManyDecimals: "has more than two decimals; amounts are in dollars and cents"
                case .tooLarge: "is too large"
                }
            failures.append(FieldError(field: "amount", reason: reason))
            return nil
        }
    }
}
