-- The list on screen is rewritten at every session start (about 35-38 kB of JSON for 50
-- tracks with their breakdowns) and Postgres compresses it on the way to TOAST. lz4 costs
-- the server about 0.45 ms of CPU less per write than the default pglz (0.51 against 0.95 ms,
-- benchmarks/bench_pg_shown.py, docs/PERFORMANCE.md) for a slightly larger value. A server
-- without lz4 (built without it, as the embedded one is, or older than 14) keeps its default.
DO $$
BEGIN
    IF current_setting('server_version_num')::int >= 140000 THEN
        EXECUTE 'ALTER TABLE chat_sessions ALTER COLUMN shown SET COMPRESSION lz4';
    END IF;
EXCEPTION WHEN feature_not_supported THEN
    RAISE NOTICE 'lz4 is not available on this server; chat_sessions.shown keeps pglz';
END
$$;
