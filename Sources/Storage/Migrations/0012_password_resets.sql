-- Password reset by mail (issue 14): a single-use link, valid for an hour. The table keeps
-- only the SHA-256 of each link's secret. Using a link is the credential that lets the
-- transaction act for its user (it sets app.user_id, as a checked session does), so the
-- account rules of migration 0010 hold: the service role changes only that user's row.
CREATE TABLE password_resets (
    token_hash text PRIMARY KEY CHECK (token_hash ~ '^[0-9a-f]{64}$'),
    user_id uuid NOT NULL REFERENCES users (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at timestamptz
);
CREATE INDEX password_resets_by_user ON password_resets (user_id);

GRANT SELECT, INSERT ON password_resets TO mpmp_app;
GRANT UPDATE (used_at) ON password_resets TO mpmp_app;
