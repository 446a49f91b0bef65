-- recommendations_cache becomes the second copy of the cached list that a session start can
-- serve while Redis is unreachable (services/core.py): it needs the personality profile the
-- list was made with, which the session start returns beside it. Rows written before this
-- column existed cannot say, so they are dropped (it is a cache: the next start remakes them).
DELETE FROM recommendations_cache;
ALTER TABLE recommendations_cache ADD COLUMN personality json;
