-- Identity: users, sessions, login throttling, grants, invitations, the outbox and the
-- audit trail.

-- The user a transaction acts for, from the transaction-local setting `app.user_id`:
-- it lets a user read their own grants before the tenants they may see are known.
CREATE FUNCTION app_user_id() RETURNS uuid
LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT nullif(current_setting('app.user_id', true), '')::uuid $$;

-- Global: identity is one per person, whatever the tenants they work for.
CREATE TABLE users (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email text NOT NULL CHECK (length(email) BETWEEN 3 AND 254 AND email ~ '^[^@[:space:]]+@[^@[:space:]]+$'),
    display_name text NOT NULL DEFAULT '' CHECK (length(display_name) <= 200),
    -- bcrypt; NULL until the user accepts an invitation and chooses a password.
    password_hash text CHECK (password_hash ~ '^\$2[aby]\$[0-9]{2}\$'),
    is_center_admin boolean NOT NULL DEFAULT false,
    disabled_at timestamptz,
    password_changed_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

-- Only the SHA-256 of a session token is stored: a copy of this table opens no session.
CREATE TABLE sessions (
    token_hash text PRIMARY KEY CHECK (token_hash ~ '^[0-9a-f]{64}$'),
    user_id uuid NOT NULL REFERENCES users (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz,
    client_address text
);
CREATE INDEX sessions_live_by_user ON sessions (user_id) WHERE revoked_at IS NULL;

-- Failed logins per account (`account:<email>`) and per client (`address:<ip>`), here so
-- that every replica agrees.
CREATE TABLE login_throttles (
    key text PRIMARY KEY CHECK (length(key) <= 300),
    failures integer NOT NULL DEFAULT 0,
    window_started_at timestamptz NOT NULL DEFAULT now(),
    locked_until timestamptz
);

-- Tenant grants. A user may read their own grant rows (policy own_grants) so that the
-- service can learn which tenants they see; everything else goes by tenant.
CREATE TABLE analyst_portfolios (
    tenant_id uuid NOT NULL REFERENCES tenants (tenant_id),
    user_id uuid NOT NULL REFERENCES users (id),
    assigned_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, user_id)
);
CREATE INDEX analyst_portfolios_by_user ON analyst_portfolios (user_id);

CREATE TABLE memberships (
    tenant_id uuid NOT NULL REFERENCES tenants (tenant_id),
    user_id uuid NOT NULL REFERENCES users (id),
    role text NOT NULL CHECK (role IN ('ceo', 'department_head')),
    department_id uuid,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, user_id),
    FOREIGN KEY (tenant_id, department_id) REFERENCES departments (tenant_id, id),
    CHECK ((role = 'department_head') = (department_id IS NOT NULL))
);
CREATE INDEX memberships_by_user ON memberships (user_id);

-- Single-use invitations; the token's SHA-256 only, like sessions.
CREATE TABLE invitations (
    tenant_id uuid NOT NULL REFERENCES tenants (tenant_id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    email text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
    role text NOT NULL CHECK (role IN ('ceo', 'department_head')),
    department_id uuid,
    token_hash text NOT NULL CHECK (token_hash ~ '^[0-9a-f]{64}$'),
    invited_by uuid NOT NULL REFERENCES users (id),
    expires_at timestamptz NOT NULL,
    accepted_at timestamptz,
    accepted_by uuid REFERENCES users (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, department_id) REFERENCES departments (tenant_id, id),
    CHECK ((role = 'department_head') = (department_id IS NOT NULL))
);
CREATE UNIQUE INDEX invitations_token_key ON invitations (tenant_id, token_hash);

-- What would be e-mailed. The service only adds to it.
CREATE TABLE outbox (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    recipient text NOT NULL,
    subject text NOT NULL,
    body text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    sent_at timestamptz
);

-- The audit trail, append-only for the service (SELECT and INSERT, no UPDATE, no DELETE).
-- Events inside a tenant go to audit_events, under row-level security; events with no
-- tenant (logins, the catalogue, users) and denials of tenants the caller cannot see go to
-- platform_audit_events, which only Center admins read.
CREATE TABLE audit_events (
    tenant_id uuid NOT NULL REFERENCES tenants (tenant_id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    occurred_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    actor_id uuid REFERENCES users (id),
    action text NOT NULL,
    target text NOT NULL,
    outcome text NOT NULL CHECK (outcome IN ('success', 'failure', 'denied')),
    client_address text,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX audit_events_by_time ON audit_events (tenant_id, occurred_at DESC);

CREATE TABLE platform_audit_events (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    occurred_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    actor_id uuid REFERENCES users (id),
    action text NOT NULL,
    target text NOT NULL,
    outcome text NOT NULL CHECK (outcome IN ('success', 'failure', 'denied')),
    client_address text
);
CREATE INDEX platform_audit_events_by_time ON platform_audit_events (occurred_at DESC);

DO $$
DECLARE
    name text;
BEGIN
    FOREACH name IN ARRAY ARRAY['analyst_portfolios', 'memberships', 'invitations', 'audit_events'] LOOP
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

CREATE POLICY own_grants ON analyst_portfolios FOR SELECT TO mpmp_app USING (user_id = app_user_id());
CREATE POLICY own_grants ON memberships FOR SELECT TO mpmp_app USING (user_id = app_user_id());

GRANT SELECT, INSERT, UPDATE ON users, sessions, invitations TO mpmp_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON login_throttles, memberships TO mpmp_app;
GRANT SELECT, INSERT, DELETE ON analyst_portfolios TO mpmp_app;
GRANT INSERT ON outbox TO mpmp_app;
GRANT SELECT, INSERT ON audit_events, platform_audit_events TO mpmp_app;
