-- Performance management: the measure library, measures, targets, data points and their
-- revisions, stat meetings and action items.

-- True only in the read-only transaction of a peer benchmark (see policy shared_measures).
CREATE FUNCTION app_benchmark_reading() RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT coalesce(current_setting('app.benchmark', true), '') = 'on' $$;

-- Global: templates the Center publishes so that towns measure the same thing the same way.
CREATE TABLE measure_templates (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    definition text NOT NULL DEFAULT '' CHECK (length(definition) <= 2000),
    unit text NOT NULL CHECK (length(btrim(unit)) BETWEEN 1 AND 50),
    direction text NOT NULL CHECK (direction IN ('higher', 'lower')),
    frequency text NOT NULL CHECK (frequency IN ('monthly', 'quarterly', 'yearly')),
    published_by uuid REFERENCES users (id),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX measure_templates_name_key ON measure_templates (lower(name));

CREATE TABLE measures (
    tenant_id uuid NOT NULL REFERENCES tenants (tenant_id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    department_id uuid NOT NULL,
    name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    definition text NOT NULL DEFAULT '' CHECK (length(definition) <= 2000),
    unit text NOT NULL CHECK (length(btrim(unit)) BETWEEN 1 AND 50),
    direction text NOT NULL CHECK (direction IN ('higher', 'lower')),
    frequency text NOT NULL CHECK (frequency IN ('monthly', 'quarterly', 'yearly')),
    owner_id uuid REFERENCES users (id),
    template_id uuid REFERENCES measure_templates (id),
    sharing text NOT NULL DEFAULT 'private' CHECK (sharing IN ('private', 'named', 'anonymized')),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, department_id) REFERENCES departments (tenant_id, id)
);
CREATE UNIQUE INDEX measures_name_key ON measures (tenant_id, lower(name));
CREATE INDEX measures_by_template ON measures (template_id) WHERE template_id IS NOT NULL AND sharing <> 'private';

CREATE TABLE targets (
    tenant_id uuid NOT NULL,
    measure_id uuid NOT NULL,
    fiscal_year smallint NOT NULL CHECK (fiscal_year BETWEEN 2000 AND 2200),
    target_value numeric NOT NULL,
    tolerance_bp integer NOT NULL DEFAULT 1000 CHECK (tolerance_bp BETWEEN 0 AND 10000),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, measure_id, fiscal_year),
    FOREIGN KEY (tenant_id, measure_id) REFERENCES measures (tenant_id, id)
);

CREATE TABLE data_points (
    tenant_id uuid NOT NULL,
    measure_id uuid NOT NULL,
    period date NOT NULL,
    value numeric NOT NULL,
    note text NOT NULL DEFAULT '' CHECK (length(note) <= 1000),
    status text NOT NULL DEFAULT 'provisional' CHECK (status IN ('provisional', 'validated')),
    entered_by uuid REFERENCES users (id),
    entered_at timestamptz NOT NULL DEFAULT now(),
    validated_by uuid REFERENCES users (id),
    validated_at timestamptz,
    PRIMARY KEY (tenant_id, measure_id, period),
    FOREIGN KEY (tenant_id, measure_id) REFERENCES measures (tenant_id, id)
);

-- Every change of a data point's value, with its reason.
CREATE TABLE data_point_revisions (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    measure_id uuid NOT NULL,
    period date NOT NULL,
    previous_value numeric,
    new_value numeric NOT NULL,
    reason text NOT NULL CHECK (length(btrim(reason)) BETWEEN 1 AND 500),
    changed_by uuid REFERENCES users (id),
    changed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, measure_id) REFERENCES measures (tenant_id, id)
);
CREATE INDEX data_point_revisions_by_point ON data_point_revisions (tenant_id, measure_id, period);

CREATE TABLE meetings (
    tenant_id uuid NOT NULL REFERENCES tenants (tenant_id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    held_on date NOT NULL,
    title text NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 200),
    attendees text[] NOT NULL DEFAULT '{}',
    created_by uuid REFERENCES users (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX meetings_by_date ON meetings (tenant_id, held_on);

CREATE TABLE action_items (
    tenant_id uuid NOT NULL REFERENCES tenants (tenant_id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    title text NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 300),
    owner_id uuid REFERENCES users (id),
    due_on date,
    status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'dropped')),
    measure_id uuid,
    meeting_id uuid,
    created_at timestamptz NOT NULL DEFAULT now(),
    closed_at timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, measure_id) REFERENCES measures (tenant_id, id),
    FOREIGN KEY (tenant_id, meeting_id) REFERENCES meetings (tenant_id, id)
);
CREATE INDEX action_items_open ON action_items (tenant_id, due_on) WHERE status = 'open';

-- Items added to a meeting's agenda by hand ("new items").
CREATE TABLE meeting_items (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    meeting_id uuid NOT NULL,
    title text NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 300),
    measure_id uuid,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, meeting_id) REFERENCES meetings (tenant_id, id),
    FOREIGN KEY (tenant_id, measure_id) REFERENCES measures (tenant_id, id)
);

DO $$
DECLARE
    name text;
BEGIN
    FOREACH name IN ARRAY ARRAY['measures', 'targets', 'data_points', 'data_point_revisions', 'meetings', 'action_items', 'meeting_items'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', name);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', name);
        EXECUTE format(
            'CREATE POLICY tenant_member ON %I TO mpmp_app USING (tenant_id = ANY (app_tenant_ids())) WITH CHECK (tenant_id = ANY (app_tenant_ids()))',
            name
        );
        EXECUTE format(
            'CREATE POLICY center_admin ON %I TO mpmp_app USING (app_all_tenants()) WITH CHECK (app_all_tenants())',
            name
        );
    END LOOP;
END $$;

-- Peer benchmarks read other tenants' shared measures without switching row-level
-- security off: in a transaction that set app.benchmark, these read-only policies admit
-- rows of measures adopted from the library and shared (named or anonymized), their data
-- points, and the names of tenants that share by name. Private measures never match.
CREATE POLICY shared_measures ON measures FOR SELECT TO mpmp_app
    USING (app_benchmark_reading() AND template_id IS NOT NULL AND sharing IN ('named', 'anonymized'));
CREATE POLICY shared_data_points ON data_points FOR SELECT TO mpmp_app
    USING (app_benchmark_reading() AND EXISTS (
        SELECT FROM measures m
        WHERE m.tenant_id = data_points.tenant_id AND m.id = data_points.measure_id
          AND m.template_id IS NOT NULL AND m.sharing IN ('named', 'anonymized')
    ));
CREATE POLICY named_sharers ON tenants FOR SELECT TO mpmp_app
    USING (app_benchmark_reading() AND EXISTS (
        SELECT FROM measures m WHERE m.tenant_id = tenants.tenant_id AND m.sharing = 'named' AND m.template_id IS NOT NULL
    ));

GRANT SELECT, INSERT ON measure_templates TO mpmp_app;
GRANT SELECT, INSERT, UPDATE ON measures, targets, data_points, meetings, action_items TO mpmp_app;
GRANT SELECT, INSERT ON data_point_revisions, meeting_items TO mpmp_app;
