-- Data-due reminders (issue 14, DESIGN §12): on its tenant's due day, the owner of a
-- measure whose last ended period has no value gets one mail. data_reminders keeps one row
-- per measure and period, written in the same transaction as the mail: whatever runs twice
-- (two workers, a repeated run), the primary key lets only one of them write the row and
-- its mail.
ALTER TABLE tenants ADD COLUMN data_due_day smallint NOT NULL DEFAULT 15 CHECK (data_due_day BETWEEN 1 AND 28);

CREATE TABLE data_reminders (
    tenant_id uuid NOT NULL REFERENCES tenants (tenant_id),
    measure_id uuid NOT NULL,
    period date NOT NULL CHECK (period BETWEEN date '1900-01-01' AND date '2199-12-31'),
    owner_id uuid NOT NULL REFERENCES users (id),
    sent_on date NOT NULL,
    PRIMARY KEY (tenant_id, measure_id, period),
    FOREIGN KEY (tenant_id, measure_id) REFERENCES measures (tenant_id, id)
);

ALTER TABLE data_reminders ENABLE ROW LEVEL SECURITY;
ALTER TABLE data_reminders FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_member ON data_reminders TO mpmp_app
    USING (tenant_id = ANY ((SELECT app_tenant_ids())::uuid[])) WITH CHECK (tenant_id = ANY ((SELECT app_tenant_ids())::uuid[]));
CREATE POLICY center_admin ON data_reminders TO mpmp_app
    USING ((SELECT app_all_tenants())) WITH CHECK ((SELECT app_all_tenants()));
GRANT SELECT, INSERT ON data_reminders TO mpmp_app;
