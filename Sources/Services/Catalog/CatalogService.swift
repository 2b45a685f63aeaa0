import Domain
import Foundation
import Storage

/// Jurisdictions and tenant kinds: data a Center admin adds, no code and no migration.
/// Everyone signed in reads them.
public struct CatalogService: Sendable {
    let services: Services

    public struct NewJurisdiction: Sendable {
        public var code: String
        public var name: String
        public var fiscalYearStartMonth: Int?
        /// ISO 4217; USD when nil.
        public var currency: String?

        public init(code: String, name: String, fiscalYearStartMonth: Int?, currency: String?) {
            self.code = code
            self.name = name
            self.fiscalYearStartMonth = fiscalYearStartMonth
            self.currency = currency
        }
    }

    public struct NewTenantKind: Sendable {
        public var code: String
        public var name: String
        public var executiveTitle: String
        /// What the kind calls its units; Department when nil.
        public var unitName: String?
        /// `population` or `enrollment`; population when nil.
        public var sizeMeasure: String?

        public init(code: String, name: String, executiveTitle: String, unitName: String?, sizeMeasure: String?) {
            self.code = code
            self.name = name
            self.executiveTitle = executiveTitle
            self.unitName = unitName
            self.sizeMeasure = sizeMeasure
        }
    }

    /// Jurisdictions by code, after `cursor` (a code).
    public func jurisdictions(_ caller: Caller, after cursor: String?, limit: Int) async throws -> [JurisdictionRecord] {
        try await services.global(caller, .readCatalog, target: "jurisdictions") { work in
            try await work.stores.catalog.jurisdictions(after: cursor, limit: limit, on: work.connection)
        }
    }

    public func addJurisdiction(_ caller: Caller, _ command: NewJurisdiction) async throws -> JurisdictionRecord {
        var validation = Validation()
        validation.code(command.code, field: "code", pattern: "^[A-Z]{2,8}$", reason: "must be 2 to 8 capital letters, such as MA or RI")
        let name = validation.text(command.name, field: "name")
        let month = validation.integer(command.fiscalYearStartMonth, field: "fiscalYearStartMonth", in: 1...12, required: true)
        let currency = command.currency ?? "USD"
        validation.code(currency, field: "currency", pattern: "^[A-Z]{3}$", reason: "must be an ISO 4217 code such as USD")
        let record = JurisdictionRecord(code: command.code, name: name ?? "", fiscalYearStartMonth: month ?? 7, currency: currency)
        return try await services.global(caller, .manageCatalog, target: "jurisdictions") { work in
            try validation.check()
            guard try await work.stores.catalog.add(record, on: work.connection) else {
                throw ServiceError.conflict("Jurisdiction \(record.code) exists.")
            }
            try await work.audit("jurisdictions.create", target: "jurisdictions/\(record.code)")
            return record
        }
    }

    /// Tenant kinds by code, after `cursor` (a code).
    public func tenantKinds(_ caller: Caller, after cursor: String?, limit: Int) async throws -> [TenantKindRecord] {
        try await services.global(caller, .readCatalog, target: "tenant-kinds") { work in
            try await work.stores.catalog.tenantKinds(after: cursor, limit: limit, on: work.connection)
        }
    }

    public func addTenantKind(_ caller: Caller, _ command: NewTenantKind) async throws -> TenantKindRecord {
        var validation = Validation()
        validation.code(command.code, field: "code", pattern: "^[a-z][a-z0-9_]{1,39}$", reason: "must be 2 to 40 lowercase letters, digits or _, such as school_district")
        let name = validation.text(command.name, field: "name")
        let title = validation.text(command.executiveTitle, field: "executiveTitle")
        let unit = validation.text(command.unitName ?? "Department", field: "unitName", maximumLength: 100)
        let size = command.sizeMeasure ?? "population"
        if !["population", "enrollment"].contains(size) {
            validation.fail("sizeMeasure", "must be population or enrollment")
        }
        let record = TenantKindRecord(
            code: command.code, name: name ?? "", executiveTitle: title ?? "", unitName: unit ?? "Department", sizeMeasure: size
        )
        return try await services.global(caller, .manageCatalog, target: "tenant-kinds") { work in
            try validation.check()
            guard try await work.stores.catalog.add(record, on: work.connection) else {
                throw ServiceError.conflict("Tenant kind \(record.code) exists.")
            }
            try await work.audit("tenant-kinds.create", target: "tenant-kinds/\(record.code)")
            return record
        }
    }
}

extension Services {
    public var catalog: CatalogService { CatalogService(services: self) }
}
