-- The public page's second wall (DESIGN §2): the transaction that reads a public page sets
-- only app.public_slug, never app.tenant_ids, so these policies alone let it read that one
-- tenant's departments, its published measures, and their targets and values. Nothing
-- unpublished is readable there, whatever the application's own queries say. Every other
-- transaction leaves the setting empty: the first conjunct is false and nothing more runs.
CREATE FUNCTION app_public_reading() RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT coalesce(current_setting('app.public_slug', true), '') <> '' $$;

-- The tenant whose page is on at the address set (0016's policy lets this read it).
CREATE FUNCTION app_public_tenant() RETURNS uuid
LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT tenant_id FROM tenants WHERE public_page AND public_slug = nullif(current_setting('app.public_slug', true), '') $$;

CREATE POLICY public_page ON departments FOR SELECT TO mpmp_app
    USING ((SELECT app_public_reading()) AND tenant_id = (SELECT app_public_tenant()));
CREATE POLICY public_page ON measures FOR SELECT TO mpmp_app
    USING ((SELECT app_public_reading()) AND published AND tenant_id = (SELECT app_public_tenant()));
CREATE POLICY public_page ON targets FOR SELECT TO mpmp_app
    USING ((SELECT app_public_reading()) AND tenant_id = (SELECT app_public_tenant()) AND EXISTS (
        SELECT FROM measures m WHERE m.tenant_id = targets.tenant_id AND m.id = targets.measure_id AND m.published
    ));
CREATE POLICY public_page ON data_points FOR SELECT TO mpmp_app
    USING ((SELECT app_public_reading()) AND tenant_id = (SELECT app_public_tenant()) AND EXISTS (
        SELECT FROM measures m WHERE m.tenant_id = data_points.tenant_id AND m.id = data_points.measure_id AND m.published
    ));
