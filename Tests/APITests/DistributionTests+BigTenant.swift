import Foundation
import PostgresNIO
import Services
import Storage
import TestSupport
import Testing

/// A big tenant on a shard of its own (docs/scale-out.md): part of the distribution suite.
extension DistributionTests {
    @Test("a big tenant isolated on a shard of its own, moved to the other worker: alone there, its rows its own, its column grants back")
    func bigTenantIsolated() async throws {
        try await withTestDatabase { database in
            _ = try await database.serviceURL.withConnection(logger: Self.logger) { connection in
                try await DemoLoader(logger: Self.logger).loadIfMissing(on: connection)
            }
            let cluster = try CitusCluster.configured()
            let (big, other, measures) = try await database.ownerURL.withConnection(logger: Self.logger) { connection in
                let pair = try await Self.tenantsOnTwoNodes(on: connection)
                let measures = try await Self.count("measures", tenant: pair.0, on: connection)
                guard cluster != nil else {
                    let rows = try await connection.query("SELECT app_citus_column_grants()", logger: Self.logger)
                    for try await granted in rows.decode(Int.self) { #expect(granted == 0) }
                    return (pair.0, pair.1, measures)
                }
                // As the sizing guide (docs/scale-out.md) says: split the tenant's hash value
                // out of its shard group, move the new group, then repeat the column grants.
                let rows = try await connection.query(
                    """
                    SELECT isolate_tenant_to_new_shard('departments', \(pair.0), 'CASCADE', shard_transfer_mode => 'block_writes')
                    """,
                    logger: Self.logger
                )
                var isolated: Int64 = 0
                for try await shard in rows.decode(Int64.self) { isolated = shard }
                let (from, to) = try await Self.nodes(of: isolated, on: connection)
                try await connection.execute(
                    """
                    SELECT citus_move_shard_placement(\(isolated), \(from.host), \(Int32(from.port)), \(to.host), \(Int32(to.port)),
                                                      shard_transfer_mode => 'block_writes')
                    """,
                    logger: Self.logger
                )
                #expect(try await Self.nodes(of: isolated, on: connection).0.port == to.port)
                // The shards left behind by the split and the move, dropped now, not later.
                try await connection.execute("CALL citus_cleanup_orphaned_resources()", logger: Self.logger)
                let granted = try await connection.query("SELECT app_citus_column_grants()", logger: Self.logger)
                for try await count in granted.decode(Int.self) { #expect(count > 5) }
                // Alone: each tenant table's shard for the tenant covers its one hash value.
                let ranges = try await connection.query(
                    """
                    SELECT s.logicalrelid::regclass::text, s.shardminvalue = s.shardmaxvalue
                    FROM pg_dist_shard s
                    JOIN pg_dist_partition d ON d.logicalrelid = s.logicalrelid AND d.partmethod = 'h'
                    WHERE s.shardid IN (SELECT get_shard_id_for_distribution_column(p.logicalrelid, \(pair.0))
                                        FROM pg_dist_partition p WHERE p.partmethod = 'h')
                    """,
                    logger: Self.logger
                )
                var tables = 0
                for try await (table, alone) in ranges.decode((String, Bool).self) {
                    tables += 1
                    #expect(alone, "\(table): the tenant shares its shard")
                }
                #expect(tables >= 17)
                return (pair.0, pair.1, measures)
            }
            #expect(measures > 0)
            if let cluster {
                // Every shard of every worker has the grants on columns of its table.
                for worker in cluster.workers {
                    try await worker.with(database: database.name).withConnection(logger: Self.logger) { connection in
                        try await connection.execute("SET citus.override_table_visibility TO off", logger: Self.logger)
                        let rows = try await connection.query(
                            """
                            SELECT c.relname::text FROM pg_dist_shard s
                            JOIN pg_class c ON c.relname = s.logicalrelid::regclass::text || '_' || s.shardid
                            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'published'
                            WHERE s.logicalrelid = 'measures'::regclass AND a.attacl IS NULL
                            """,
                            logger: Self.logger
                        )
                        for try await shard in rows.decode(String.self) { Issue.record("\(shard) lacks the grant on published") }
                    }
                }
            }
            // The tenant's session, where it now lives: its own rows, none of the other's,
            // and the column it may write (a measure's place on the public page).
            try await withDatabase(database.serviceURL) { service in
                try await service.withTenantTransaction(.tenant(big)) { connection in
                    #expect(try await Self.count("measures", on: connection) == measures)
                    #expect(try await Self.count("measures", tenant: other, on: connection) == 0)
                    let rows = try await connection.query(
                        "UPDATE measures SET published = true WHERE tenant_id = \(big) RETURNING id",
                        logger: Self.logger
                    )
                    var updated = 0
                    for try await _ in rows.decode(UUID.self) { updated += 1 }
                    #expect(updated == measures)
                }
            }
        }
    }

    /// The worker holding `shard` (its name and port as Citus knows them), and another.
    static func nodes(of shard: Int64, on connection: PostgresConnection) async throws -> (Node, Node) {
        let rows = try await connection.query(
            """
            SELECT n.nodename, n.nodeport, o.nodename, o.nodeport
            FROM pg_dist_placement p
            JOIN pg_dist_node n ON n.groupid = p.groupid
            JOIN pg_dist_node o ON o.nodeid <> n.nodeid AND o.shouldhaveshards
            WHERE p.shardid = \(shard)
            ORDER BY o.nodeport LIMIT 1
            """,
            logger: logger
        )
        for try await (host, port, otherHost, otherPort) in rows.decode((String, Int, String, Int).self) {
            return (Node(host: host, port: port), Node(host: otherHost, port: otherPort))
        }
        throw DistributionTestError.noTwoNodes
    }

    struct Node {
        var host: String
        var port: Int
    }
}
