-- The dashboard's statement joins the targets once (issue 10).
--
-- Without a fiscal year asked for, app_read_dashboard (migration 0021) joined the targets
-- twice, for both years that may hold today, since the jurisdiction's start month is
-- known only inside the statement. That second join cost PostgreSQL about a tenth of the
-- statement under pgbench. Here the application passes instead the year holding today for
-- each start month, January to December (FiscalYear.containing, twelve times), and the
-- statement looks up the one of its tenant's jurisdiction: the rule stays in the
-- application, and the statement joins one year. A year asked for is passed twelve times.
--
-- The columns are those of 0021 less the second target, and the session row ends with
-- the year the measures' targets are of.
DROP FUNCTION app_read_dashboard(
    text, double precision, double precision, uuid, smallint, smallint, integer, uuid, text, text, text, text, text
);

CREATE FUNCTION app_read_dashboard(
    p_token_hash text,
    p_idle_seconds double precision,
    p_touch_seconds double precision,
    p_tenant uuid,
    p_fiscal_years smallint[],
    p_periods integer,
    p_refusal_id uuid,
    p_client_address text,
    p_session_refusal_action text,
    p_session_refusal_target text,
    p_tenant_refusal_action text,
    p_tenant_refusal_target text
)
RETURNS TABLE (
    measure_tenant_id uuid,
    measure_id uuid,
    department_id uuid,
    measure_name text,
    definition text,
    unit text,
    direction text,
    frequency text,
    owner_id uuid,
    template_id uuid,
    sharing text,
    target_value text,
    tolerance_bp integer,
    recent text,
    user_id uuid,
    email text,
    display_name text,
    is_center_admin boolean,
    has_password boolean,
    grant_tenants uuid[],
    grant_roles text[],
    grant_departments text[],
    tenant_visible boolean,
    fiscal_year_start_month smallint,
    fiscal_year smallint
)
LANGUAGE plpgsql VOLATILE
AS $$
#variable_conflict use_column
DECLARE
    caller record;
    year smallint;
BEGIN
    SELECT * INTO caller FROM app_open_session(p_token_hash, p_idle_seconds, p_touch_seconds, 'tenant', p_tenant);
    IF NOT FOUND THEN
        INSERT INTO platform_audit_events (id, actor_id, action, target, outcome, client_address)
        VALUES (p_refusal_id, NULL, p_session_refusal_action, p_session_refusal_target, 'denied', p_client_address);
        RETURN;
    END IF;
    -- NULL when the tenant is not the caller's to see: then no measure is read.
    year := p_fiscal_years[caller.fiscal_year_start_month];
    user_id := caller.user_id;
    email := caller.email;
    display_name := caller.display_name;
    is_center_admin := caller.is_center_admin;
    has_password := caller.has_password;
    grant_tenants := caller.grant_tenants;
    grant_roles := caller.grant_roles;
    grant_departments := caller.grant_departments;
    tenant_visible := caller.tenant_visible;
    fiscal_year_start_month := caller.fiscal_year_start_month;
    fiscal_year := year;
    RETURN NEXT;
    IF NOT caller.tenant_visible THEN
        INSERT INTO platform_audit_events (id, actor_id, action, target, outcome, client_address)
        VALUES (p_refusal_id, caller.user_id, p_tenant_refusal_action, p_tenant_refusal_target, 'denied', p_client_address);
        RETURN;
    END IF;
    -- DashboardStatement's one-tenant query.
    RETURN QUERY
        SELECT m.tenant_id, m.id, m.department_id, m.name, m.definition, m.unit, m.direction, m.frequency,
               m.owner_id, m.template_id, m.sharing,
               t.target_value::text, t.tolerance_bp, p.recent,
               NULL::uuid, NULL::text, NULL::text, NULL::boolean, NULL::boolean, NULL::uuid[], NULL::text[],
               NULL::text[], NULL::boolean, NULL::smallint, NULL::smallint
          FROM measures m
          LEFT JOIN targets t ON t.tenant_id = p_tenant AND t.measure_id = m.id AND t.fiscal_year = year
          LEFT JOIN LATERAL (
              SELECT string_agg(recent.period::text || ' ' || recent.value::text, ' ' ORDER BY recent.period) AS recent
                FROM (
                    SELECT d.period, d.value FROM data_points d
                     WHERE d.tenant_id = p_tenant AND d.measure_id = m.id
                     ORDER BY d.period DESC LIMIT p_periods
                ) recent
          ) p ON true
         WHERE m.tenant_id = p_tenant
         ORDER BY m.name, m.id;
END
$$;

GRANT EXECUTE ON FUNCTION app_read_dashboard(
    text, double precision, double precision, uuid, smallint[], integer, uuid, text, text, text, text, text
) TO mpmp_app;
