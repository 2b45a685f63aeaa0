-- A town's public performance page (DESIGN §11): opt-in per tenant and per measure.
--
-- The CEO turns the page on and names its address (/public/{slug}); each measure is
-- published on it or not. Nobody signs in to read it: its transaction sets
-- app.public_slug, which alone makes that one tenant's registry row readable (only while
-- the page is on), then reads the published measures of that tenant only.
ALTER TABLE tenants
    ADD COLUMN public_page boolean NOT NULL DEFAULT false,
    ADD COLUMN public_slug text CHECK (public_slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(public_slug) BETWEEN 2 AND 60);
-- Like tenants_name_key (0006): the registry is a reference table in waiting, so its
-- addresses are unique across tenants.
CREATE UNIQUE INDEX tenants_public_slug_key ON tenants (public_slug);
GRANT UPDATE (public_page, public_slug) ON tenants TO mpmp_app;

ALTER TABLE measures ADD COLUMN published boolean NOT NULL DEFAULT false;
GRANT UPDATE (published) ON measures TO mpmp_app;

CREATE POLICY public_page ON tenants FOR SELECT TO mpmp_app
    USING (public_page AND public_slug = (SELECT nullif(current_setting('app.public_slug', true), '')));
