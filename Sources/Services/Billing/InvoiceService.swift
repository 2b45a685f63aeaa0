import Billing
import Domain
import Foundation
import Storage

/// A tenant's money: enrollments, invoices, payments, credit notes, the statement. The
/// money-moving operations (finalize, void, pay, credit) are in InvoiceActions.swift.
public struct InvoiceService: Sendable {
    let services: Services

    public struct NewEnrollment: Sendable {
        public var program: String
        public var fiscalYear: Int
        public var joinedOn: CivilDate

        public init(program: String, fiscalYear: Int, joinedOn: CivilDate) {
            self.program = program
            self.fiscalYear = fiscalYear
            self.joinedOn = joinedOn
        }
    }

    /// A tenant's statement: its issued invoices (void ones too), every payment and credit
    /// note, and the totals by `Billing.Statement`'s rule.
    public struct TenantStatement: Sendable, Hashable {
        public var tenantID: UUID
        public var invoices: [InvoiceRecord]
        public var payments: [PaymentRecord]
        public var creditNotes: [CreditNoteRecord]
        public var totals: Statement
    }

    /// The most invoices a statement lists.
    static let statementLimit = 10_000

    /// Enrolls a tenant in a program year from `joinedOn` (Center admins).
    public func enroll(_ caller: Caller, _ tenantID: UUID, _ command: NewEnrollment) async throws -> EnrollmentRecord {
        try await services.inTenant(caller, tenantID, .onboardTenant, target: "tenants/\(tenantID)/enrollments") { work in
            var validation = Validation()
            _ = validation.integer(command.fiscalYear, field: "fiscalYear", in: 2000...2200)
            try validation.check()
            let connection = work.connection
            let programs = work.stores.programs
            guard let tenant = try await work.stores.tenants.find(tenantID, on: connection) else { throw ServiceError.notFound }
            guard try await programs.year(program: command.program, fiscalYear: command.fiscalYear, on: connection) != nil,
                let program = try await programs.program(command.program, on: connection),
                // The program's fiscal year, by its jurisdiction's calendar.
                let fiscalYear = try await programs.fiscalYear(program: command.program, endingYear: command.fiscalYear, on: connection)
            else {
                throw ServiceError.unresolved("fiscalYear", "there is no program year \(command.program) FY\(command.fiscalYear)")
            }
            var rules = Validation()
            if !program.tenantKinds.isEmpty, !program.tenantKinds.contains(tenant.kindCode) {
                rules.fail("program", "\(program.code) does not take tenants of kind \(tenant.kindCode)")
            }
            if command.joinedOn > fiscalYear.lastDay {
                rules.fail("joinedOn", "is after \(fiscalYear) ends on \(fiscalYear.lastDay)")
            }
            try rules.check()
            guard
                let enrollment = try await work.stores.invoices.enroll(
                    tenantID: tenantID, program: command.program, fiscalYear: command.fiscalYear, joinedOn: command.joinedOn, on: connection
                )
            else {
                throw ServiceError.conflict("\(tenant.name) is enrolled in \(command.program) FY\(command.fiscalYear) already.")
            }
            try await work.audit("enrollments.create", target: "enrollments/\(enrollment.id)", tenantID: tenantID)
            return enrollment
        }
    }

    /// A tenant's invoices, newest program year first, after `cursor` (fiscal year, id).
    public func list(_ caller: Caller, _ tenantID: UUID, after cursor: (Int, UUID)?, limit: Int) async throws -> [InvoiceRecord] {
        try await services.inTenant(caller, tenantID, .readBilling, target: "tenants/\(tenantID)/invoices") { work in
            try await work.stores.invoices.invoices(tenantID: tenantID, after: cursor, limit: limit, on: work.connection)
        }
    }

    public func read(_ caller: Caller, _ tenantID: UUID, _ invoiceID: UUID) async throws -> InvoiceRecord {
        try await services.inTenant(caller, tenantID, .readBilling, target: "tenants/\(tenantID)/invoices/\(invoiceID)") { work in
            guard let invoice = try await work.stores.invoices.invoice(invoiceID, tenantID: tenantID, on: work.connection) else {
                throw ServiceError.notFound("There is no such invoice.")
            }
            return invoice
        }
    }

    /// An invoice as it is printed: the invoice, its tenant, and the caller's name for the
    /// page's header; one transaction.
    public struct Printable: Sendable {
        public var invoice: InvoiceRecord
        public var tenant: Tenant
        public var payments: [PaymentRecord]
        public var creditNotes: [CreditNoteRecord]
        /// Whether the reader may finalize, void, record payments and issue credit notes.
        public var mayManage: Bool
        public var readerName: String
    }

    public func printable(_ caller: Caller, _ tenantID: UUID, _ invoiceID: UUID) async throws -> Printable {
        try await services.inTenant(caller, tenantID, .readBilling, target: "tenants/\(tenantID)/invoices/\(invoiceID)") { work in
            guard let invoice = try await work.stores.invoices.invoice(invoiceID, tenantID: tenantID, on: work.connection),
                let tenant = try await work.stores.tenants.find(tenantID, on: work.connection)
            else {
                throw ServiceError.notFound("There is no such invoice.")
            }
            let payments = try await work.stores.invoices.payments(tenantID: tenantID, on: work.connection).filter { $0.invoiceID == invoiceID }
            let credits = try await work.stores.invoices.creditNotes(tenantID: tenantID, on: work.connection).filter { $0.invoiceID == invoiceID }
            return Printable(
                invoice: invoice, tenant: tenant, payments: payments, creditNotes: credits,
                mayManage: AuthorizationPolicy.decide(work.principal, .manageBilling, .tenant(tenantID)) == .allow,
                readerName: work.session.user.displayName
            )
        }
    }

    public func statement(_ caller: Caller, _ tenantID: UUID) async throws -> TenantStatement {
        try await services.inTenant(caller, tenantID, .readBilling, target: "tenants/\(tenantID)/statement") { work in
            try await Self.statement(of: tenantID, work: work)
        }
    }

    /// The statement as the console's page shows it: with the town's name, the reader's,
    /// the day standings are judged on, and whether the reader moves money; one transaction.
    public struct StatementPage: Sendable {
        public var statement: TenantStatement
        public var tenantName: String
        public var readerName: String
        public var asOf: CivilDate
        public var mayManage: Bool
        /// The programs a Center admin may enroll the town in (empty for others).
        public var programs: [String]
    }

    public func statementPage(_ caller: Caller, _ tenantID: UUID) async throws -> StatementPage {
        try await services.inTenant(caller, tenantID, .readBilling, target: "tenants/\(tenantID)/statement") { work in
            guard let tenant = try await work.stores.tenants.find(tenantID, on: work.connection) else { throw ServiceError.notFound }
            return StatementPage(
                statement: try await Self.statement(of: tenantID, work: work), tenantName: tenant.name, readerName: work.session.user.displayName,
                asOf: work.today, mayManage: AuthorizationPolicy.decide(work.principal, .manageBilling, .tenant(tenantID)) == .allow,
                programs: AuthorizationPolicy.decide(work.principal, .onboardTenant, .tenant(tenantID)) == .allow
                    ? try await work.stores.programs.programs(after: nil, limit: 100, on: work.connection).map(\.code) : []
            )
        }
    }

    static func statement(of tenantID: UUID, work: Work) async throws -> TenantStatement {
        let stores = work.stores
        let invoices = try await stores.invoices.invoices(tenantID: tenantID, after: nil, limit: Self.statementLimit, on: work.connection)
            .filter { $0.status != .draft }
        let payments = try await stores.invoices.payments(tenantID: tenantID, on: work.connection)
        let credits = try await stores.invoices.creditNotes(tenantID: tenantID, on: work.connection)
        let totals = Statement(
            invoices: invoices.map { Statement.Invoice(id: $0.id, status: $0.status, amountCents: $0.amountCents) },
            payments: payments.map { Statement.Entry(invoiceID: $0.invoiceID, amountCents: $0.amountCents) },
            creditNotes: credits.map { Statement.Entry(invoiceID: $0.invoiceID, amountCents: $0.amountCents) }
        )
        return TenantStatement(tenantID: tenantID, invoices: invoices, payments: payments, creditNotes: credits, totals: totals)
    }
}

extension Services {
    public var invoices: InvoiceService { InvoiceService(services: self) }
}

extension InvoiceRecord {
    /// What the tenant owes on this invoice now: nothing on a draft (not issued) or a void
    /// invoice, the balance otherwise.
    public var openCents: Int64 {
        status.isBilled ? balance.openCents : 0
    }
}
