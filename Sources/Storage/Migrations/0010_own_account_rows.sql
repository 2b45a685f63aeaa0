-- Accounts and sessions are changed by their owner only (or by a Center admin).
--
-- Migration 0008 left the service role column grants on users (an invitee's new account, a
-- password change, a display name) and UPDATE on sessions, for any row: a bug in the
-- application could have set another person's password hash or ended their sessions. Now
-- PostgreSQL holds the rule too: as `mpmp_app`, an UPDATE reaches only the rows of the user
-- whose session the transaction checked (`app.user_id`, set by app_open_session); the
-- Center-admin role reaches every row (disabling an account ends its sessions).
--
-- Reading stays open: signing in finds an account by its address, and a request's session
-- by its token's hash, before anyone is known. Inserting stays open: a new account comes
-- from an accepted invitation, a new session from a correct password.
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
ALTER TABLE users FORCE ROW LEVEL SECURITY;
CREATE POLICY readable ON users FOR SELECT TO mpmp_app USING (true);
CREATE POLICY new_account ON users FOR INSERT TO mpmp_app WITH CHECK (true);
CREATE POLICY own_account ON users FOR UPDATE TO mpmp_app
    USING (id = (SELECT app_user_id())) WITH CHECK (id = (SELECT app_user_id()));
CREATE POLICY any_account ON users FOR UPDATE TO mpmp_center_admin USING (true) WITH CHECK (true);

ALTER TABLE sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE sessions FORCE ROW LEVEL SECURITY;
CREATE POLICY readable ON sessions FOR SELECT TO mpmp_app USING (true);
CREATE POLICY new_session ON sessions FOR INSERT TO mpmp_app WITH CHECK (true);
CREATE POLICY own_sessions ON sessions FOR UPDATE TO mpmp_app
    USING (user_id = (SELECT app_user_id())) WITH CHECK (user_id = (SELECT app_user_id()));
CREATE POLICY any_session ON sessions FOR UPDATE TO mpmp_center_admin USING (true) WITH CHECK (true);
