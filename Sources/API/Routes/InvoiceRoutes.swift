import Billing
import Domain
import Foundation
import Hummingbird
import Services
import Storage

/// A tenant's money: enrollments, invoices, payments, credit notes, the statement.
struct InvoiceRoutes {
    let services: Services

    struct NewEnrollment: Decodable {
        var program: String
        var fiscalYear: Int
        var joinedOn: CivilDate
    }

    struct EnrollmentBody: ResponseEncodable, Sendable {
        var id: UUID
        var tenantId: UUID
        var program: String
        var fiscalYear: Int
        var joinedOn: CivilDate
    }

    struct InvoiceBody: ResponseEncodable, Sendable {
        var id: UUID
        var tenantId: UUID
        var enrollmentId: UUID
        var program: String
        var fiscalYear: Int
        var status: String
        var number: String?
        var annualFeeCents: Int64
        var billedDays: Int
        var yearDays: Int
        var amountCents: Int64
        var paidCents: Int64
        var creditedCents: Int64
        var openCents: Int64
        var issuedOn: CivilDate?
        var dueOn: CivilDate?

        init(_ invoice: InvoiceRecord) {
            id = invoice.id
            tenantId = invoice.tenantID
            enrollmentId = invoice.enrollmentID
            program = invoice.programCode
            fiscalYear = invoice.fiscalYear
            status = invoice.status.rawValue
            number = invoice.number
            annualFeeCents = invoice.annualFeeCents
            billedDays = invoice.billedDays
            yearDays = invoice.yearDays
            amountCents = invoice.amountCents
            paidCents = invoice.paidCents
            creditedCents = invoice.creditedCents
            openCents = invoice.openCents
            issuedOn = invoice.issuedOn
            dueOn = invoice.dueOn
        }
    }

    struct Finalization: Decodable {
        var issuedOn: CivilDate?
        var dueInDays: Int?
    }

    struct NewPayment: Decodable {
        var amountCents: Int64
        var method: String
        var reference: String?
        var receivedOn: CivilDate?
    }

    struct NewCreditNote: Decodable {
        var amountCents: Int64
        var reason: String
        var issuedOn: CivilDate?
    }

    struct PaymentBody: Encodable, Sendable {
        var id: UUID
        var invoiceId: UUID
        var amountCents: Int64
        var method: String
        var reference: String
        var receivedOn: CivilDate
    }

    struct CreditNoteBody: Encodable, Sendable {
        var id: UUID
        var invoiceId: UUID
        var amountCents: Int64
        var reason: String
        var issuedOn: CivilDate
    }

    struct StatementBody: ResponseEncodable, Sendable {
        var tenantId: UUID
        var invoices: [InvoiceBody]
        var payments: [PaymentBody]
        var creditNotes: [CreditNoteBody]
        var invoicedCents: Int64
        var paidCents: Int64
        var creditedCents: Int64
        var balanceCents: Int64
    }

    func register(on group: RouterGroup<SignedInContext>) {
        group.post("/tenants/{t}/enrollments") { request, context in
            let tenantID = try request.uuidParameter("t", context: context)
            let body = try await request.decodeJSON(as: NewEnrollment.self, context: context)
            let enrollment = try await services.invoices.enroll(
                context.caller, tenantID, .init(program: body.program, fiscalYear: body.fiscalYear, joinedOn: body.joinedOn)
            )
            return try Response.created(
                EnrollmentBody(
                    id: enrollment.id, tenantId: tenantID, program: enrollment.programCode, fiscalYear: enrollment.fiscalYear,
                    joinedOn: enrollment.joinedOn
                ),
                context: context, request: request
            )
        }
        group.get("/tenants/{t}/invoices") { request, context in
            let tenantID = try request.uuidParameter("t", context: context)
            let page = try PageRequest(request)
            let cursor = try page.cursor.map(Self.decodeCursor)
            let invoices = try await services.invoices.list(context.caller, tenantID, after: cursor, limit: page.limit + 1)
            return page.page(invoices.map(InvoiceBody.init)) { "\($0.fiscalYear)|\($0.id.uuidString)" }
        }
        group.get("/tenants/{t}/invoices/{id}") { request, context in
            let (tenantID, invoiceID) = try Self.ids(request, context)
            return InvoiceBody(try await services.invoices.read(context.caller, tenantID, invoiceID))
        }
        group.post("/tenants/{t}/invoices/{id}/finalize") { request, context in
            let (tenantID, invoiceID) = try Self.ids(request, context)
            let bytes = try await request.collectJSONBody(context: context)
            let options = bytes.readableBytes == 0 ? Finalization() : try request.decodeJSON(as: Finalization.self, from: bytes, context: context)
            let outcome = try await services.invoices.finalize(
                context.caller, tenantID, invoiceID, .init(issuedOn: options.issuedOn, dueInDays: options.dueInDays),
                idempotency: try Idempotency.command(of: request, body: bytes), render: Self.render
            )
            return Idempotency.response(outcome)
        }
        group.post("/tenants/{t}/invoices/{id}/void") { request, context in
            let (tenantID, invoiceID) = try Self.ids(request, context)
            let bytes = try await request.collectJSONBody(context: context)
            let outcome = try await services.invoices.void(
                context.caller, tenantID, invoiceID, idempotency: try Idempotency.command(of: request, body: bytes), render: Self.render
            )
            return Idempotency.response(outcome)
        }
        group.post("/tenants/{t}/invoices/{id}/payments") { request, context in
            let (tenantID, invoiceID) = try Self.ids(request, context)
            let bytes = try await request.collectJSONBody(context: context)
            let input = try request.decodeJSON(as: NewPayment.self, from: bytes, context: context)
            let outcome = try await services.invoices.pay(
                context.caller, tenantID, invoiceID,
                .init(amountCents: input.amountCents, method: input.method, reference: input.reference, receivedOn: input.receivedOn),
                idempotency: try Idempotency.command(of: request, body: bytes), render: Self.render
            )
            return Idempotency.response(outcome)
        }
        group.post("/tenants/{t}/invoices/{id}/credit-notes") { request, context in
            let (tenantID, invoiceID) = try Self.ids(request, context)
            let bytes = try await request.collectJSONBody(context: context)
            let input = try request.decodeJSON(as: NewCreditNote.self, from: bytes, context: context)
            let outcome = try await services.invoices.credit(
                context.caller, tenantID, invoiceID, .init(amountCents: input.amountCents, reason: input.reason, issuedOn: input.issuedOn),
                idempotency: try Idempotency.command(of: request, body: bytes), render: Self.render
            )
            return Idempotency.response(outcome)
        }
        group.get("/tenants/{t}/statement") { request, context in
            let tenantID = try request.uuidParameter("t", context: context)
            return StatementBody(try await services.invoices.statement(context.caller, tenantID))
        }
    }

    /// The answer of every money-moving invoice POST: the invoice after the change.
    @Sendable static func render(_ invoice: InvoiceRecord) throws -> String {
        try Idempotency.render(InvoiceBody(invoice))
    }

    static func ids(_ request: Request, _ context: some RequestContext) throws -> (UUID, UUID) {
        (try request.uuidParameter("t", context: context), try request.uuidParameter("id", context: context))
    }

    /// A keyset cursor of the invoice list: the fiscal year and the id, `2015|…`.
    static func decodeCursor(_ key: String) throws -> (Int, UUID) {
        let parts = key.split(separator: "|")
        guard parts.count == 2, let year = Int(parts[0]), (2000...2200).contains(year), let id = UUID(uuidString: String(parts[1])) else {
            throw Cursor.noSuchPage
        }
        return (year, id)
    }
}

extension InvoiceRoutes.StatementBody {
    init(_ statement: InvoiceService.TenantStatement) {
        tenantId = statement.tenantID
        invoices = statement.invoices.map(InvoiceRoutes.InvoiceBody.init)
        payments = statement.payments.map { payment in
            InvoiceRoutes.PaymentBody(
                id: payment.id, invoiceId: payment.invoiceID, amountCents: payment.amountCents, method: payment.method.rawValue,
                reference: payment.reference, receivedOn: payment.receivedOn
            )
        }
        creditNotes = statement.creditNotes.map { note in
            InvoiceRoutes.CreditNoteBody(
                id: note.id, invoiceId: note.invoiceID, amountCents: note.amountCents, reason: note.reason, issuedOn: note.issuedOn
            )
        }
        invoicedCents = statement.totals.invoicedCents
        paidCents = statement.totals.paidCents
        creditedCents = statement.totals.creditedCents
        balanceCents = statement.totals.balanceCents
    }
}
