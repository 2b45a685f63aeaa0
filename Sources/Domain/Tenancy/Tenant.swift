import Foundation

/// One participating organization: a municipality, a school district, or any later kind.
public struct Tenant: Sendable, Hashable, Codable {
    public var id: UUID
    public var name: String
    /// A `tenant_kinds` code such as `municipality`; kinds are data, not code.
    public var kindCode: String
    /// A `jurisdictions` code such as `MA`.
    public var jurisdictionCode: String
    /// Residents, or pupils for a school district (the kind says which).
    public var population: Int?
    /// The day of the month (1 to 28) when last period's values are due: owners of
    /// measures still without one get a reminder that day.
    public var dataDueDay: Int
    /// Where finalized invoices are mailed; without one, to the tenant's chief executive.
    public var billingEmail: String?

    /// Due days a tenant may choose: every month has them.
    public static let dueDays = 1...28

    public init(
        id: UUID, name: String, kindCode: String, jurisdictionCode: String, population: Int?, dataDueDay: Int = 15,
        billingEmail: String? = nil
    ) {
        self.id = id
        self.name = name
        self.kindCode = kindCode
        self.jurisdictionCode = jurisdictionCode
        self.population = population
        self.dataDueDay = dataDueDay
        self.billingEmail = billingEmail
    }
}

/// A unit of a tenant: a department of a town, a school or office of a district.
public struct Department: Sendable, Hashable, Codable {
    public var tenantID: UUID
    public var id: UUID
    public var name: String

    public init(tenantID: UUID, id: UUID, name: String) {
        self.tenantID = tenantID
        self.id = id
        self.name = name
    }
}
