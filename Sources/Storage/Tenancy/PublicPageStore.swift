import Domain
import Foundation
import PostgresNIO

/// A town's public page (migration 0016): its settings, in the CEO's transaction, and the
/// lookup of a page by its address, in a transaction nobody signed in to.
extension TenantStore {
    /// The tenant whose page is on at `slug`, nil when there is none. `app_open_public_page`
    /// (migration 0018) finds it through the address (0016's policy), then lets the rest of
    /// the transaction read that tenant's published measures and their values only.
    public func publicTenant(slug: String, on connection: PostgresConnection) async throws -> (id: UUID, name: String)? {
        let rows = try await connection.query("SELECT tenant_id, name FROM app_open_public_page(\(slug))", logger: logger)
        for try await (id, name) in rows.decode((UUID, String).self) { return (id, name) }
        return nil
    }

    public struct PublicSettings: Sendable, Hashable {
        public var enabled: Bool
        public var slug: String?
        public var published: Set<UUID>
    }

    public func publicSettings(of tenantID: UUID, on connection: PostgresConnection) async throws -> PublicSettings {
        var settings = PublicSettings(enabled: false, slug: nil, published: [])
        let rows = try await connection.query("SELECT public_page, public_slug FROM tenants WHERE tenant_id = \(tenantID)", logger: logger)
        for try await (enabled, slug) in rows.decode((Bool, String?).self) {
            settings.enabled = enabled
            settings.slug = slug
        }
        settings.published = try await publishedMeasureIDs(of: tenantID, on: connection)
        return settings
    }

    public func publishedMeasureIDs(of tenantID: UUID, on connection: PostgresConnection) async throws -> Set<UUID> {
        let rows = try await connection.query("SELECT id FROM measures WHERE tenant_id = \(tenantID) AND published", logger: logger)
        var ids: Set<UUID> = []
        for try await id in rows.decode(UUID.self) { ids.insert(id) }
        return ids
    }

    /// Turns the page on or off at `slug`, and publishes exactly `published` of the
    /// tenant's measures. Another tenant's address is not visible in this transaction: the
    /// unique index refuses it (a unique violation).
    public func savePublicSettings(
        of tenantID: UUID, enabled: Bool, slug: String?, published: Set<UUID>, on connection: PostgresConnection
    ) async throws {
        try await connection.execute(
            "UPDATE tenants SET public_page = \(enabled), public_slug = \(slug) WHERE tenant_id = \(tenantID)", logger: logger
        )
        try await connection.execute(
            "UPDATE measures SET published = (id = ANY (\(Array(published)))) WHERE tenant_id = \(tenantID)", logger: logger
        )
    }

    /// When a published measure of the tenant last got a value: the page's "last updated".
    public func lastPublishedEntry(of tenantID: UUID, on connection: PostgresConnection) async throws -> Date? {
        let rows = try await connection.query(
            """
            SELECT max(d.entered_at) FROM data_points d JOIN measures m ON m.tenant_id = d.tenant_id AND m.id = d.measure_id
            WHERE d.tenant_id = \(tenantID) AND m.published
            """,
            logger: logger
        )
        for try await date in rows.decode(Date?.self) { return date }
        return nil
    }
}
