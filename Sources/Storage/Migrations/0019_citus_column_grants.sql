-- Grants on columns (a CEO may change the tenant's public page and nothing else of its row;
-- the mailer reads the outbox's delivery columns) on Citus's shards as well.
--
-- Citus copies a table's grants to its shards but not grants on its columns, and refuses
-- a GRANT on columns of a distributed or reference table. The grants stay on the
-- coordinator's table (checked first, by PostgreSQL, when a query is planned there); this
-- function repeats them on every placement and on the workers' copies of the table
-- (the shell tables Citus keeps there), with what Citus's rewritten inserts need. It runs
-- over its own connections, which see only committed shards: hence a migration of its
-- own, after 0018 committed the distribution.
-- Run it again after anything that creates shards (isolate_tenant_to_new_shard, a split):
--     SELECT app_citus_column_grants();
-- On plain PostgreSQL it does nothing.

-- Runs `command` (with %s for the shard's name) on every placement of `relation`, or
-- fails naming the first that refused it.
CREATE FUNCTION app_citus_on_placements(relation regclass, command text) RETURNS void
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    outcome record;
BEGIN
    FOR outcome IN SELECT * FROM run_command_on_placements(relation, command) LOOP
        IF NOT outcome.success THEN
            RAISE EXCEPTION 'app_citus_column_grants: % on shard % (%:%): %',
                relation, outcome.shardid, outcome.nodename, outcome.nodeport, outcome.result;
        END IF;
    END LOOP;
END
$$;

CREATE FUNCTION app_citus_column_grants() RETURNS integer
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    item record;
    outcome record;
    granted integer := 0;
BEGIN
    IF NOT EXISTS (SELECT FROM pg_extension WHERE extname = 'citus') THEN
        RETURN 0;
    END IF;
    FOR item IN
        SELECT c.oid::regclass AS relation, x.privilege_type AS privilege, r.rolname AS grantee,
               string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) AS columns
          FROM pg_attribute a
          JOIN pg_class c ON c.oid = a.attrelid
          JOIN pg_dist_partition d ON d.logicalrelid = c.oid
          CROSS JOIN LATERAL aclexplode(a.attacl) x
          JOIN pg_roles r ON r.oid = x.grantee
         WHERE a.attacl IS NOT NULL AND a.attnum > 0 AND NOT a.attisdropped
         GROUP BY c.oid, x.privilege_type, r.rolname
         ORDER BY c.oid::regclass::text, x.privilege_type, r.rolname
    LOOP
        PERFORM app_citus_on_placements(item.relation,
            format('GRANT %s (%s) ON %%s TO %I', item.privilege, item.columns, item.grantee));
        FOR outcome IN
            SELECT * FROM run_command_on_workers(
                format('SET citus.enable_ddl_propagation TO off; GRANT %s (%s) ON %s TO %I',
                    item.privilege, item.columns, item.relation, item.grantee))
        LOOP
            IF NOT outcome.success THEN
                RAISE EXCEPTION 'app_citus_column_grants: % on worker %:%: %',
                    item.relation, outcome.nodename, outcome.nodeport, outcome.result;
            END IF;
        END LOOP;
        granted := granted + 1;
    END LOOP;
    -- Citus sends a worker an INSERT with the coordinator's defaults filled in: a role that
    -- may insert some columns of a table (the coordinator checks which) needs, on its
    -- shards, INSERT on the columns that have defaults too.
    FOR item IN
        SELECT c.oid::regclass AS relation, r.rolname AS grantee,
               string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) AS columns
          FROM pg_class c
          JOIN pg_dist_partition d ON d.logicalrelid = c.oid
          JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.atthasdef
          JOIN pg_roles r ON EXISTS (
                   SELECT FROM pg_attribute g CROSS JOIN LATERAL aclexplode(g.attacl) x
                    WHERE g.attrelid = c.oid AND x.grantee = r.oid AND x.privilege_type = 'INSERT')
         GROUP BY c.oid, r.rolname
         ORDER BY c.oid::regclass::text, r.rolname
    LOOP
        PERFORM app_citus_on_placements(item.relation, format('GRANT INSERT (%s) ON %%s TO %I', item.columns, item.grantee));
        granted := granted + 1;
    END LOOP;
    RETURN granted;
END
$$;

REVOKE ALL ON FUNCTION app_citus_on_placements(regclass, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION app_citus_column_grants() FROM PUBLIC;

SELECT app_citus_column_grants();
