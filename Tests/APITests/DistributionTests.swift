import Foundation
import PostgresNIO
import Services
import Storage
import TestSupport
import Testing

/// The schema distributed by tenant (migration 0018), and tenant isolation that holds on
/// every node. On plain PostgreSQL (`make test`) the same probes run on the one node; on
/// Citus (`make test-citus`) they prove the distribution and reach both workers.
@Suite("Distribution by tenant")
struct DistributionTests {
    static let logger = TestDatabases.logger

    /// Every table of the public schema with its kind on Citus: `h` (distributed by hash),
    /// `n` (reference), or `-` (local), and its distribution column and colocation group.
    struct Placement: Equatable {
        var kind: String
        var column: String?
        var colocation: Int
    }

    static func placements(on connection: PostgresConnection) async throws -> [String: Placement] {
        let rows = try await connection.query(
            """
            SELECT c.relname::text, coalesce(d.partmethod::text, '-'),
                   CASE WHEN d.partmethod = 'h' THEN column_to_column_name(d.logicalrelid, d.partkey) END,
                   coalesce(d.colocationid, 0)
            FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
            LEFT JOIN pg_dist_partition d ON d.logicalrelid = c.oid
            WHERE c.relkind = 'r'
            """,
            logger: logger
        )
        var placements: [String: Placement] = [:]
        for try await (name, kind, column, colocation) in rows.decode((String, String, String?, Int).self) {
            placements[name] = Placement(kind: kind, column: column, colocation: colocation)
        }
        return placements
    }

    @Test("on Citus every tenant table is distributed by tenant_id in one colocation group, every global table is a reference table, every shard has its table's policies")
    func schemaIsDistributed() async throws {
        try await withTestDatabase { database in
            try await database.ownerURL.withConnection(logger: Self.logger) { connection in
                let tenantTables = Set(try await Self.tenantTables(on: connection))
                guard let cluster = try CitusCluster.configured() else {
                    // Plain PostgreSQL: the migration distributed nothing and needs nothing of Citus.
                    let rows = try await connection.query("SELECT count(*)::int FROM pg_extension WHERE extname = 'citus'", logger: Self.logger)
                    for try await count in rows.decode(Int.self) { #expect(count == 0) }
                    #expect(tenantTables.contains("data_points"))
                    return
                }
                let placements = try await Self.placements(on: connection)
                let distributed = tenantTables.subtracting(["tenants"])
                #expect(distributed.count >= 17)
                let groups = Set(distributed.compactMap { placements[$0]?.colocation })
                #expect(groups.count == 1 && !groups.contains(0))
                for table in distributed.sorted() {
                    #expect(placements[table]?.kind == "h" && placements[table]?.column == "tenant_id", "\(table) is not distributed by tenant_id")
                }
                for (table, placement) in placements where !distributed.contains(table) && table != "schema_migrations" {
                    #expect(placement.kind == "n", "\(table) is not a reference table")
                }
                #expect(placements["tenants"]?.kind == "n")
                #expect(placements["schema_migrations"]?.kind == "-")

                // Each shard on each worker carries its table's policies and row-level security.
                let expected = try await Self.policyCounts(on: connection)
                var shardsSeen = 0
                for worker in cluster.workers {
                    try await worker.with(database: database.name).withConnection(logger: Self.logger) { connection in
                        try await connection.execute("SET citus.override_table_visibility TO off", logger: Self.logger)
                        let rows = try await connection.query(
                            """
                            SELECT s.logicalrelid::regclass::text, c.relname::text, c.relrowsecurity AND c.relforcerowsecurity,
                                   (SELECT count(*)::int FROM pg_policy p WHERE p.polrelid = c.oid)
                            FROM pg_dist_shard s
                            JOIN pg_class c ON c.relname = s.logicalrelid::regclass::text || '_' || s.shardid
                            """,
                            logger: Self.logger
                        )
                        for try await (table, shard, secured, policies) in rows.decode((String, String, Bool, Int).self) {
                            shardsSeen += 1
                            #expect(policies == expected[table, default: 0], "\(shard) has \(policies) policies, \(table) has \(expected[table, default: 0])")
                            if expected[table, default: 0] > 0 {
                                #expect(secured, "\(shard) lacks forced row-level security")
                            }
                        }
                    }
                }
                #expect(shardsSeen > distributed.count)
            }
        }
    }

    /// The tables with a `tenant_id` column, the registry among them.
    static func tenantTables(on connection: PostgresConnection) async throws -> [String] {
        let rows = try await connection.query(
            """
            SELECT c.relname::text FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
            WHERE c.relkind = 'r' ORDER BY 1
            """,
            logger: logger
        )
        var names: [String] = []
        for try await name in rows.decode(String.self) { names.append(name) }
        return names
    }

    static func policyCounts(on connection: PostgresConnection) async throws -> [String: Int] {
        let rows = try await connection.query(
            "SELECT tablename::text, count(*)::int FROM pg_policies WHERE schemaname = 'public' GROUP BY tablename",
            logger: logger
        )
        var counts: [String: Int] = [:]
        for try await (table, count) in rows.decode((String, Int).self) { counts[table] = count }
        return counts
    }

    @Test("the service role reads no tenant's rows without a setting, and one tenant's session never another's, on whichever node they live")
    func isolationHoldsOnEveryNode() async throws {
        try await withTestDatabase { database in
            _ = try await database.serviceURL.withConnection(logger: Self.logger) { connection in
                try await DemoLoader(logger: Self.logger).loadIfMissing(on: connection)
            }
            // As the owner: how many rows each tenant has in each table (RLS does not apply).
            let (tables, owned, pair) = try await database.ownerURL.withConnection(logger: Self.logger) { connection in
                let tables = try await Self.tenantTables(on: connection)
                var owned: [String: [UUID: Int]] = [:]
                for table in tables {
                    // The names come from the catalog, never from input.
                    let rows = try await connection.query(
                        PostgresQuery(unsafeSQL: "SELECT tenant_id, count(*)::int FROM \(table) GROUP BY tenant_id"),
                        logger: Self.logger
                    )
                    for try await (tenant, count) in rows.decode((UUID, Int).self) { owned[table, default: [:]][tenant] = count }
                }
                return (tables, owned, try await Self.tenantsOnTwoNodes(on: connection))
            }
            #expect(owned.filter { !$0.value.isEmpty }.count >= 12, "the demo fills most tenant tables")

            try await withDatabase(database.serviceURL) { service in
                // No setting: nothing, through the coordinator, from every shard.
                try await service.withTransaction { connection in
                    for table in tables {
                        let seen = try await Self.count(table, on: connection)
                        #expect(seen == 0, "\(table) shows rows without a tenant setting")
                    }
                }
                // Each of the two tenants (on two workers under Citus) sees its own rows only,
                // also when a query names the other.
                for (mine, theirs) in [(pair.0, pair.1), (pair.1, pair.0)] {
                    try await service.withTenantTransaction(.tenant(mine)) { connection in
                        for table in tables {
                            let own = owned[table]?[mine] ?? 0
                            let seen = try await Self.count(table, on: connection)
                            let named = try await Self.count(table, tenant: theirs, on: connection)
                            #expect(seen == own, "\(table): a tenant sees other rows than its own")
                            #expect(named == 0, "\(table): a tenant reads another tenant's rows")
                        }
                    }
                }
            }
        }
    }

    /// Two demo tenants with data: on Citus, placed on different workers.
    static func tenantsOnTwoNodes(on connection: PostgresConnection) async throws -> (UUID, UUID) {
        let citus = CitusCluster.isConfigured
        let rows = try await connection.query(
            citus
                ? """
                SELECT d.tenant_id, n.nodeport
                FROM (SELECT DISTINCT tenant_id FROM data_points) d
                JOIN pg_dist_placement p ON p.shardid = get_shard_id_for_distribution_column('data_points', d.tenant_id)
                JOIN pg_dist_node n ON n.groupid = p.groupid
                ORDER BY d.tenant_id
                """
                : "SELECT DISTINCT tenant_id, 0 FROM data_points ORDER BY tenant_id",
            logger: logger
        )
        var first: (UUID, Int)?
        for try await (tenant, node) in rows.decode((UUID, Int).self) {
            guard let chosen = first else {
                first = (tenant, node)
                continue
            }
            if node != chosen.1 || !citus { return (chosen.0, tenant) }
        }
        throw DistributionTestError.noTwoNodes
    }

    static func count(_ table: String, tenant: UUID? = nil, on connection: PostgresConnection) async throws -> Int {
        // The table names come from the catalog, never from input; the tenant is bound.
        var query = PostgresQuery(unsafeSQL: "SELECT count(*)::int FROM \(table)")
        if let tenant {
            query = "SELECT count(*)::int FROM \(unescaped: table) WHERE tenant_id = \(tenant)"
        }
        let rows = try await connection.query(query, logger: logger)
        for try await count in rows.decode(Int.self) { return count }
        return -1
    }
}

enum DistributionTestError: Error {
    case noTwoNodes
}
