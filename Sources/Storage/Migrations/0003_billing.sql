-- Fee billing: fee schedules, funding sources and grants (global); enrollments, invoices,
-- payments and credit notes (tenant); invoice numbers and idempotency keys.

-- Global: what each program year charges and who funds it.
CREATE TABLE fee_tiers (
    program_code text NOT NULL,
    fiscal_year smallint NOT NULL,
    minimum_size integer NOT NULL CHECK (minimum_size >= 0),
    fee_cents bigint NOT NULL CHECK (fee_cents >= 0),
    PRIMARY KEY (program_code, fiscal_year, minimum_size),
    FOREIGN KEY (program_code, fiscal_year) REFERENCES program_years (program_code, fiscal_year)
);

CREATE TABLE funding_sources (
    code text PRIMARY KEY CHECK (code ~ '^[A-Z][A-Z0-9_-]{1,31}$'),
    name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    jurisdiction_code text NOT NULL REFERENCES jurisdictions (code),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE grant_awards (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    program_code text NOT NULL,
    fiscal_year smallint NOT NULL,
    funding_source_code text NOT NULL REFERENCES funding_sources (code),
    amount_cents bigint NOT NULL CHECK (amount_cents > 0),
    awarded_on date NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (program_code, fiscal_year) REFERENCES program_years (program_code, fiscal_year)
);

-- The last invoice number of each program year. Finalization increments it in the same
-- transaction that numbers the invoice, under the row's lock: numbers are gapless (a
-- rolled-back finalization gives its number back) and never shared.
CREATE TABLE invoice_number_counters (
    program_code text NOT NULL,
    fiscal_year smallint NOT NULL,
    last_number integer NOT NULL DEFAULT 0,
    PRIMARY KEY (program_code, fiscal_year),
    FOREIGN KEY (program_code, fiscal_year) REFERENCES program_years (program_code, fiscal_year)
);

-- Tenant: a tenant in a program year, and its money.
CREATE TABLE enrollments (
    tenant_id uuid NOT NULL REFERENCES tenants (tenant_id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    program_code text NOT NULL,
    fiscal_year smallint NOT NULL,
    joined_on date NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (program_code, fiscal_year) REFERENCES program_years (program_code, fiscal_year)
);
CREATE UNIQUE INDEX enrollments_once_per_year ON enrollments (tenant_id, program_code, fiscal_year);
CREATE INDEX enrollments_by_program_year ON enrollments (program_code, fiscal_year);

CREATE TABLE invoices (
    tenant_id uuid NOT NULL REFERENCES tenants (tenant_id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    enrollment_id uuid NOT NULL,
    program_code text NOT NULL,
    fiscal_year smallint NOT NULL,
    status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'finalized', 'paid', 'void')),
    -- The yearly fee of the tenant's tier, the days billed and the year's days, and the
    -- prorated amount (half-up to the cent), so that an auditor can redo the division.
    annual_fee_cents bigint NOT NULL CHECK (annual_fee_cents >= 0),
    billed_days integer NOT NULL CHECK (billed_days BETWEEN 1 AND 366),
    year_days integer NOT NULL CHECK (year_days IN (365, 366)),
    amount_cents bigint NOT NULL CHECK (amount_cents >= 0),
    number text,
    issued_on date,
    due_on date,
    created_at timestamptz NOT NULL DEFAULT now(),
    finalized_at timestamptz,
    voided_at timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, enrollment_id) REFERENCES enrollments (tenant_id, id),
    CHECK ((status = 'draft') = (number IS NULL)),
    CHECK ((status = 'draft') = (due_on IS NULL))
);
-- One live invoice per enrollment: a run may be repeated, or run twice at once.
CREATE UNIQUE INDEX invoices_one_live_per_enrollment ON invoices (tenant_id, enrollment_id) WHERE status <> 'void';
CREATE UNIQUE INDEX invoices_number_key ON invoices (tenant_id, program_code, fiscal_year, number);
CREATE INDEX invoices_by_program_year ON invoices (program_code, fiscal_year);

CREATE TABLE payments (
    tenant_id uuid NOT NULL REFERENCES tenants (tenant_id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    invoice_id uuid NOT NULL,
    amount_cents bigint NOT NULL CHECK (amount_cents > 0),
    method text NOT NULL CHECK (method IN ('check', 'ach', 'purchase_order', 'other')),
    reference text NOT NULL DEFAULT '' CHECK (length(reference) <= 200),
    received_on date NOT NULL,
    recorded_by uuid REFERENCES users (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoices (tenant_id, id)
);
CREATE INDEX payments_by_invoice ON payments (tenant_id, invoice_id);

CREATE TABLE credit_notes (
    tenant_id uuid NOT NULL REFERENCES tenants (tenant_id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    invoice_id uuid NOT NULL,
    amount_cents bigint NOT NULL CHECK (amount_cents > 0),
    reason text NOT NULL CHECK (length(btrim(reason)) BETWEEN 1 AND 500),
    issued_on date NOT NULL,
    recorded_by uuid REFERENCES users (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoices (tenant_id, id)
);
CREATE INDEX credit_notes_by_invoice ON credit_notes (tenant_id, invoice_id);

-- A finalized invoice's amounts never change: only its status may move on (to paid or
-- void, or back from paid to finalized never). Enforced here, not only in Swift.
CREATE FUNCTION invoices_guard_finalized() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.status <> 'draft' THEN
            RAISE EXCEPTION 'invoice % is % and cannot be deleted', OLD.number, OLD.status
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN OLD;
    END IF;
    IF OLD.status <> 'draft' AND (
        NEW.amount_cents, NEW.annual_fee_cents, NEW.billed_days, NEW.year_days, NEW.number,
        NEW.issued_on, NEW.due_on, NEW.enrollment_id, NEW.program_code, NEW.fiscal_year, NEW.tenant_id
    ) IS DISTINCT FROM (
        OLD.amount_cents, OLD.annual_fee_cents, OLD.billed_days, OLD.year_days, OLD.number,
        OLD.issued_on, OLD.due_on, OLD.enrollment_id, OLD.program_code, OLD.fiscal_year, OLD.tenant_id
    ) THEN
        RAISE EXCEPTION 'invoice % is % and its amounts cannot change; issue a credit note', OLD.number, OLD.status
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF OLD.status <> NEW.status AND NOT (
        (OLD.status = 'draft' AND NEW.status IN ('finalized', 'void'))
        OR (OLD.status = 'finalized' AND NEW.status IN ('paid', 'void'))
    ) THEN
        RAISE EXCEPTION 'an invoice cannot go from % to %', OLD.status, NEW.status
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER invoices_guard_finalized
    BEFORE UPDATE OR DELETE ON invoices
    FOR EACH ROW EXECUTE FUNCTION invoices_guard_finalized();

-- Payments and credit notes are records: no updates, no deletes (corrections are new rows).
-- Idempotency keys: the first answer to a money-moving POST, replayed for a repeat.
CREATE TABLE idempotency_keys (
    user_id uuid NOT NULL REFERENCES users (id),
    key text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
    request_hash text NOT NULL,
    response_status integer,
    response_body text,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, key)
);

DO $$
DECLARE
    name text;
BEGIN
    FOREACH name IN ARRAY ARRAY['enrollments', 'invoices', 'payments', 'credit_notes'] LOOP
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

GRANT SELECT, INSERT, UPDATE ON programs, program_years, funding_sources TO mpmp_app;
GRANT SELECT, INSERT, DELETE ON fee_tiers TO mpmp_app;
GRANT SELECT, INSERT ON grant_awards TO mpmp_app;
GRANT SELECT, INSERT, UPDATE ON invoice_number_counters TO mpmp_app;
GRANT SELECT, INSERT ON enrollments, payments, credit_notes TO mpmp_app;
GRANT SELECT, INSERT, UPDATE ON invoices TO mpmp_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON idempotency_keys TO mpmp_app;
