-- One statement opens a request: it finds the live session behind a token, reads the
-- user's grants, sets the row-level security settings for the scope the request asked
-- for, and answers who is calling. Every authenticated request runs it first inside its
-- one transaction, so that the session check, the grants and the tenant settings cost a
-- single round trip.
--
-- SECURITY INVOKER (the default): the service role's own grants and policies apply. The
-- grants are read only after `app.user_id` is set, through the policy own_grants.
--
-- Scopes:
--   'platform'  no tenant rows (global tables only);
--   'tenant'    one tenant, p_tenant: visible to a Center admin when it exists, to anyone
--               else when they hold a grant in it (otherwise they see no tenant rows);
--   'granted'   every tenant the caller holds a grant in; every tenant for a Center admin;
--   'own'       every tenant the caller holds a grant in, even for a Center admin.
CREATE FUNCTION app_open_session(
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

GRANT EXECUTE ON FUNCTION app_open_session(text, double precision, double precision, text, uuid) TO mpmp_app;
