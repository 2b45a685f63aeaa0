-- The Center's line in the database itself (DESIGN §2): the global tables (the catalogue,
-- programs and their years, fee schedules, funding sources and grants, the measure
-- library, the tenants registry, users) are written only by a transaction that runs as
-- `mpmp_center_admin`, and that role is assumed only by `app_open_session` for the
-- session of a Center admin (or by an operator at the machine). The service role alone
-- keeps what the other callers need, column by column:
--   users (email, display_name, password_hash)       an invitee's own new account;
--   users (password_hash, password_changed_at,
--          display_name)                              a password change;
--   tenants (name, updated_at)                        a CEO's profile edit.
-- Nobody but a Center admin can set users.is_center_admin or users.disabled_at, create a
-- tenant or change its population (its fee tier).
--
-- The login role (`mpmp migrate` provisions it) becomes NOINHERIT, a member of both group
-- roles, with `mpmp_app` as its default role: its sessions run as `mpmp_app`, and
-- `SET LOCAL ROLE mpmp_center_admin` lasts one transaction. `RESET ROLE` comes back to
-- `mpmp_app`; `SET ROLE NONE` leaves the login role itself, which inherits nothing and
-- can do nothing (fail closed).
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'mpmp_center_admin') THEN
        CREATE ROLE mpmp_center_admin NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS INHERIT;
    END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL;
END $$;

-- Everything the service role may do, a Center admin may do: the same policies apply
-- (they name mpmp_app, whose privileges this role inherits).
GRANT mpmp_app TO mpmp_center_admin;

REVOKE INSERT, UPDATE, DELETE ON
    jurisdictions, tenant_kinds, programs, program_years, program_tenant_kinds, fee_tiers,
    funding_sources, grant_awards, measure_templates, tenants, users
FROM mpmp_app;

GRANT INSERT, UPDATE ON jurisdictions, tenant_kinds, programs, program_years, funding_sources TO mpmp_center_admin;
GRANT INSERT, DELETE ON program_tenant_kinds, fee_tiers TO mpmp_center_admin;
GRANT INSERT ON grant_awards, measure_templates TO mpmp_center_admin;
GRANT INSERT, UPDATE ON tenants, users TO mpmp_center_admin;

GRANT INSERT (email, display_name, password_hash) ON users TO mpmp_app;
GRANT UPDATE (password_hash, password_changed_at, display_name) ON users TO mpmp_app;
GRANT UPDATE (name, updated_at) ON tenants TO mpmp_app;

-- app_open_session of migration 0005, which now assumes the Center-admin role for a Center
-- admin's session (step 1) and is otherwise unchanged.
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
           s.last_seen_at < now() - make_interval(secs => p_touch_seconds) AS stale,
           set_config('app.user_id', u.id::text, true) AS user_setting
      INTO caller
      FROM sessions s JOIN users u ON u.id = s.user_id
     WHERE s.token_hash = p_token_hash
       AND s.revoked_at IS NULL AND s.expires_at > now()
       AND s.last_seen_at > now() - make_interval(secs => p_idle_seconds)
       AND u.disabled_at IS NULL;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    -- A Center admin's transaction runs as the Center-admin role, which alone writes the
    -- global tables; nobody else's ever does.
    IF caller.is_center_admin THEN
        PERFORM set_config('role', 'mpmp_center_admin', true);
    END IF;
    -- last_seen_at is written at most once per touch interval: reads stay reads.
    IF caller.stale THEN
        UPDATE sessions SET last_seen_at = now() WHERE token_hash = p_token_hash;
    END IF;

    -- 2. The grants, and the tenant settings they allow for the scope, in one statement.
    --    A Center admin keeps the setting for a tenant that does not exist yet (onboarding
    --    writes it in this transaction); anyone else without a grant there sees nothing.
    SELECT g.tenants, g.roles, g.departments,
           set_config('app.tenant_ids',
               CASE
                   WHEN p_scope = 'tenant' THEN
                       CASE WHEN caller.is_center_admin OR p_tenant = ANY (g.tenants) THEN ARRAY[p_tenant]::text ELSE '{}' END
                   WHEN p_scope = 'granted' AND caller.is_center_admin THEN '{}'
                   WHEN p_scope IN ('granted', 'own') THEN
                       (SELECT coalesce(array_agg(DISTINCT t), '{}') FROM unnest(g.tenants) AS t)::text
                   ELSE '{}'
               END, true),
           set_config('app.all_tenants', CASE WHEN p_scope = 'granted' AND caller.is_center_admin THEN 'on' ELSE 'off' END, true)
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
