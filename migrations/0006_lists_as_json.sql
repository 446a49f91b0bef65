-- The two stored lists (the list on screen, chat_sessions.shown, and the last list made,
-- recommendations_cache.tracks) are written whole at every session start and read whole;
-- nothing queries inside them. As jsonb, Postgres parses each 35-38 kB value into its
-- binary form on every write and prints it back on every read; as json it only checks the
-- syntax and keeps the text. With lz4, server CPU per 50-track write about 0.65 -> 0.33 ms,
-- per read 0.24 -> 0.08 ms (benchmarks/bench_pg_shown.py, docs/PERFORMANCE.md). Both
-- columns are compressed with lz4 where the server has it (see 0005).
ALTER TABLE chat_sessions ALTER COLUMN shown DROP DEFAULT;
ALTER TABLE chat_sessions ALTER COLUMN shown TYPE json USING shown::json;
ALTER TABLE chat_sessions ALTER COLUMN shown SET DEFAULT '[]';
ALTER TABLE recommendations_cache ALTER COLUMN tracks TYPE json USING tracks::json;
DO $$
BEGIN
    IF current_setting('server_version_num')::int >= 140000 THEN
        EXECUTE 'ALTER TABLE chat_sessions ALTER COLUMN shown SET COMPRESSION lz4';
        EXECUTE 'ALTER TABLE recommendations_cache ALTER COLUMN tracks SET COMPRESSION lz4';
    END IF;
EXCEPTION WHEN feature_not_supported THEN
    RAISE NOTICE 'lz4 is not available on this server; the stored lists keep pglz';
END
$$;
