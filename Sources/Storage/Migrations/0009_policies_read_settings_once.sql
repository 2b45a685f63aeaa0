-- Row-level security reads the transaction's settings once per statement, not once per row.
--
-- The policies of migrations 0001 to 0004 call app_tenant_ids(), app_all_tenants(),
-- app_user_id() and app_benchmark_reading() in each row's check: PostgreSQL evaluated
-- `current_setting('app.tenant_ids')::uuid[]` (text parsed to an array) for every row a
-- query touched, 700 times for one dashboard of 50 measures, and as often again for each
-- row an import wrote. Wrapped in a scalar subquery, each becomes an InitPlan: evaluated
-- once when the statement runs, then compared. The rules are unchanged (the same
-- functions, the same settings); the dashboard's SQL runs about a third faster.
--
-- A statement still sees the settings of its own transaction as they were when it began;
-- app_open_session sets them in one statement and reads the grants in the next, so it
-- keeps working as before.
DO $$
DECLARE
    target record;
BEGIN
    FOR target IN SELECT tablename FROM pg_policies WHERE schemaname = 'public' AND policyname = 'tenant_member' LOOP
        EXECUTE format(
            'ALTER POLICY tenant_member ON %I USING (tenant_id = ANY ((SELECT app_tenant_ids())::uuid[]))'
                ' WITH CHECK (tenant_id = ANY ((SELECT app_tenant_ids())::uuid[]))',
            target.tablename
        );
    END LOOP;
    FOR target IN SELECT tablename FROM pg_policies WHERE schemaname = 'public' AND policyname = 'center_admin' LOOP
        EXECUTE format(
            'ALTER POLICY center_admin ON %I USING ((SELECT app_all_tenants())) WITH CHECK ((SELECT app_all_tenants()))',
            target.tablename
        );
    END LOOP;
END $$;

ALTER POLICY own_grants ON analyst_portfolios USING (user_id = (SELECT app_user_id()));
ALTER POLICY own_grants ON memberships USING (user_id = (SELECT app_user_id()));

ALTER POLICY shared_measures ON measures
    USING ((SELECT app_benchmark_reading()) AND template_id IS NOT NULL AND sharing IN ('named', 'anonymized'));
ALTER POLICY shared_data_points ON data_points
    USING ((SELECT app_benchmark_reading()) AND EXISTS (
        SELECT FROM measures m
        WHERE m.tenant_id = data_points.tenant_id AND m.id = data_points.measure_id
          AND m.template_id IS NOT NULL AND m.sharing IN ('named', 'anonymized')
    ));
ALTER POLICY named_sharers ON tenants
    USING ((SELECT app_benchmark_reading()) AND EXISTS (
        SELECT FROM measures m WHERE m.tenant_id = tenants.tenant_id AND m.sharing = 'named' AND m.template_id IS NOT NULL
    ));
