import Billing
import Domain
import Foundation

public struct EnrollmentRecord: Sendable, Hashable, Codable {
    public var tenantID: UUID
    public var id: UUID
    public var programCode: String
    public var fiscalYear: Int
    public var joinedOn: CivilDate
}

public struct InvoiceRecord: Sendable, Hashable, Codable {
    public var tenantID: UUID
    public var id: UUID
    public var enrollmentID: UUID
    public var programCode: String
    public var fiscalYear: Int
    public var status: InvoiceStatus
    public var number: String?
    public var annualFeeCents: Int64
    public var billedDays: Int
    public var yearDays: Int
    public var amountCents: Int64
    public var paidCents: Int64
    public var creditedCents: Int64
    public var issuedOn: CivilDate?
    public var dueOn: CivilDate?

    public var balance: InvoiceBalance {
        InvoiceBalance(status: status, amountCents: amountCents, paidCents: paidCents, creditedCents: creditedCents)
    }
}

public struct PaymentRecord: Sendable, Hashable, Codable {
    public enum Method: String, Sendable, Codable, CaseIterable {
        case check, ach
        case purchaseOrder = "purchase_order"
        case other
    }

    public var id: UUID
    public var invoiceID: UUID
    public var amountCents: Int64
    public var method: Method
    public var reference: String
    public var receivedOn: CivilDate

    public init(id: UUID, invoiceID: UUID, amountCents: Int64, method: Method, reference: String, receivedOn: CivilDate) {
        self.id = id
        self.invoiceID = invoiceID
        self.amountCents = amountCents
        self.method = method
        self.reference = reference
        self.receivedOn = receivedOn
    }
}

public struct CreditNoteRecord: Sendable, Hashable, Codable {
    public var id: UUID
    public var invoiceID: UUID
    public var amountCents: Int64
    public var reason: String
    public var issuedOn: CivilDate

    public init(id: UUID, invoiceID: UUID, amountCents: Int64, reason: String, issuedOn: CivilDate) {
        self.id = id
        self.invoiceID = invoiceID
        self.amountCents = amountCents
        self.reason = reason
        self.issuedOn = issuedOn
    }
}
