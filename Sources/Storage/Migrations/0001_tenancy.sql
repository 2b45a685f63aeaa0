-- Tenancy: the application role, the row-level security settings, the global catalogue
-- (jurisdictions, tenant kinds, programs, program years) and the first tenant tables.

-- The group role the service logs in through (the login role is created by `mpmp migrate`
-- from APP_DATABASE_URL). It owns nothing, is not superuser and does not bypass RLS.
-- Roles belong to the whole cluster, so databases migrating side by side (each under its
-- own advisory lock) may race to create it: the loser finds it made.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'mpmp_app') THEN
        CREATE ROLE mpmp_app NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
    END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL;
END $$;

GRANT SELECT ON schema_migrations TO mpmp_app;

-- The tenants the current transaction may see, from the transaction-local setting
-- `app.tenant_ids` (a uuid[] literal). Missing or empty means none: a committed
-- `set_config(..., true)` leaves '' behind on a pooled connection, not NULL.
CREATE FUNCTION app_tenant_ids() RETURNS uuid[]
LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT coalesce(nullif(current_setting('app.tenant_ids', true), ''), '{}')::uuid[] $$;

-- True only when the application has established that a Center admin is calling.
CREATE FUNCTION app_all_tenants() RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT coalesce(current_setting('app.all_tenants', true), '') = 'on' $$;

-- Global tables: no tenant_id; written by Center admins through the API.

CREATE TABLE jurisdictions (
    code text PRIMARY KEY CHECK (code ~ '^[A-Z]{2,8}$'),
    name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    fiscal_year_start_month smallint NOT NULL CHECK (fiscal_year_start_month BETWEEN 1 AND 12),
    fiscal_year_start_day smallint NOT NULL DEFAULT 1 CHECK (fiscal_year_start_day BETWEEN 1 AND 28),
    currency char(3) NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$'),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE tenant_kinds (
    code text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]{1,39}$'),
    name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    executive_title text NOT NULL CHECK (length(btrim(executive_title)) BETWEEN 1 AND 200),
    unit_name text NOT NULL DEFAULT 'Department' CHECK (length(btrim(unit_name)) BETWEEN 1 AND 100),
    size_measure text NOT NULL DEFAULT 'population' CHECK (size_measure IN ('population', 'enrollment')),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE programs (
    code text PRIMARY KEY CHECK (code ~ '^[A-Z][A-Z0-9]{1,15}$'),
    name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    jurisdiction_code text NOT NULL REFERENCES jurisdictions (code),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE program_tenant_kinds (
    program_code text NOT NULL REFERENCES programs (code),
    tenant_kind_code text NOT NULL REFERENCES tenant_kinds (code),
    PRIMARY KEY (program_code, tenant_kind_code)
);

-- Fiscal years are named by the calendar year they end in (2015 = FY2015).
CREATE TABLE program_years (
    program_code text NOT NULL REFERENCES programs (code),
    fiscal_year smallint NOT NULL CHECK (fiscal_year BETWEEN 2000 AND 2200),
    budget_cents bigint NOT NULL DEFAULT 0 CHECK (budget_cents >= 0),
    target_state_share_bp integer NOT NULL DEFAULT 0 CHECK (target_state_share_bp BETWEEN 0 AND 10000),
    analyst_headcount integer NOT NULL DEFAULT 0 CHECK (analyst_headcount >= 0),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (program_code, fiscal_year)
);

-- Tenant tables: tenant_id leads every key; row-level security enabled and forced.

CREATE TABLE tenants (
    tenant_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    tenant_kind_code text NOT NULL REFERENCES tenant_kinds (code),
    jurisdiction_code text NOT NULL REFERENCES jurisdictions (code),
    population integer CHECK (population >= 0),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE departments (
    tenant_id uuid NOT NULL REFERENCES tenants (tenant_id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);

CREATE UNIQUE INDEX departments_name_key ON departments (tenant_id, lower(name));

ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_member ON tenants TO mpmp_app
    USING (tenant_id = ANY (app_tenant_ids()))
    WITH CHECK (tenant_id = ANY (app_tenant_ids()));
CREATE POLICY center_admin ON tenants TO mpmp_app
    USING (app_all_tenants())
    WITH CHECK (app_all_tenants());

ALTER TABLE departments ENABLE ROW LEVEL SECURITY;
ALTER TABLE departments FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_member ON departments TO mpmp_app
    USING (tenant_id = ANY (app_tenant_ids()))
    WITH CHECK (tenant_id = ANY (app_tenant_ids()));
CREATE POLICY center_admin ON departments TO mpmp_app
    USING (app_all_tenants())
    WITH CHECK (app_all_tenants());

GRANT SELECT, INSERT, UPDATE ON jurisdictions, tenant_kinds, programs, program_years TO mpmp_app;
GRANT SELECT, INSERT, DELETE ON program_tenant_kinds TO mpmp_app;
GRANT SELECT, INSERT, UPDATE ON tenants TO mpmp_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON departments TO mpmp_app;
