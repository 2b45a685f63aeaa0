-- A tenant's name is unique within its jurisdiction and kind (DESIGN.md section 2): two
-- "Springfield" municipalities may exist in two states, not in one. Names compare without
-- case and outer spaces. On a database that already holds such a pair, this migration
-- stops with PostgreSQL's duplicate-key error naming them: rename one, then migrate again.
--
-- The tenants registry is a reference table in waiting (replicated whole to every node
-- under Citus), so this unique index needs no tenant_id; the distributed tenant tables keep
-- that rule.
CREATE UNIQUE INDEX tenants_name_key ON tenants (jurisdiction_code, tenant_kind_code, lower(btrim(name)));
