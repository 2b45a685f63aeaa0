-- The schema on Citus (DESIGN §2): on plain PostgreSQL this migration changes how the
-- transaction's settings are written and how four policies say what they admit; when the
-- `citus` extension is present it also distributes the schema by tenant.
--
-- 1. Settings reach every node. Citus runs a shard's query on a worker, in a session of
--    its own, where `set_config` on the coordinator is never seen: row-level security
--    there would read an empty setting (closed, but broken). Every setting the
--    application makes now goes through app_set(name, value), which takes the value as a
--    bind parameter, checks it is a setting the application owns with a value of its kind
--    (uuid[], uuid, on/off), and sets it for the transaction. On Citus it also issues
--    `SET LOCAL name = 'value'` with citus.propagate_set_commands = 'local', which Citus
--    replays on each worker session of the transaction. SET takes no bind parameter: its
--    literal is the value PostgreSQL itself printed from the typed value (uuid[]::text,
--    uuid::text, 'on'/'off'), quoted by format('%L'); request text never reaches it. The
--    address of a public page (text from the request) is set locally only.
--
-- 2. Policies without subqueries over other tables. Citus cannot run a policy whose
--    EXISTS reads another table on a shard. The four that did (a benchmark's shared values
--    and named sharers, a public page's targets and values) now compare with settings that
--    the database computed in the same transaction from the policies of `measures`:
--    app_open_benchmark(template) and app_open_public_page(slug) read the shared or
--    published measures (only those are visible) and set their ids. The rows admitted are
--    the same; a caller still cannot name a measure the database did not find shared or
--    published, since it never sets these itself.
--
-- 3. With Citus: every table with tenant_id (but the registry) is distributed by
--    tenant_id in one colocation group; the global tables and the tenants registry are
--    reference tables, whole on every node (DESIGN §2 calls the registry a reference table
--    in waiting and keeps its names unique across tenants). Citus takes them in this
--    order: foreign keys and policies off, reference tables, distributed tables, then the
--    foreign keys and the policies back (each policy's settings read as a call, not as a
--    subquery: Citus refuses subqueries in policies) and the finalized-invoice trigger
--    (kept: it reads only the row it guards, so Citus may run it on the shard). The group
--    roles log in on the workers, since Citus opens each worker session as the role the
--    transaction runs as (mpmp_app, mpmp_center_admin, mpmp_mailer); a real cluster lets
--    them in from the coordinator only (pg_hba.conf, pg_dist_authinfo).

-- 1. ------------------------------------------------------------------------------------

-- The value a setting of the application is set to, as PostgreSQL prints its type; NULL
-- when the name is not one of them or the value is not of its kind. (Checked by pattern,
-- not by a cast in an exception block: on Citus a subtransaction is a round trip to every
-- worker the transaction has reached.)
CREATE FUNCTION app_setting_value(p_name text, p_value text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE
        WHEN p_name IN ('app.tenant_ids', 'app.benchmark_measures', 'app.benchmark_named_tenants', 'app.public_measures') THEN
            CASE
                WHEN coalesce(p_value, '') = '' THEN '{}'
                WHEN p_value ~* '^\{([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(,[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})*)?\}$'
                    THEN p_value::uuid[]::text
            END
        WHEN p_name IN ('app.user_id', 'app.public_tenant') THEN
            CASE
                WHEN coalesce(p_value, '') = '' THEN ''
                WHEN p_value ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN p_value::uuid::text
            END
        WHEN p_name IN ('app.all_tenants', 'app.benchmark') AND p_value IN ('on', 'off', '') THEN p_value
    END
$$;

-- Sets one of the application's settings for the rest of the transaction (plain
-- PostgreSQL: set_config; with Citus, replaced below to reach the workers too).
CREATE FUNCTION app_set(p_name text, p_value text) RETURNS text
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    setting text := app_setting_value(p_name, p_value);
BEGIN
    IF setting IS NULL THEN
        RAISE EXCEPTION 'app_set: % is not a setting of the application, or its value is not of its kind', p_name
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN set_config(p_name, setting, true);
END
$$;

CREATE FUNCTION app_benchmark_measures() RETURNS uuid[]
LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT coalesce(nullif(current_setting('app.benchmark_measures', true), ''), '{}')::uuid[] $$;

CREATE FUNCTION app_benchmark_named_tenants() RETURNS uuid[]
LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT coalesce(nullif(current_setting('app.benchmark_named_tenants', true), ''), '{}')::uuid[] $$;

CREATE FUNCTION app_public_measures() RETURNS uuid[]
LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT coalesce(nullif(current_setting('app.public_measures', true), ''), '{}')::uuid[] $$;

CREATE FUNCTION app_public_slug() RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT nullif(current_setting('app.public_slug', true), '') $$;

-- A public page is being read once its tenant is found (app_open_public_page).
CREATE OR REPLACE FUNCTION app_public_reading() RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT coalesce(current_setting('app.public_tenant', true), '') <> '' $$;

CREATE OR REPLACE FUNCTION app_public_tenant() RETURNS uuid
LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT nullif(current_setting('app.public_tenant', true), '')::uuid $$;

-- A benchmark of one template's measures: the shared measures (the policy shared_measures
-- shows only those) and the tenants that share theirs by name.
CREATE FUNCTION app_open_benchmark(p_template uuid) RETURNS void
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    shared uuid[];
    named uuid[];
BEGIN
    PERFORM app_set('app.benchmark', 'on');
    SELECT coalesce(array_agg(m.id), '{}'),
           coalesce(array_agg(DISTINCT m.tenant_id) FILTER (WHERE m.sharing = 'named'), '{}')
      INTO shared, named
      FROM measures m
     WHERE m.template_id = p_template AND m.sharing IN ('named', 'anonymized');
    PERFORM app_set('app.benchmark_measures', shared::text);
    PERFORM app_set('app.benchmark_named_tenants', named::text);
END
$$;

-- The tenant whose page is on at p_slug (the policy public_page of tenants shows that one
-- row while the address is set) and its published measures; no row when there is none.
CREATE FUNCTION app_open_public_page(p_slug text) RETURNS TABLE (tenant_id uuid, name text)
LANGUAGE plpgsql VOLATILE
AS $$
#variable_conflict use_column
DECLARE
    found_tenant uuid;
    found_name text;
    published uuid[];
BEGIN
    PERFORM set_config('app.public_slug', p_slug, true);
    SELECT t.tenant_id, t.name INTO found_tenant, found_name
      FROM tenants t WHERE t.public_page AND t.public_slug = p_slug;
    PERFORM set_config('app.public_slug', '', true);
    IF found_tenant IS NULL THEN
        RETURN;
    END IF;
    PERFORM app_set('app.public_tenant', found_tenant::text);
    SELECT coalesce(array_agg(m.id), '{}') INTO published
      FROM measures m WHERE m.tenant_id = found_tenant AND m.published;
    PERFORM app_set('app.public_measures', published::text);
    tenant_id := found_tenant;
    name := found_name;
    RETURN NEXT;
END
$$;

-- app_open_session of migration 0008, its settings written through app_set.
CREATE OR REPLACE FUNCTION app_open_session(
    p_token_hash text,
    p_idle_seconds double precision,
    p_touch_seconds double precision,
    p_scope text,
    p_tenant uuid
)
RETURNS TABLE (
    user_id uuid,
    email text,
    display_name text,
    is_center_admin boolean,
    has_password boolean,
    grant_tenants uuid[],
    grant_roles text[],
    grant_departments text[],
    tenant_visible boolean,
    fiscal_year_start_month smallint
)
LANGUAGE plpgsql VOLATILE
AS $$
#variable_conflict use_column
DECLARE
    caller record;
    visible boolean := false;
    start_month smallint;
BEGIN
    -- 1. The live session and its user; app.user_id is set by this very statement, so
    --    that the next one reads the user's grants through the policy own_grants.
    SELECT u.id, u.email, u.display_name, u.is_center_admin, u.password_hash IS NOT NULL AS has_password,
           s.last_seen_at < now() - make_interval(secs => p_touch_seconds) AS stale
      INTO caller
      FROM sessions s JOIN users u ON u.id = s.user_id
     WHERE s.token_hash = p_token_hash
       AND s.revoked_at IS NULL AND s.expires_at > now()
       AND s.last_seen_at > now() - make_interval(secs => p_idle_seconds)
       AND u.disabled_at IS NULL;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    PERFORM app_set('app.user_id', caller.id::text);
    -- A Center admin's transaction runs as the Center-admin role, which alone writes the
    -- global tables; nobody else's ever does.
    IF caller.is_center_admin THEN
        PERFORM set_config('role', 'mpmp_center_admin', true);
    END IF;
    -- last_seen_at is written at most once per touch interval: reads stay reads.
    IF caller.stale THEN
        UPDATE sessions SET last_seen_at = now() WHERE token_hash = p_token_hash;
    END IF;

    -- 2. The grants, and the tenant settings they allow for the scope.
    --    A Center admin keeps the setting for a tenant that does not exist yet (onboarding
    --    writes it in this transaction); anyone else without a grant there sees nothing.
    SELECT g.tenants, g.roles, g.departments
      INTO grant_tenants, grant_roles, grant_departments
      FROM (
          SELECT coalesce(array_agg(x.tenant_id ORDER BY x.tenant_id, x.role), '{}') AS tenants,
                 coalesce(array_agg(x.role ORDER BY x.tenant_id, x.role), '{}') AS roles,
                 coalesce(array_agg(coalesce(x.department_id::text, '') ORDER BY x.tenant_id, x.role), '{}') AS departments
            FROM (
                SELECT p.tenant_id, 'analyst'::text AS role, NULL::uuid AS department_id
                  FROM analyst_portfolios p WHERE p.user_id = caller.id
                UNION ALL
                SELECT m.tenant_id, m.role, m.department_id
                  FROM memberships m WHERE m.user_id = caller.id
            ) x
      ) g;
    PERFORM app_set('app.tenant_ids',
        CASE
            WHEN p_scope = 'tenant' THEN
                CASE WHEN caller.is_center_admin OR p_tenant = ANY (grant_tenants) THEN ARRAY[p_tenant]::text ELSE '{}' END
            WHEN p_scope = 'granted' AND caller.is_center_admin THEN '{}'
            WHEN p_scope IN ('granted', 'own') THEN
                (SELECT coalesce(array_agg(DISTINCT t), '{}') FROM unnest(grant_tenants) AS t)::text
            ELSE '{}'
        END);
    PERFORM app_set('app.all_tenants', CASE WHEN p_scope = 'granted' AND caller.is_center_admin THEN 'on' ELSE 'off' END);

    -- 3. For one tenant: whether it is there for the caller, and its fiscal year's start.
    IF p_scope = 'tenant' AND (caller.is_center_admin OR p_tenant = ANY (grant_tenants)) THEN
        SELECT j.fiscal_year_start_month INTO start_month
          FROM tenants t JOIN jurisdictions j ON j.code = t.jurisdiction_code
         WHERE t.tenant_id = p_tenant;
        visible := FOUND;
    END IF;

    user_id := caller.id;
    email := caller.email;
    display_name := caller.display_name;
    is_center_admin := caller.is_center_admin;
    has_password := caller.has_password;
    tenant_visible := visible;
    fiscal_year_start_month := start_month;
    RETURN NEXT;
END
$$;

-- 2. ------------------------------------------------------------------------------------

ALTER POLICY shared_data_points ON data_points
    USING ((SELECT app_benchmark_reading()) AND measure_id = ANY ((SELECT app_benchmark_measures())::uuid[]));
ALTER POLICY named_sharers ON tenants
    USING ((SELECT app_benchmark_reading()) AND tenant_id = ANY ((SELECT app_benchmark_named_tenants())::uuid[]));
ALTER POLICY public_page ON tenants
    USING (public_page AND public_slug = (SELECT app_public_slug()));
ALTER POLICY public_page ON targets
    USING ((SELECT app_public_reading()) AND tenant_id = (SELECT app_public_tenant())
        AND measure_id = ANY ((SELECT app_public_measures())::uuid[]));
ALTER POLICY public_page ON data_points
    USING ((SELECT app_public_reading()) AND tenant_id = (SELECT app_public_tenant())
        AND measure_id = ANY ((SELECT app_public_measures())::uuid[]));

-- 3. ------------------------------------------------------------------------------------

DO $citus$
DECLARE
    item record;
    statement text;
    foreign_keys text[] := '{}';
    policies text[] := '{}';
    reference_tables text[];
    tenant_tables text[];
    -- `( SELECT app_tenant_ids() AS app_tenant_ids)`, as PostgreSQL prints a setting read once
    read_once constant text := '\(\s*SELECT (app_[a-z_]+)\(\) AS app_[a-z_]+\)';
BEGIN
    IF NOT EXISTS (SELECT FROM pg_extension WHERE extname = 'citus') THEN
        RETURN;
    END IF;
    SET LOCAL citus.multi_shard_modify_mode TO 'sequential';
    SET LOCAL citus.enable_unsafe_triggers TO on;

    -- Citus opens each worker session as the role the transaction runs as, and takes an
    -- internal lock before an upsert on a reference table (whole on every node) that by
    -- default asks for UPDATE, DELETE or TRUNCATE on it; these roles hold narrower grants
    -- (INSERT only, or columns). Skipping that check concerns Citus's own lock only: the
    -- statement itself still needs its privileges and passes row-level security.
    FOR item IN SELECT rolname, rolcanlogin, rolconfig FROM pg_roles WHERE rolname IN ('mpmp_app', 'mpmp_center_admin', 'mpmp_mailer') LOOP
        IF NOT item.rolcanlogin THEN
            EXECUTE format('ALTER ROLE %I LOGIN', item.rolname);
        END IF;
        IF NOT coalesce('citus.skip_advisory_lock_permission_checks=on' = ANY (item.rolconfig), false) THEN
            EXECUTE format('ALTER ROLE %I SET citus.skip_advisory_lock_permission_checks = on', item.rolname);
        END IF;
    END LOOP;

    -- On Citus the settings also reach the workers' sessions of the transaction.
    CREATE OR REPLACE FUNCTION app_set(p_name text, p_value text) RETURNS text
    LANGUAGE plpgsql VOLATILE
    AS $body$
    DECLARE
        setting text := app_setting_value(p_name, p_value);
    BEGIN
        IF setting IS NULL THEN
            RAISE EXCEPTION 'app_set: % is not a setting of the application, or its value is not of its kind', p_name
                USING ERRCODE = 'invalid_parameter_value';
        END IF;
        SET LOCAL citus.propagate_set_commands TO 'local';
        -- One connection per worker for the whole transaction: a request that read many
        -- shards (the caller's grants) may then write a reference table that distributed
        -- tables refer to, which Citus refuses after a parallel read.
        SET LOCAL citus.multi_shard_modify_mode TO 'sequential';
        -- p_name is one of app_setting_value's names; setting is what PostgreSQL printed.
        EXECUTE format('SET LOCAL %s = %L', p_name, setting);
        RETURN setting;
    END
    $body$;

    SELECT array_agg(c.relname::text ORDER BY c.relname) FILTER (WHERE a.attname IS NULL OR c.relname = 'tenants'),
           array_agg(c.relname::text ORDER BY c.relname) FILTER (WHERE a.attname IS NOT NULL AND c.relname <> 'tenants')
      INTO reference_tables, tenant_tables
      FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
      LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
     WHERE c.relkind = 'r' AND c.relname <> 'schema_migrations'
       AND NOT EXISTS (SELECT FROM pg_dist_partition d WHERE d.logicalrelid = c.oid);

    FOR item IN SELECT conrelid::regclass AS relation, conname, pg_get_constraintdef(oid) AS definition
                  FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace LOOP
        foreign_keys := foreign_keys || format('ALTER TABLE %s ADD CONSTRAINT %I %s', item.relation, item.conname, item.definition);
        EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', item.relation, item.conname);
    END LOOP;
    FOR item IN SELECT * FROM pg_policies WHERE schemaname = 'public' LOOP
        policies := policies || format('CREATE POLICY %I ON %I AS %s FOR %s TO %s%s%s',
            item.policyname, item.tablename, item.permissive, item.cmd, array_to_string(item.roles, ', '),
            ' USING (' || regexp_replace(item.qual, read_once, '\1()', 'g') || ')',
            ' WITH CHECK (' || regexp_replace(item.with_check, read_once, '\1()', 'g') || ')');
        EXECUTE format('DROP POLICY %I ON %I', item.policyname, item.tablename);
    END LOOP;

    FOREACH statement IN ARRAY reference_tables LOOP
        PERFORM create_reference_table(statement);
    END LOOP;
    PERFORM create_distributed_table('departments', 'tenant_id', colocate_with => 'none');
    FOREACH statement IN ARRAY tenant_tables LOOP
        IF statement <> 'departments' THEN
            PERFORM create_distributed_table(statement, 'tenant_id', colocate_with => 'departments');
        END IF;
    END LOOP;

    FOREACH statement IN ARRAY foreign_keys LOOP
        EXECUTE statement;
    END LOOP;
    FOREACH statement IN ARRAY policies LOOP
        EXECUTE statement;
    END LOOP;
END
$citus$;
