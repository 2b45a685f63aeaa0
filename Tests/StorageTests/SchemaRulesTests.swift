import PostgresNIO
import Storage
import TestSupport
import Testing

/// DESIGN.md section 2, read off the catalog: every table with a `tenant_id` column keeps
/// the tenancy rules. A new table that breaks one fails here.
@Suite("Schema rules for tenant tables")
struct SchemaRulesTests {
    @Test("every migrated tenant table keeps the tenancy rules")
    func migratedSchemaKeepsTheRules() async throws {
        try await withTestDatabase { database in
            try await database.ownerURL.withConnection(logger: TestDatabases.logger) { connection in
                let tables = try await SchemaRules.tenantTables(on: connection)
                #expect(tables.contains("tenants"))
                #expect(tables.contains("departments"))
                let violations = try await SchemaRules.violations(on: connection)
                #expect(violations == [])
                if CitusCluster.isConfigured {
                    #expect(try await SchemaRules.distributionViolations(on: connection) == [])
                }
            }
        }
    }

    @Test("a tenant table that breaks each rule is reported")
    func brokenTableIsReported() async throws {
        try await withTestDatabase { database in
            try await database.ownerURL.withConnection(logger: TestDatabases.logger) { connection in
                try await connection.execute(
                    """
                    CREATE TABLE careless (
                        id uuid PRIMARY KEY,
                        tenant_id uuid NOT NULL,
                        department_id uuid NOT NULL,
                        code text NOT NULL UNIQUE,
                        FOREIGN KEY (tenant_id, department_id) REFERENCES departments (id, tenant_id)
                    )
                    """,
                    logger: TestDatabases.logger
                )
                let violations = try await SchemaRules.violations(on: connection)
                #expect(violations.contains("careless: row-level security is not enabled"))
                #expect(violations.contains("careless: row-level security is not forced"))
                #expect(violations.contains("careless: has no policy"))
                #expect(violations.contains("careless: primary key does not start with tenant_id"))
                #expect(violations.contains("careless: unique index careless_code_key lacks tenant_id"))
                #expect(violations.contains("careless: foreign key careless_tenant_id_department_id_fkey to departments does not pair tenant_id with tenant_id"))
            }
        }
    }

    @Test("a foreign key to a tenant table without tenant_id is reported (on Citus, refused)")
    func foreignKeyWithoutTenantIsReported() async throws {
        try await withTestDatabase { database in
            try await database.ownerURL.withConnection(logger: TestDatabases.logger) { connection in
                if CitusCluster.isConfigured {
                    // A distributed table takes no unique index without its distribution
                    // column, and no foreign key that could cross tenants: Citus refuses both.
                    await #expect(throws: PSQLError.self) {
                        try await connection.execute("CREATE UNIQUE INDEX departments_id_only ON departments (id)", logger: TestDatabases.logger)
                    }
                    try await connection.execute(
                        "CREATE TABLE loose (tenant_id uuid NOT NULL, id uuid NOT NULL, department_id uuid NOT NULL, PRIMARY KEY (tenant_id, id))",
                        logger: TestDatabases.logger
                    )
                    try await connection.execute(
                        "SELECT create_distributed_table('loose', 'tenant_id', colocate_with => 'departments')", logger: TestDatabases.logger
                    )
                    // Pairs tenant_id with a department's id: PostgreSQL alone would take it.
                    await #expect(throws: PSQLError.self) {
                        try await connection.execute(
                            "ALTER TABLE loose ADD FOREIGN KEY (department_id, tenant_id) REFERENCES departments (tenant_id, id)",
                            logger: TestDatabases.logger
                        )
                    }
                    return
                }
                for statement: PostgresQuery in [
                    "CREATE UNIQUE INDEX departments_id_only ON departments (id)",
                    """
                    CREATE TABLE loose (
                        tenant_id uuid NOT NULL,
                        id uuid NOT NULL,
                        department_id uuid NOT NULL REFERENCES departments (id),
                        PRIMARY KEY (tenant_id, id)
                    )
                    """,
                    "ALTER TABLE loose ENABLE ROW LEVEL SECURITY",
                    "ALTER TABLE loose FORCE ROW LEVEL SECURITY",
                    "CREATE POLICY tenant_member ON loose USING (tenant_id = ANY (app_tenant_ids()))",
                ] {
                    try await connection.execute(statement, logger: TestDatabases.logger)
                }
                let violations = try await SchemaRules.violations(on: connection)
                #expect(violations.contains("departments: unique index departments_id_only lacks tenant_id"))
                #expect(violations.contains("loose: foreign key loose_department_id_fkey to departments does not pair tenant_id with tenant_id"))
                #expect(!violations.contains { $0.hasPrefix("loose: row-level") || $0.hasPrefix("loose: primary") })
            }
        }
    }

    @Test("views run with the caller's rights; no SECURITY DEFINER function without a pinned search_path")
    func viewsAndFunctionsAreSafe() async throws {
        try await withTestDatabase { database in
            try await database.ownerURL.withConnection(logger: TestDatabases.logger) { connection in
                let rows = try await connection.query(
                    """
                    SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE n.nspname = 'public' AND c.relkind = 'v'
                      AND NOT coalesce('security_invoker=true' = ANY (c.reloptions), false)
                      -- An extension's own (Citus's citus_tables) are not the schema's.
                      AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
                    UNION ALL
                    SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                    WHERE n.nspname = 'public' AND p.prosecdef
                      AND NOT EXISTS (SELECT FROM unnest(p.proconfig) setting WHERE setting LIKE 'search_path=%')
                      AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
                    """,
                    logger: TestDatabases.logger
                )
                var offenders: [String] = []
                for try await name in rows.decode(String.self) { offenders.append(name) }
                #expect(offenders == [])
            }
        }
    }
}

/// The tenancy rules of DESIGN.md section 2 as catalog queries.
enum SchemaRules {
    static func tenantTables(on connection: PostgresConnection) async throws -> [String] {
        let rows = try await connection.query(
            """
            SELECT c.relname FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
            WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
            ORDER BY c.relname
            """,
            logger: TestDatabases.logger
        )
        var names: [String] = []
        for try await name in rows.decode(String.self) { names.append(name) }
        return names
    }

    /// One line per broken rule, `table: what is wrong`.
    static func violations(on connection: PostgresConnection) async throws -> [String] {
        let rows = try await connection.query(
            """
            WITH tenant_tables AS (
                SELECT c.oid, c.relname, c.relrowsecurity, c.relforcerowsecurity, a.attnum AS tenant_attnum
                FROM pg_class c
                JOIN pg_namespace n ON n.oid = c.relnamespace
                JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
                WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
            )
            SELECT relname || ': row-level security is not enabled' FROM tenant_tables WHERE NOT relrowsecurity
            UNION ALL
            SELECT relname || ': row-level security is not forced' FROM tenant_tables WHERE NOT relforcerowsecurity
            UNION ALL
            SELECT t.relname || ': has no policy' FROM tenant_tables t
            WHERE NOT EXISTS (SELECT FROM pg_policy p WHERE p.polrelid = t.oid)
            UNION ALL
            SELECT t.relname || ': primary key does not start with tenant_id' FROM tenant_tables t
            WHERE NOT EXISTS (
                SELECT FROM pg_constraint k
                WHERE k.conrelid = t.oid AND k.contype = 'p' AND k.conkey[1] = t.tenant_attnum
            )
            UNION ALL
            SELECT t.relname || ': unique index ' || i.relname || ' lacks tenant_id'
            FROM tenant_tables t
            JOIN pg_index x ON x.indrelid = t.oid AND x.indisunique
            JOIN pg_class i ON i.oid = x.indexrelid
            WHERE NOT (t.tenant_attnum = ANY (x.indkey::int2[]))
              -- The registry is a reference table in waiting, whole on every node: its
              -- names are unique per jurisdiction and kind (DESIGN.md section 2), and the
              -- addresses of public pages (migration 0016) across tenants.
              AND NOT (t.relname = 'tenants' AND i.relname IN ('tenants_name_key', 'tenants_public_slug_key'))
            UNION ALL
            SELECT t.relname || ': foreign key ' || k.conname || ' to ' || r.relname
                || ' does not pair tenant_id with tenant_id'
            FROM tenant_tables t
            JOIN pg_constraint k ON k.conrelid = t.oid AND k.contype = 'f'
            JOIN tenant_tables r ON r.oid = k.confrelid
            WHERE NOT EXISTS (
                SELECT FROM generate_subscripts(k.conkey, 1) position
                WHERE k.conkey[position] = t.tenant_attnum AND k.confkey[position] = r.tenant_attnum
            )
            ORDER BY 1
            """,
            logger: TestDatabases.logger
        )
        var violations: [String] = []
        for try await line in rows.decode(String.self) { violations.append(line) }
        return violations
    }

    /// On Citus (migration 0018): every tenant table but the registry distributed by
    /// `tenant_id` in the colocation group of `departments`; every other table of the
    /// schema (the registry among them) a reference table, but the migrations' own record.
    static func distributionViolations(on connection: PostgresConnection) async throws -> [String] {
        let rows = try await connection.query(
            """
            WITH tables AS (
                SELECT c.oid, c.relname,
                       EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)
                           AND c.relname <> 'tenants' AS distributed,
                       d.partmethod, d.colocationid,
                       CASE WHEN d.partmethod = 'h' THEN column_to_column_name(d.logicalrelid, d.partkey) END AS column_name
                FROM pg_class c
                JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
                LEFT JOIN pg_dist_partition d ON d.logicalrelid = c.oid
                WHERE c.relkind = 'r' AND c.relname <> 'schema_migrations'
                  AND NOT EXISTS (SELECT FROM pg_depend e WHERE e.classid = 'pg_class'::regclass AND e.objid = c.oid AND e.deptype = 'e')
            )
            SELECT relname || ': not distributed by tenant_id' FROM tables
            WHERE distributed AND (partmethod IS DISTINCT FROM 'h' OR column_name IS DISTINCT FROM 'tenant_id')
            UNION ALL
            SELECT relname || ': not colocated with departments' FROM tables
            WHERE distributed AND colocationid IS DISTINCT FROM (SELECT colocationid FROM pg_dist_partition WHERE logicalrelid = 'departments'::regclass)
            UNION ALL
            SELECT relname || ': not a reference table' FROM tables
            WHERE NOT distributed AND partmethod IS DISTINCT FROM 'n'
            ORDER BY 1
            """,
            logger: TestDatabases.logger
        )
        var violations: [String] = []
        for try await line in rows.decode(String.self) { violations.append(line) }
        return violations
    }
}
