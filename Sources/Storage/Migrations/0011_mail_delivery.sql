-- Delivering the outbox (issue 14): each mail is its own job. A worker claims due mails
-- with FOR UPDATE SKIP LOCKED and a lease (locked_until), so that any number of workers
-- share the queue and a worker that dies mid-send leaves its mails to another once the
-- lease ends. A mail that fails is tried again later (next_attempt_at, with backoff) until
-- it is sent or, after the last attempt or a permanent refusal, marked failed (failed_at,
-- last_error), where a Center admin can see it.
--
-- The outbox holds links that sign people in (invitations). Requests only add to it
-- (mpmp_app: INSERT); reading and marking it is the mailer's (`mpmp_mailer`), a role the
-- login role assumes in the worker's own transactions only.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'mpmp_mailer') THEN
        CREATE ROLE mpmp_mailer NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS INHERIT;
    END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL;
END $$;

ALTER TABLE outbox
    ADD COLUMN attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    ADD COLUMN next_attempt_at timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN locked_until timestamptz,
    ADD COLUMN last_error text CHECK (length(last_error) <= 2000),
    ADD COLUMN failed_at timestamptz;
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;

GRANT SELECT (id, recipient, subject, body, created_at, sent_at, attempts, next_attempt_at, locked_until, last_error, failed_at)
    ON outbox TO mpmp_mailer;
GRANT UPDATE (sent_at, attempts, next_attempt_at, locked_until, last_error, failed_at) ON outbox TO mpmp_mailer;
GRANT INSERT ON platform_audit_events TO mpmp_mailer;
