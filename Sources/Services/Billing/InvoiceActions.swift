import Billing
import Domain
import Foundation
import Storage

/// What moves money on an invoice (Center admins): finalizing, voiding, payments and credit
/// notes. Each runs in one transaction that claims the idempotency key, locks the invoice
/// (`FOR UPDATE`: two at once apply one after the other, each to the other's result),
/// checks the rule, writes, and records the audit event.
extension InvoiceService {
    public struct Finalization: Sendable {
        public var issuedOn: CivilDate?
        public var dueInDays: Int?

        public init(issuedOn: CivilDate? = nil, dueInDays: Int? = nil) {
            self.issuedOn = issuedOn
            self.dueInDays = dueInDays
        }
    }

    public struct NewPayment: Sendable {
        public var amountCents: Int64
        /// `check`, `ach`, `purchase_order` or `other`.
        public var method: String
        public var reference: String?
        public var receivedOn: CivilDate?

        public init(amountCents: Int64, method: String, reference: String?, receivedOn: CivilDate?) {
            self.amountCents = amountCents
            self.method = method
            self.reference = reference
            self.receivedOn = receivedOn
        }
    }

    public struct NewCreditNote: Sendable {
        public var amountCents: Int64
        public var reason: String
        public var issuedOn: CivilDate?

        public init(amountCents: Int64, reason: String, issuedOn: CivilDate?) {
            self.amountCents = amountCents
            self.reason = reason
            self.issuedOn = issuedOn
        }
    }

    public static let defaultDueInDays = 30

    /// Numbers a draft (`MPMP-FY2015-0001`, gapless per program year) and issues it, on
    /// `issuedOn` (today by default), due `dueInDays` (0 to 365, default 30) later.
    public func finalize(
        _ caller: Caller, _ tenantID: UUID, _ invoiceID: UUID, _ command: Finalization,
        idempotency: IdempotencyKey?, render: @escaping IdempotentRenderer<InvoiceRecord>
    ) async throws -> Idempotent<InvoiceRecord> {
        try await services.onInvoice(
            caller, tenantID, invoiceID, action: "invoices.finalize", status: IdempotentStatus.changed, idempotency: idempotency, render: render
        ) { work, invoice in
            var validation = Validation()
            let dueInDays =
                validation.integer(command.dueInDays ?? Self.defaultDueInDays, field: "dueInDays", in: 0...365) ?? Self.defaultDueInDays
            try validation.check()
            do throws(InvoiceBalance.Refusal) { try invoice.balance.checkFinalize() } catch { throw Self.refusal(error) }
            let invoices = work.stores.invoices
            let sequence = try await invoices.nextSequence(program: invoice.programCode, fiscalYear: invoice.fiscalYear, on: work.connection)
            guard let number = InvoiceNumber(programCode: invoice.programCode, fiscalYear: invoice.fiscalYear, sequence: sequence) else {
                throw ServiceError.conflict("Program \(invoice.programCode) FY\(invoice.fiscalYear) cannot number invoices.")
            }
            let issuedOn = command.issuedOn ?? work.today
            let finalized = try await invoices.finalize(
                invoice, number: number, issuedOn: issuedOn, dueOn: issuedOn.adding(days: dueInDays), on: work.connection
            )
            try await mailFinalized(finalized, work: work)
            return finalized
        }
    }

    /// Mails a finalized invoice to the tenant's billing contact, or, without one, to its
    /// chief executives; in the finalizing transaction, so it goes once with the invoice.
    private func mailFinalized(_ invoice: InvoiceRecord, work: Work) async throws {
        guard let tenant = try await work.stores.tenants.find(invoice.tenantID, on: work.connection) else { return }
        let recipients: [String]
        if let billingEmail = tenant.billingEmail {
            recipients = [billingEmail]
        } else {
            recipients = try await work.stores.tenants.chiefExecutiveEmails(of: invoice.tenantID, on: work.connection)
        }
        let tenantPath = invoice.tenantID.uuidString.lowercased()
        let printURL = "\(services.settings.publicBaseURL)/tenants/\(tenantPath)/invoices/\(invoice.id.uuidString.lowercased())"
        let mail = MailTemplates.invoice(invoice, tenant: tenant.name, printURL: printURL)
        try await work.stores.outbox.enqueue(recipients.map { mail.entry(to: $0, kind: "invoice") }, on: work.connection)
    }

    /// Voids a draft or a finalized invoice without payments; it keeps its number.
    public func void(
        _ caller: Caller, _ tenantID: UUID, _ invoiceID: UUID,
        idempotency: IdempotencyKey?, render: @escaping IdempotentRenderer<InvoiceRecord>
    ) async throws -> Idempotent<InvoiceRecord> {
        try await services.onInvoice(
            caller, tenantID, invoiceID, action: "invoices.void", status: IdempotentStatus.changed, idempotency: idempotency, render: render
        ) { work, invoice in
            do throws(InvoiceBalance.Refusal) { try invoice.balance.checkVoid() } catch { throw Self.refusal(error) }
            try await work.stores.invoices.setStatus(.void, of: invoice, on: work.connection)
            var voided = invoice
            voided.status = .void
            return voided
        }
    }

    /// Records a payment, never above the open balance; the last one marks the invoice paid.
    public func pay(
        _ caller: Caller, _ tenantID: UUID, _ invoiceID: UUID, _ command: NewPayment,
        idempotency: IdempotencyKey?, render: @escaping IdempotentRenderer<InvoiceRecord>
    ) async throws -> Idempotent<InvoiceRecord> {
        try await services.onInvoice(
            caller, tenantID, invoiceID, action: "payments.create", status: IdempotentStatus.created, idempotency: idempotency, render: render
        ) { work, invoice in
            var validation = Validation()
            let method = PaymentRecord.Method(rawValue: command.method)
            if method == nil { validation.fail("method", "must be check, ach, purchase_order or other") }
            let reference = validation.optionalText(command.reference, field: "reference", maximumLength: 200)
            try validation.check()
            do throws(InvoiceBalance.Refusal) { try invoice.balance.checkPayment(command.amountCents) } catch { throw Self.refusal(error) }
            let payment = PaymentRecord(
                id: UUID(), invoiceID: invoice.id, amountCents: command.amountCents, method: method ?? .other,
                reference: reference, receivedOn: command.receivedOn ?? work.today
            )
            try await work.stores.invoices.record(payment, tenantID: tenantID, by: work.userID, on: work.connection)
            var updated = invoice
            updated.paidCents += payment.amountCents
            return try await work.settle(updated, after: invoice, receiving: payment.amountCents)
        }
    }

    /// Issues a credit note, never above what is left to credit; one that clears the
    /// balance marks the invoice paid.
    public func credit(
        _ caller: Caller, _ tenantID: UUID, _ invoiceID: UUID, _ command: NewCreditNote,
        idempotency: IdempotencyKey?, render: @escaping IdempotentRenderer<InvoiceRecord>
    ) async throws -> Idempotent<InvoiceRecord> {
        try await services.onInvoice(
            caller, tenantID, invoiceID, action: "credit-notes.create", status: IdempotentStatus.created, idempotency: idempotency, render: render
        ) { work, invoice in
            var validation = Validation()
            let reason = validation.text(command.reason, field: "reason", maximumLength: 500)
            try validation.check()
            do throws(InvoiceBalance.Refusal) { try invoice.balance.checkCredit(command.amountCents) } catch { throw Self.refusal(error) }
            let note = CreditNoteRecord(
                id: UUID(), invoiceID: invoice.id, amountCents: command.amountCents, reason: reason ?? "", issuedOn: command.issuedOn ?? work.today
            )
            try await work.stores.invoices.record(note, tenantID: tenantID, by: work.userID, on: work.connection)
            var updated = invoice
            updated.creditedCents += note.amountCents
            return try await work.settle(updated, after: invoice, receiving: note.amountCents)
        }
    }

    /// A refusal of `InvoiceBalance`'s rules as the caller's answer.
    static func refusal(_ refusal: InvoiceBalance.Refusal, field: String = "amountCents") -> ServiceError {
        switch refusal {
        case .notFinalized(let status):
            .conflict("The invoice is \(status.rawValue); only a finalized invoice takes this.")
        case .notDraft(let status):
            .conflict("The invoice is \(status.rawValue) already; only a draft is finalized.")
        case .amountMustBePositive:
            .invalid(field, "must be more than zero")
        case .exceedsOpenBalance(let open):
            .unresolved(field, "is more than the open balance of \(Formatting.dollars(open)) (\(open) cents)")
        case .exceedsCreditable(let creditable):
            .unresolved(field, "is more than the \(Formatting.dollars(creditable)) (\(creditable) cents) left to credit")
        case .hasPayments:
            .conflict("The invoice has payments and cannot be voided; issue a credit note instead.")
        }
    }
}

extension Work {
    /// Marks `updated` paid when the money received on `invoice` leaves nothing open.
    fileprivate func settle(_ updated: InvoiceRecord, after invoice: InvoiceRecord, receiving cents: Int64) async throws -> InvoiceRecord {
        guard invoice.balance.statusAfter(paying: cents) == .paid else { return updated }
        try await stores.invoices.setStatus(.paid, of: invoice, on: connection)
        var paid = updated
        paid.status = .paid
        return paid
    }
}

extension Services {
    /// A money-moving use case on one invoice: the tenant must be visible (404) and the
    /// caller must manage billing (403); then, in the same transaction, the idempotency
    /// key is claimed, the invoice is read `FOR UPDATE` (404 when it is not there),
    /// `body` runs, and the success is audited as `action`.
    fileprivate func onInvoice(
        _ caller: Caller,
        _ tenantID: UUID,
        _ invoiceID: UUID,
        action: String,
        status: Int,
        idempotency: IdempotencyKey?,
        render: IdempotentRenderer<InvoiceRecord>,
        _ body: (Work, InvoiceRecord) async throws -> InvoiceRecord
    ) async throws -> Idempotent<InvoiceRecord> {
        let target = "tenants/\(tenantID)/invoices/\(invoiceID)"
        return try await inTenant(caller, tenantID, .manageBilling, target: target) { work in
            try await work.idempotent(idempotency, status: status, render: render) {
                guard let invoice = try await work.stores.invoices.invoice(invoiceID, tenantID: tenantID, lock: true, on: work.connection) else {
                    throw ServiceError.notFound("There is no such invoice.")
                }
                let result = try await body(work, invoice)
                try await work.audit(action, target: target, tenantID: tenantID)
                return result
            }
        }
    }
}
