import Domain
import Foundation
import Storage

/// Tenants and their departments: onboarding by Center admins, profiles for everyone who
/// works with the tenant.
public struct TenantService: Sendable {
    let services: Services

    public static let populationRange = 0...100_000_000

    public struct NewTenant: Sendable {
        public var name: String
        public var kind: String
        public var jurisdiction: String
        public var population: Int?

        public init(name: String, kind: String, jurisdiction: String, population: Int?) {
            self.name = name
            self.kind = kind
            self.jurisdiction = jurisdiction
            self.population = population
        }
    }

    /// A change of profile: nil leaves a field as it is; `population` `.some(nil)` clears it.
    public struct ProfileChange: Sendable {
        public var name: String?
        public var population: Int??
        /// The day of the month data is due (`Tenant.dueDays`); nil: unchanged.
        public var dataDueDay: Int?
        /// Where finalized invoices go; nil: unchanged; `.some(nil)`: cleared (they go to
        /// the chief executive).
        public var billingEmail: String??

        public init(name: String?, population: Int??, dataDueDay: Int? = nil, billingEmail: String?? = nil) {
            self.name = name
            self.population = population
            self.dataDueDay = dataDueDay
            self.billingEmail = billingEmail
        }
    }

    /// The tenants the caller sees (every tenant for a Center admin), by name.
    public func list(_ caller: Caller, after cursor: (String, UUID)?, limit: Int) async throws -> [Tenant] {
        try await services.run(caller, scope: .granted) { work in
            try await work.stores.tenants.list(after: cursor, limit: limit, on: work.connection)
        }
    }

    /// The tenants page of the console: the tenants the caller sees, and whether they may
    /// onboard more; one transaction.
    public struct Listing: Sendable {
        public var tenants: [Tenant]
        /// The cursor (name, id) of the next page, when there is one.
        public var next: (String, UUID)?
        public var mayOnboard: Bool
        /// Program year, analysts, latest invoice and last data, by tenant: a Center admin's.
        public var summaries: [UUID: TenantStore.Summary]
        public var today: CivilDate
        public var readerName: String
    }

    public func listing(_ caller: Caller, after cursor: (String, UUID)? = nil, limit: Int) async throws -> Listing {
        try await services.run(caller, scope: .granted) { work in
            var tenants = try await work.stores.tenants.list(after: cursor, limit: limit + 1, on: work.connection)
            var next: (String, UUID)?
            if tenants.count > limit {
                tenants.removeLast()
                next = tenants.last.map { ($0.name, $0.id) }
            }
            let isCenterAdmin = work.principal.isCenterAdmin
            return Listing(
                tenants: tenants, next: next, mayOnboard: AuthorizationPolicy.decide(work.principal, .onboardTenant, .global) == .allow,
                summaries: isCenterAdmin ? try await work.stores.tenants.summaries(of: tenants.map(\.id), on: work.connection) : [:],
                today: work.today, readerName: work.session.user.displayName
            )
        }
    }

    /// What the onboarding form offers (Center admins): every jurisdiction and tenant kind.
    public func onboardingChoices(_ caller: Caller) async throws -> (jurisdictions: [JurisdictionRecord], kinds: [TenantKindRecord]) {
        try await services.global(caller, .onboardTenant, target: "tenants") { work in
            (
                try await work.stores.catalog.jurisdictions(after: nil, limit: 1_000, on: work.connection),
                try await work.stores.catalog.tenantKinds(after: nil, limit: 1_000, on: work.connection)
            )
        }
    }

    /// Onboards a tenant (Center admins).
    public func onboard(_ caller: Caller, _ command: NewTenant) async throws -> Tenant {
        var validation = Validation()
        let name = validation.text(command.name, field: "name")
        let population = validation.integer(command.population, field: "population", in: Self.populationRange)
        let tenant = Tenant(
            id: UUID(), name: name ?? "", kindCode: command.kind, jurisdictionCode: command.jurisdiction, population: population
        )
        return try await services.global(caller, .onboardTenant, target: "tenants", scope: .tenant(tenant.id)) { work in
            try validation.check()
            var catalog = Validation()
            if try await !work.stores.catalog.unknownTenantKinds([command.kind], on: work.connection).isEmpty {
                catalog.fail("kind", "is not a tenant kind; see GET /v1/tenant-kinds")
            }
            if try await !work.stores.catalog.jurisdictionExists(command.jurisdiction, on: work.connection) {
                catalog.fail("jurisdiction", "is not a jurisdiction; see GET /v1/jurisdictions")
            }
            try catalog.checkReferences()
            guard try await work.stores.tenants.create(tenant, on: work.connection) else {
                throw ServiceError.conflict("\(tenant.jurisdictionCode) has a tenant of kind \(tenant.kindCode) named \(tenant.name) already.")
            }
            try await work.audit("tenants.create", target: "tenants/\(tenant.id)", tenantID: tenant.id)
            return tenant
        }
    }

    public func profile(_ caller: Caller, _ tenantID: UUID) async throws -> Tenant {
        try await services.inTenant(caller, tenantID, .readTenantProfile, target: "tenants/\(tenantID)") { work in
            guard let tenant = try await work.stores.tenants.find(tenantID, on: work.connection) else {
                throw ServiceError.notFound
            }
            return tenant
        }
    }

    public func updateProfile(_ caller: Caller, _ tenantID: UUID, _ change: ProfileChange) async throws -> Tenant {
        var validation = Validation()
        let name = validation.text(change.name, field: "name", required: false)
        let dueDay = validation.integer(change.dataDueDay, field: "dataDueDay", in: Tenant.dueDays)
        var billingEmail: String?? = nil
        if case .some(let address) = change.billingEmail {
            billingEmail = .some(address.flatMap { validation.email($0, field: "billingEmail") })
        }
        if case .some(.some(let population)) = change.population {
            _ = validation.integer(population, field: "population", in: Self.populationRange)
        }
        return try await services.inTenant(caller, tenantID, .updateTenantProfile, target: "tenants/\(tenantID)") { work in
            // The population sets the tenant's fee tier: a Center admin's to change, audited
            // on its own.
            if change.population != nil {
                try work.authorize(.changeFeeDrivers, on: .tenant(tenantID), target: "tenants/\(tenantID): population")
            }
            try validation.check()
            guard
                let tenant = try await work.stores.tenants.update(
                    tenantID, name: name, dataDueDay: dueDay, billingEmail: billingEmail, population: change.population,
                    on: work.connection
                )
            else {
                throw ServiceError.notFound
            }
            try await work.audit("tenants.update", target: "tenants/\(tenantID)", tenantID: tenantID)
            if let population = change.population {
                let value = population.map(String.init) ?? "none"
                try await work.audit("tenants.population", target: "tenants/\(tenantID): population \(value)", tenantID: tenantID)
            }
            return tenant
        }
    }

    public func departments(_ caller: Caller, _ tenantID: UUID, after cursor: (String, UUID)?, limit: Int) async throws -> [Department] {
        try await services.inTenant(caller, tenantID, .readTenantProfile, target: "tenants/\(tenantID)/departments") { work in
            try await work.stores.tenants.departments(of: tenantID, after: cursor, limit: limit, on: work.connection)
        }
    }

    public func createDepartment(_ caller: Caller, _ tenantID: UUID, name rawName: String) async throws -> Department {
        var validation = Validation()
        let name = validation.text(rawName, field: "name")
        let department = Department(tenantID: tenantID, id: UUID(), name: name ?? "")
        return try await services.inTenant(caller, tenantID, .manageDepartments, target: "tenants/\(tenantID)/departments") { work in
            try validation.check()
            guard try await work.stores.tenants.createDepartment(department, on: work.connection) else {
                throw ServiceError.conflict("This tenant has a department of that name.")
            }
            try await work.audit("departments.create", target: "departments/\(department.id)", tenantID: tenantID)
            return department
        }
    }
}

extension Services {
    public var tenants: TenantService { TenantService(services: self) }
}
