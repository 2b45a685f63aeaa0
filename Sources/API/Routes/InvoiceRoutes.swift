import Billing
import Domain
import Foundation
import Hummingbird
import PostgresNIO
import Services
import Storage

/// A tenant's money: enrollments, invoices, payments, credit notes, the statement.
struct InvoiceRoutes {
    let backend: Backend

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
            openCents = invoice.status == .void || invoice.status == .draft ? 0 : invoice.balance.openCents
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

    struct Statement: ResponseEncodable, Sendable {
        var tenantId: UUID
        var invoices: [InvoiceBody]
        var payments: [PaymentBody]
        var creditNotes: [CreditNoteBody]
        var invoicedCents: Int64
        var paidCents: Int64
        var creditedCents: Int64
        var balanceCents: Int64
    }

    func register(on group: RouterGroup<AuthenticatedContext>) {
        group.post("/tenants/{t}/enrollments") { request, context in try await enroll(request, context) }
        group.get("/tenants/{t}/invoices") { request, context in try await list(request, context) }
        group.get("/tenants/{t}/invoices/{id}") { request, context in try await read(request, context) }
        group.post("/tenants/{t}/invoices/{id}/finalize") { request, context in try await finalize(request, context) }
        group.post("/tenants/{t}/invoices/{id}/void") { request, context in try await void(request, context) }
        group.post("/tenants/{t}/invoices/{id}/payments") { request, context in try await pay(request, context) }
        group.post("/tenants/{t}/invoices/{id}/credit-notes") { request, context in try await credit(request, context) }
        group.get("/tenants/{t}/statement") { request, context in try await statement(request, context) }
    }

    func enroll(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        let tenantID = try request.uuidParameter("t", context: context)
        let access = try await backend.accessGuard.tenant(tenantID, .onboardTenant, target: "tenants/\(tenantID)/enrollments", context: context)
        let body = try await request.decodeJSON(as: NewEnrollment.self, context: context)
        var validation = Validation()
        _ = validation.integer(body.fiscalYear, field: "fiscalYear", in: 2000...2200)
        try validation.check()
        let enrollment = try await backend.database.withTenantTransaction(access) { connection in
            guard let tenant = try await backend.tenants.find(tenantID, on: connection) else { throw Problem.notFound() }
            guard try await backend.programs.year(program: body.program, fiscalYear: body.fiscalYear, on: connection) != nil,
                let program = try await backend.programs.program(body.program, on: connection),
                let fiscalYear = try await backend.programs.fiscalYear(program: body.program, endingYear: body.fiscalYear, on: connection)
            else {
                throw Problem.validation([.init(field: "fiscalYear", reason: "there is no program year \(body.program) FY\(body.fiscalYear)")])
            }
            var validation = Validation()
            if !program.tenantKinds.isEmpty, !program.tenantKinds.contains(tenant.kindCode) {
                validation.fail("program", "\(program.code) does not take tenants of kind \(tenant.kindCode)")
            }
            if body.joinedOn > fiscalYear.lastDay {
                validation.fail("joinedOn", "is after \(fiscalYear) ends on \(fiscalYear.lastDay)")
            }
            try validation.check()
            guard let enrollment = try await backend.billing.enroll(
                tenantID: tenantID, program: body.program, fiscalYear: body.fiscalYear, joinedOn: body.joinedOn, on: connection
            ) else {
                throw Problem.conflict("\(tenant.name) is enrolled in \(body.program) FY\(body.fiscalYear) already.")
            }
            try await backend.audit.record(
                context.success("enrollments.create", target: "enrollments/\(enrollment.id)", tenantID: tenantID),
                on: connection
            )
            return enrollment
        }
        return try .created(
            EnrollmentBody(id: enrollment.id, tenantId: tenantID, program: enrollment.programCode, fiscalYear: enrollment.fiscalYear, joinedOn: enrollment.joinedOn),
            context: context, request: request
        )
    }

    func list(_ request: Request, _ context: AuthenticatedContext) async throws -> Page<InvoiceBody> {
        let tenantID = try request.uuidParameter("t", context: context)
        let access = try await backend.accessGuard.tenant(tenantID, .readBilling, target: "tenants/\(tenantID)/invoices", context: context)
        let page = try PageRequest(request)
        let cursor: (Int, UUID)? = try page.cursor.map { key in
            let parts = key.split(separator: "|")
            guard parts.count == 2, let year = Int(parts[0]), (2000...2200).contains(year), let id = UUID(uuidString: String(parts[1])) else {
                throw Problem.badRequest(field: "cursor", reason: "is not a cursor this API gave out")
            }
            return (year, id)
        }
        let invoices = try await backend.database.withTenantTransaction(access) { connection in
            try await backend.billing.invoices(tenantID: tenantID, after: cursor, limit: page.limit + 1, on: connection)
        }
        return page.page(invoices.map(InvoiceBody.init)) { "\($0.fiscalYear)|\($0.id.uuidString)" }
    }

    func read(_ request: Request, _ context: AuthenticatedContext) async throws -> InvoiceBody {
        let (tenantID, invoiceID) = try ids(request, context)
        let access = try await backend.accessGuard.tenant(tenantID, .readBilling, target: "tenants/\(tenantID)/invoices/\(invoiceID)", context: context)
        let invoice = try await backend.database.withTenantTransaction(access) { connection in
            try await backend.billing.invoice(invoiceID, tenantID: tenantID, on: connection)
        }
        guard let invoice else { throw Problem.notFound("There is no such invoice.") }
        return InvoiceBody(invoice)
    }

    private func ids(_ request: Request, _ context: AuthenticatedContext) throws -> (UUID, UUID) {
        (try request.uuidParameter("t", context: context), try request.uuidParameter("id", context: context))
    }

    /// The shape of every money-moving invoice POST: authorize, read the body, and in one
    /// tenant transaction claim the idempotency key, lock the invoice and do the work.
    private func moveMoney(
        _ request: Request,
        _ context: AuthenticatedContext,
        action: String,
        status: HTTPResponse.Status = .ok,
        _ work: @escaping (InvoiceRecord, ByteBuffer, PostgresConnection) async throws -> any Encodable & Sendable
    ) async throws -> Response {
        let (tenantID, invoiceID) = try ids(request, context)
        let target = "tenants/\(tenantID)/invoices/\(invoiceID)"
        let access = try await backend.accessGuard.tenant(tenantID, .manageBilling, target: target, context: context)
        let body = try await request.collectJSONBody(context: context)
        return try await backend.database.withTenantTransaction(access) { connection in
            try await backend.idempotency.respond(to: request, body: body, context: context, status: status, on: connection) {
                guard let invoice = try await backend.billing.invoice(invoiceID, tenantID: tenantID, lock: true, on: connection) else {
                    throw Problem.notFound("There is no such invoice.")
                }
                let result = try await work(invoice, body, connection)
                try await backend.audit.record(
                    context.success(action, target: target, tenantID: tenantID),
                    on: connection
                )
                return AnyEncodable(result)
            }
        }
    }

    static func refusal(_ refusal: InvoiceBalance.Refusal, field: String = "amountCents") -> Problem {
        switch refusal {
        case .notFinalized(let status):
            Problem.conflict("The invoice is \(status.rawValue); only a finalized invoice takes this.")
        case .notDraft(let status):
            Problem.conflict("The invoice is \(status.rawValue) already; only a draft is finalized.")
        case .amountMustBePositive:
            Problem.validation([.init(field: field, reason: "must be more than zero")])
        case .exceedsOpenBalance(let open):
            Problem.validation([.init(field: field, reason: "is more than the open balance of \(open) cents")])
        case .exceedsCreditable(let creditable):
            Problem.validation([.init(field: field, reason: "is more than the \(creditable) cents left to credit")])
        case .hasPayments:
            Problem.conflict("The invoice has payments and cannot be voided; issue a credit note instead.")
        }
    }

    func finalize(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        try await moveMoney(request, context, action: "invoices.finalize") { invoice, body, connection in
            let options = body.readableBytes == 0 ? Finalization() : try Request.decodeJSON(as: Finalization.self, from: body)
            var validation = Validation()
            let dueInDays = validation.integer(options.dueInDays ?? 30, field: "dueInDays", in: 0...365) ?? 30
            try validation.check()
            do throws(InvoiceBalance.Refusal) { try invoice.balance.checkFinalize() } catch { throw Self.refusal(error) }
            let finalized = try await backend.billing.finalize(invoice, issuedOn: options.issuedOn ?? .today, dueInDays: dueInDays, on: connection)
            return InvoiceBody(finalized)
        }
    }

    func void(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        try await moveMoney(request, context, action: "invoices.void") { invoice, _, connection in
            do throws(InvoiceBalance.Refusal) { try invoice.balance.checkVoid() } catch { throw Self.refusal(error) }
            try await backend.billing.setStatus(.void, of: invoice, on: connection)
            var voided = invoice
            voided.status = .void
            return InvoiceBody(voided)
        }
    }

    func pay(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        try await moveMoney(request, context, action: "payments.create", status: .created) { invoice, body, connection in
            let input = try Request.decodeJSON(as: NewPayment.self, from: body)
            var validation = Validation()
            let method = PaymentRecord.Method(rawValue: input.method)
            if method == nil { validation.fail("method", "must be check, ach, purchase_order or other") }
            let reference = validation.optionalText(input.reference, field: "reference", maximumLength: 200)
            try validation.check()
            do throws(InvoiceBalance.Refusal) { try invoice.balance.checkPayment(input.amountCents) } catch { throw Self.refusal(error) }
            let payment = PaymentRecord(
                id: UUID(), invoiceID: invoice.id, amountCents: input.amountCents, method: method ?? .other,
                reference: reference, receivedOn: input.receivedOn ?? .today
            )
            try await backend.billing.record(payment, tenantID: invoice.tenantID, by: context.userID, on: connection)
            var updated = invoice
            updated.paidCents += payment.amountCents
            if invoice.balance.statusAfter(paying: payment.amountCents) == .paid {
                try await backend.billing.setStatus(.paid, of: invoice, on: connection)
                updated.status = .paid
            }
            return InvoiceBody(updated)
        }
    }

    func credit(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        try await moveMoney(request, context, action: "credit-notes.create", status: .created) { invoice, body, connection in
            let input = try Request.decodeJSON(as: NewCreditNote.self, from: body)
            var validation = Validation()
            let reason = validation.text(input.reason, field: "reason", maximumLength: 500)
            try validation.check()
            do throws(InvoiceBalance.Refusal) { try invoice.balance.checkCredit(input.amountCents) } catch { throw Self.refusal(error) }
            let note = CreditNoteRecord(id: UUID(), invoiceID: invoice.id, amountCents: input.amountCents, reason: reason ?? "", issuedOn: input.issuedOn ?? .today)
            try await backend.billing.record(note, tenantID: invoice.tenantID, by: context.userID, on: connection)
            var updated = invoice
            updated.creditedCents += note.amountCents
            if invoice.balance.statusAfter(paying: note.amountCents) == .paid {
                try await backend.billing.setStatus(.paid, of: invoice, on: connection)
                updated.status = .paid
            }
            return InvoiceBody(updated)
        }
    }

    func statement(_ request: Request, _ context: AuthenticatedContext) async throws -> Statement {
        let tenantID = try request.uuidParameter("t", context: context)
        let access = try await backend.accessGuard.tenant(tenantID, .readBilling, target: "tenants/\(tenantID)/statement", context: context)
        return try await backend.database.withTenantTransaction(access) { connection in
            let invoices = try await backend.billing.invoices(tenantID: tenantID, after: nil, limit: 10_000, on: connection)
                .filter { $0.status != .draft }
            let payments = try await backend.billing.payments(tenantID: tenantID, on: connection)
            let credits = try await backend.billing.creditNotes(tenantID: tenantID, on: connection)
            let invoiced = invoices.filter { $0.status != .void }.reduce(0) { $0 + $1.amountCents }
            let paid = payments.reduce(0) { $0 + $1.amountCents }
            let credited = credits.reduce(0) { $0 + $1.amountCents }
            return Statement(
                tenantId: tenantID,
                invoices: invoices.map(InvoiceBody.init),
                payments: payments.map { PaymentBody(id: $0.id, invoiceId: $0.invoiceID, amountCents: $0.amountCents, method: $0.method.rawValue, reference: $0.reference, receivedOn: $0.receivedOn) },
                creditNotes: credits.map { CreditNoteBody(id: $0.id, invoiceId: $0.invoiceID, amountCents: $0.amountCents, reason: $0.reason, issuedOn: $0.issuedOn) },
                invoicedCents: invoiced, paidCents: paid, creditedCents: credited,
                balanceCents: invoiced - paid - credited
            )
        }
    }
}

/// Lets one helper encode the different answers of the invoice POSTs.
struct AnyEncodable: Encodable, Sendable {
    let value: any Encodable & Sendable

    init(_ value: any Encodable & Sendable) {
        self.value = value
    }

    func encode(to encoder: any Encoder) throws {
        try value.encode(to: encoder)
    }
}
