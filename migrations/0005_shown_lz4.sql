-- The list on screen is rewritten at every session start (about 38 kB of JSON for 50
-- tracks with their breakdowns) and Postgres compresses it on the way to TOAST. lz4 costs
-- the server about 0.3 ms of CPU less per write than the default pglz (0.49 against 0.79 ms
-- for an insert of such a list, docs/PERFORMANCE.md) for a slightly larger value. A server
-- built without lz4 (the embedded one is) keeps its default: the change is skipped there.
DO $$
BEGIN
    ALTER TABLE chat_sessions ALTER COLUMN shown SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
    RAISE NOTICE 'lz4 is not available on this server; chat_sessions.shown keeps pglz';
END
$$;
