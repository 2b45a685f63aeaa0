import Domain
import Foundation
import Storage

/// A town's public performance page (DESIGN §11): read by anyone, without signing in, when
/// its CEO has turned it on; published measures only. Its settings are the CEO's.
public struct PublicPageService: Sendable {
    let services: Services

    public struct Page: Sendable {
        public var tenantName: String
        public var fiscalYear: Int
        public var rows: [DashboardRow]
        public var departmentNames: [UUID: String]
        /// When a published measure last got a value.
        public var lastUpdated: Date?
    }

    /// The page at `slug`, for the current fiscal year by the town's jurisdiction; 404 when
    /// no town has its page on there. One transaction that sees no tenant but through the
    /// page's address (migrations 0016 and 0017).
    public func page(slug: String, fiscalYear requested: Int? = nil) async throws -> Page {
        guard PublicAddress.isValid(slug) else { throw ServiceError.notFound("There is no such public page.") }
        if let requested, !FiscalYear.supportedEndingYears.contains(requested) {
            throw ServiceError.malformed(field: "fy", reason: "must be a fiscal year from 1901 to 2199")
        }
        let today = services.clock.today
        return try await services.anonymous { connection in
            let stores = services.stores
            guard let tenant = try await stores.tenants.publicTenant(slug: slug, on: connection) else {
                throw ServiceError.notFound("There is no such public page.")
            }
            // No app.tenant_ids here: 0016's and 0017's policies, keyed on the address this
            // transaction set, show that tenant's published measures and nothing else.
            let startMonth = try await stores.tenants.fiscalYearStartMonth(of: tenant.id, on: connection) ?? 7
            let year = requested ?? FiscalYear.containing(today, startMonth: startMonth).endingYear
            let published = try await stores.tenants.publishedMeasureIDs(of: tenant.id, on: connection)
            let rows = try await stores.measures.yearRows(
                tenantIDs: [tenant.id], departmentID: nil, fiscalYear: FiscalYear(endingYear: year, startMonth: startMonth), on: connection
            ).filter { published.contains($0.measure.id) }
            let departments = try await stores.tenants.departments(of: tenant.id, on: connection)
            return Page(
                tenantName: tenant.name, fiscalYear: year, rows: rows,
                departmentNames: Dictionary(departments.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first }),
                lastUpdated: try await stores.tenants.lastPublishedEntry(of: tenant.id, on: connection)
            )
        }
    }

    public struct Settings: Sendable {
        public var tenantName: String
        public var readerName: String
        public var enabled: Bool
        /// The address in use, or one suggested from the town's name.
        public var slug: String
        public var measures: [(id: UUID, name: String, department: String, published: Bool)]
    }

    public func settings(_ caller: Caller, _ tenantID: UUID) async throws -> Settings {
        let target = "tenants/\(tenantID)/public-page"
        return try await services.inTenant(caller, tenantID, .setMeasureSharing, target: target) { work in
            guard let tenant = try await work.stores.tenants.find(tenantID, on: work.connection) else { throw ServiceError.notFound }
            let current = try await work.stores.tenants.publicSettings(of: tenantID, on: work.connection)
            let measures = try await work.stores.measures.measures(tenantID: tenantID, departmentID: nil, after: nil, limit: 10_000, on: work.connection)
            let departments = try await work.stores.tenants.departments(of: tenantID, on: work.connection)
            let names = Dictionary(departments.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
            return Settings(
                tenantName: tenant.name, readerName: work.session.user.displayName, enabled: current.enabled,
                slug: current.slug ?? PublicAddress.suggest(from: tenant.name) ?? "",
                measures: measures.map { (id: $0.id, name: $0.name, department: names[$0.departmentID] ?? "", published: current.published.contains($0.id)) }
                    .sorted { ($0.department, $0.name) < ($1.department, $1.name) }
            )
        }
    }

    /// Turns the page on or off at `slug` and publishes exactly `published`; the CEO's (and
    /// the Center's). An address another town has is a conflict.
    public func save(_ caller: Caller, _ tenantID: UUID, enabled: Bool, slug rawSlug: String, published: Set<UUID>) async throws {
        let slug = rawSlug.trimmingCharacters(in: .whitespaces).lowercased()
        var validation = Validation()
        if slug.isEmpty {
            if enabled { validation.fail("slug", "is needed to turn the page on") }
        } else if !PublicAddress.isValid(slug) {
            validation.fail("slug", "must be 2 to 60 lower-case letters, digits and single hyphens, such as north-adams")
        }
        try validation.check()
        let target = "tenants/\(tenantID)/public-page"
        try await services.inTenant(caller, tenantID, .setMeasureSharing, target: target) { work in
            try await work.stores.tenants.savePublicSettings(
                of: tenantID, enabled: enabled, slug: slug.isEmpty ? nil : slug, published: published, on: work.connection
            )
            try await work.audit("tenants.public-page", target: "\(target): \(enabled ? "on" : "off") at \(slug), \(published.count) measures", tenantID: tenantID)
        }
    }
}

extension Services {
    public var publicPages: PublicPageService { PublicPageService(services: self) }
}
