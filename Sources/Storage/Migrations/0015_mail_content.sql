-- The rest of the mails of issue 14 (DESIGN §12).
--
-- Each mail has an HTML alternative beside its plain text, and a kind (invitation,
-- password_reset, data_reminder, invoice, digest) so that a Center admin reading the mails
-- that failed knows what they were. A Center admin reads the outbox's delivery columns
-- only: bodies hold links that sign people in.
ALTER TABLE outbox
    ADD COLUMN html text,
    ADD COLUMN kind text NOT NULL DEFAULT 'mail' CHECK (kind ~ '^[a-z_]{1,40}$');
CREATE INDEX outbox_failed ON outbox (failed_at DESC) WHERE failed_at IS NOT NULL;
GRANT SELECT (html, kind) ON outbox TO mpmp_mailer;
GRANT SELECT (id, recipient, subject, kind, created_at, sent_at, attempts, next_attempt_at, last_error, failed_at)
    ON outbox TO mpmp_center_admin;

-- A finalized invoice goes to the tenant's billing contact, a profile field its CEO sets.
ALTER TABLE tenants ADD COLUMN billing_email text
    CHECK (billing_email IS NULL OR (length(billing_email) BETWEEN 3 AND 254 AND billing_email ~ '^[^@[:space:]]+@[^@[:space:]]+$'));
GRANT UPDATE (billing_email) ON tenants TO mpmp_app;

-- Analysts get a weekly digest unless they opt out (their own row: migration 0010's
-- policy). One row per analyst and week (its Monday), written with the mail in one
-- transaction: whatever runs twice, one digest per week.
ALTER TABLE users ADD COLUMN weekly_digest boolean NOT NULL DEFAULT true;
GRANT UPDATE (weekly_digest) ON users TO mpmp_app;

CREATE TABLE analyst_digests (
    user_id uuid NOT NULL REFERENCES users (id),
    week_of date NOT NULL CHECK (extract(isodow FROM week_of) = 1 AND week_of BETWEEN date '1900-01-01' AND date '2199-12-31'),
    sent_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, week_of)
);
GRANT SELECT, INSERT ON analyst_digests TO mpmp_app;
