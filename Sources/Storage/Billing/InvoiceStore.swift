import Billing
import Domain
import Foundation
import Logging
import PostgresNIO

/// Enrollments, invoices and the money against them, inside tenant transactions.
public struct InvoiceStore: Sendable {
    public let logger: Logger

    public init(logger: Logger) {
        self.logger = logger
    }

    // MARK: Enrollments

    /// Enrolls a tenant in a program year; nil when it is enrolled already.
    public func enroll(
        tenantID: UUID,
        program: String,
        fiscalYear: Int,
        joinedOn: CivilDate,
        on connection: PostgresConnection
    ) async throws -> EnrollmentRecord? {
        let id = UUID()
        let rows = try await connection.query(
            """
            INSERT INTO enrollments (tenant_id, id, program_code, fiscal_year, joined_on)
            VALUES (\(tenantID), \(id), \(program), \(try smallint(fiscalYear)), \(joinedOn.description)::date)
            ON CONFLICT (tenant_id, program_code, fiscal_year) DO NOTHING RETURNING id
            """,
            logger: logger
        )
        guard try await rows.hasRow() else { return nil }
        return EnrollmentRecord(tenantID: tenantID, id: id, programCode: program, fiscalYear: fiscalYear, joinedOn: joinedOn)
    }

    // MARK: Invoices

    static let invoiceColumns = """
        SELECT i.tenant_id, i.id, i.enrollment_id, i.program_code, i.fiscal_year::int, i.status, i.number,
               i.annual_fee_cents, i.billed_days, i.year_days, i.amount_cents,
               coalesce((SELECT sum(p.amount_cents) FROM payments p WHERE p.tenant_id = i.tenant_id AND p.invoice_id = i.id), 0)::bigint,
               coalesce((SELECT sum(c.amount_cents) FROM credit_notes c WHERE c.tenant_id = i.tenant_id AND c.invoice_id = i.id), 0)::bigint,
               i.issued_on::text, i.due_on::text
        FROM invoices i
        """

    typealias InvoiceRow = (UUID, UUID, UUID, String, Int, String, String?, Int64, Int, Int, Int64, Int64, Int64, String?, String?)

    func decodeInvoices(_ rows: PostgresRowSequence) async throws -> [InvoiceRecord] {
        var invoices: [InvoiceRecord] = []
        for try await row in rows.decode(InvoiceRow.self) {
            invoices.append(
                InvoiceRecord(
                    tenantID: row.0, id: row.1, enrollmentID: row.2, programCode: row.3, fiscalYear: row.4,
                    status: InvoiceStatus(rawValue: row.5) ?? .draft, number: row.6, annualFeeCents: row.7,
                    billedDays: row.8, yearDays: row.9, amountCents: row.10, paidCents: row.11, creditedCents: row.12,
                    issuedOn: row.13.flatMap { CivilDate(iso8601: $0) }, dueOn: row.14.flatMap { CivilDate(iso8601: $0) }
                )
            )
        }
        return invoices
    }

    /// One invoice; `lock` takes its row lock for the rest of the transaction.
    public func invoice(_ id: UUID, tenantID: UUID, lock: Bool = false, on connection: PostgresConnection) async throws -> InvoiceRecord? {
        if lock {
            try await connection.execute(
                "SELECT 1 FROM invoices WHERE tenant_id = \(tenantID) AND id = \(id) FOR UPDATE",
                logger: logger
            )
        }
        let rows = try await connection.query(
            "\(unescaped: Self.invoiceColumns) WHERE i.tenant_id = \(tenantID) AND i.id = \(id)",
            logger: logger
        )
        return try await decodeInvoices(rows).first
    }

    /// A tenant's invoices, newest program year first, after `cursor` (an invoice id).
    public func invoices(tenantID: UUID, after cursor: (Int, UUID)?, limit: Int, on connection: PostgresConnection) async throws -> [InvoiceRecord] {
        let cursorYear = try cursor.map { try smallint($0.0) }
        let cursorID = cursor?.1
        let rows = try await connection.query(
            """
            \(unescaped: Self.invoiceColumns)
            WHERE i.tenant_id = \(tenantID)
              AND (\(cursorYear)::smallint IS NULL OR (i.fiscal_year, i.id) < (\(cursorYear), \(cursorID)))
            ORDER BY i.fiscal_year DESC, i.id DESC LIMIT \(limit)
            """,
            logger: logger
        )
        return try await decodeInvoices(rows)
    }

    /// Takes the next invoice number of a program year, in the caller's transaction: the
    /// counter row stays locked until it ends, which orders the finalizations of one
    /// program year. A rolled-back finalization gives its number back: no gap, no duplicate.
    public func nextSequence(program: String, fiscalYear: Int, on connection: PostgresConnection) async throws -> Int {
        let counter = try await connection.query(
            """
            INSERT INTO invoice_number_counters AS c (program_code, fiscal_year, last_number)
            VALUES (\(program), \(try smallint(fiscalYear)), 1)
            ON CONFLICT (program_code, fiscal_year) DO UPDATE SET last_number = c.last_number + 1
            RETURNING last_number
            """,
            logger: logger
        )
        for try await value in counter.decode(Int.self) { return value }
        return 0
    }

    /// Issues a draft under `number`: finalized on `issuedOn`, due on `dueOn`.
    public func finalize(
        _ invoice: InvoiceRecord, number: InvoiceNumber, issuedOn: CivilDate, dueOn: CivilDate, on connection: PostgresConnection
    ) async throws -> InvoiceRecord {
        try await connection.execute(
            """
            UPDATE invoices SET status = 'finalized', number = \(number.description), issued_on = \(issuedOn.description)::date,
                due_on = \(dueOn.description)::date, finalized_at = now()
            WHERE tenant_id = \(invoice.tenantID) AND id = \(invoice.id)
            """,
            logger: logger
        )
        var finalized = invoice
        finalized.status = .finalized
        finalized.number = number.description
        finalized.issuedOn = issuedOn
        finalized.dueOn = dueOn
        return finalized
    }

    /// The demo loader's shorthand: the next number, then `finalize(_:number:…)`, due
    /// `dueInDays` after `issuedOn`. Requests finalize through `InvoiceService.finalize`.
    public func finalize(_ invoice: InvoiceRecord, issuedOn: CivilDate, dueInDays: Int, on connection: PostgresConnection) async throws -> InvoiceRecord {
        let sequence = try await nextSequence(program: invoice.programCode, fiscalYear: invoice.fiscalYear, on: connection)
        guard let number = InvoiceNumber(programCode: invoice.programCode, fiscalYear: invoice.fiscalYear, sequence: sequence) else {
            throw NumberingFailure(program: invoice.programCode, fiscalYear: invoice.fiscalYear)
        }
        return try await finalize(invoice, number: number, issuedOn: issuedOn, dueOn: issuedOn.adding(days: dueInDays), on: connection)
    }

    /// A program year whose invoices `InvoiceNumber` cannot number (a code or a year out of its range).
    public struct NumberingFailure: Error, Equatable {
        public var program: String
        public var fiscalYear: Int
    }

    public func setStatus(_ status: InvoiceStatus, of invoice: InvoiceRecord, on connection: PostgresConnection) async throws {
        let voidedAt: Date? = status == .void ? Date() : nil
        try await connection.execute(
            """
            UPDATE invoices SET status = \(status.rawValue), voided_at = coalesce(\(voidedAt), voided_at)
            WHERE tenant_id = \(invoice.tenantID) AND id = \(invoice.id)
            """,
            logger: logger
        )
    }

    public func record(_ payment: PaymentRecord, tenantID: UUID, by userID: UUID?, on connection: PostgresConnection) async throws {
        try await connection.execute(
            """
            INSERT INTO payments (tenant_id, id, invoice_id, amount_cents, method, reference, received_on, recorded_by)
            VALUES (\(tenantID), \(payment.id), \(payment.invoiceID), \(payment.amountCents), \(payment.method.rawValue),
                    \(payment.reference), \(payment.receivedOn.description)::date, \(userID))
            """,
            logger: logger
        )
    }

    public func record(_ credit: CreditNoteRecord, tenantID: UUID, by userID: UUID?, on connection: PostgresConnection) async throws {
        try await connection.execute(
            """
            INSERT INTO credit_notes (tenant_id, id, invoice_id, amount_cents, reason, issued_on, recorded_by)
            VALUES (\(tenantID), \(credit.id), \(credit.invoiceID), \(credit.amountCents), \(credit.reason),
                    \(credit.issuedOn.description)::date, \(userID))
            """,
            logger: logger
        )
    }

    public func payments(tenantID: UUID, on connection: PostgresConnection) async throws -> [PaymentRecord] {
        let rows = try await connection.query(
            """
            SELECT id, invoice_id, amount_cents, method, reference, received_on::text FROM payments
            WHERE tenant_id = \(tenantID) ORDER BY received_on, created_at
            """,
            logger: logger
        )
        var payments: [PaymentRecord] = []
        for try await (id, invoice, amount, method, reference, received) in rows.decode((UUID, UUID, Int64, String, String, String).self) {
            guard let date = CivilDate(iso8601: received), let method = PaymentRecord.Method(rawValue: method) else { continue }
            payments.append(PaymentRecord(id: id, invoiceID: invoice, amountCents: amount, method: method, reference: reference, receivedOn: date))
        }
        return payments
    }

    public func creditNotes(tenantID: UUID, on connection: PostgresConnection) async throws -> [CreditNoteRecord] {
        let rows = try await connection.query(
            """
            SELECT id, invoice_id, amount_cents, reason, issued_on::text FROM credit_notes
            WHERE tenant_id = \(tenantID) ORDER BY issued_on, created_at
            """,
            logger: logger
        )
        var credits: [CreditNoteRecord] = []
        for try await (id, invoice, amount, reason, issued) in rows.decode((UUID, UUID, Int64, String, String).self) {
            guard let date = CivilDate(iso8601: issued) else { continue }
            credits.append(CreditNoteRecord(id: id, invoiceID: invoice, amountCents: amount, reason: reason, issuedOn: date))
        }
        return credits
    }
}
