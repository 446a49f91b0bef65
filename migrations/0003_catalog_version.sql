-- A version of the catalogue that changes whenever the tracks table does, so a host can tell
-- whether the catalogue files it memory-maps (under the data directory) are still current.
-- A random uuid rather than a counter: two databases never share a version.

CREATE TABLE catalog_version (
    id          boolean PRIMARY KEY DEFAULT true CHECK (id),   -- exactly one row
    version     uuid NOT NULL DEFAULT gen_random_uuid(),
    changed_at  timestamptz NOT NULL DEFAULT now()
);
INSERT INTO catalog_version DEFAULT VALUES;

CREATE FUNCTION bump_catalog_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE catalog_version SET version = gen_random_uuid(), changed_at = now();
    RETURN NULL;
END $$;

-- once per statement: a COPY of a million rows bumps it once
CREATE TRIGGER tracks_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON tracks
    FOR EACH STATEMENT EXECUTE FUNCTION bump_catalog_version();
