-- The tenant dashboard in one statement (issue 10): the session, its settings and the
-- dashboard's query in one round trip, with no BEGIN and no COMMIT around them.
--
-- A signed-in request costs the server about 0.2 ms of CPU per round trip to PostgreSQL
-- (a write, a wake-up, a read, a task resumed), and the dashboard took four: BEGIN,
-- app_open_session, the query, COMMIT. As one statement it runs in PostgreSQL's implicit
-- transaction, which commits before the answer is sent.
--
-- The refusals decided here are recorded here, in that same transaction: an unknown or
-- ended session, and a tenant the caller may not see (or that does not exist). The
-- application names both audit records (their id, action, target and the client's
-- address); the statement writes the one that applies, with the caller as its actor
-- when there is one, and answers no measure. So a refusal still commits its audit record
-- in the request's one transaction.
--
-- The first row answered is the session (the columns of app_open_session, last; the
-- measure's columns NULL); each further row is a measure (its columns first, so that
-- reading it stops before the session's, which are NULL). Every measure of
-- the tenant comes back: the application confines a department head to their department,
-- as the rule of Work.departmentScope says. The targets come for two fiscal years: the
-- one asked for, or, when none was, both years that may hold today (the application
-- picks by the jurisdiction's start month, which it learns from the first row).
CREATE FUNCTION app_read_dashboard(
    p_token_hash text,
    p_idle_seconds double precision,
    p_touch_seconds double precision,
    p_tenant uuid,
    p_fiscal_year smallint,
    p_other_fiscal_year smallint,
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
    other_target_value text,
    other_tolerance_bp integer,
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
    fiscal_year_start_month smallint
)
LANGUAGE plpgsql VOLATILE
AS $$
#variable_conflict use_column
DECLARE
    caller record;
BEGIN
    SELECT * INTO caller FROM app_open_session(p_token_hash, p_idle_seconds, p_touch_seconds, 'tenant', p_tenant);
    IF NOT FOUND THEN
        INSERT INTO platform_audit_events (id, actor_id, action, target, outcome, client_address)
        VALUES (p_refusal_id, NULL, p_session_refusal_action, p_session_refusal_target, 'denied', p_client_address);
        RETURN;
    END IF;
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
    RETURN NEXT;
    IF NOT caller.tenant_visible THEN
        INSERT INTO platform_audit_events (id, actor_id, action, target, outcome, client_address)
        VALUES (p_refusal_id, caller.user_id, p_tenant_refusal_action, p_tenant_refusal_target, 'denied', p_client_address);
        RETURN;
    END IF;
    -- DashboardStatement's one-tenant query, with the second year's target beside the first.
    RETURN QUERY
        SELECT m.tenant_id, m.id, m.department_id, m.name, m.definition, m.unit, m.direction, m.frequency,
               m.owner_id, m.template_id, m.sharing,
               t.target_value::text, t.tolerance_bp, o.target_value::text, o.tolerance_bp, p.recent,
               NULL::uuid, NULL::text, NULL::text, NULL::boolean, NULL::boolean, NULL::uuid[], NULL::text[],
               NULL::text[], NULL::boolean, NULL::smallint
          FROM measures m
          LEFT JOIN targets t ON t.tenant_id = p_tenant AND t.measure_id = m.id AND t.fiscal_year = p_fiscal_year
          LEFT JOIN targets o ON o.tenant_id = p_tenant AND o.measure_id = m.id AND o.fiscal_year = p_other_fiscal_year
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
    text, double precision, double precision, uuid, smallint, smallint, integer, uuid, text, text, text, text, text
) TO mpmp_app;
