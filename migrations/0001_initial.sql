-- tunemate's data model (SPEC "Data model"). Applied once, in one transaction.

CREATE TABLE users (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    display_name  text NOT NULL DEFAULT '' CHECK (length(display_name) <= 100),
    token_hash    bytea NOT NULL UNIQUE,          -- sha256 of the API token; the token itself is never stored
    created_at    timestamptz NOT NULL DEFAULT now()   -- account age drives cold start
);

CREATE TABLE tracks (
    id               text PRIMARY KEY,
    name             text NOT NULL,
    artists          text NOT NULL,
    album            text NOT NULL DEFAULT '',
    release_date     text NOT NULL DEFAULT '',       -- as published: YYYY, YYYY-MM or YYYY-MM-DD
    release_year     smallint NOT NULL DEFAULT 0,    -- 0 = unknown
    popularity       real CHECK (popularity BETWEEN 0 AND 100),
    genres           text[] NOT NULL DEFAULT '{}',
    subgenres        text[] NOT NULL DEFAULT '{}',
    isrc             text,
    danceability     real,
    energy           real,
    key              real,
    loudness         real,
    mode             real,
    speechiness      real,
    acousticness     real,
    instrumentalness real,
    liveness         real,
    valence          real,
    tempo            real,
    duration_ms      real
);
CREATE INDEX tracks_isrc_idx ON tracks (isrc) WHERE isrc IS NOT NULL;
CREATE INDEX tracks_name_lower_idx ON tracks (lower(name));

CREATE TABLE listening_history (
    user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    track_id     text NOT NULL REFERENCES tracks (id) ON DELETE CASCADE,
    play_count   integer NOT NULL CHECK (play_count > 0),
    last_played  timestamptz,
    source       text NOT NULL CHECK (source IN ('manual', 'spotify_top', 'spotify_recent')),
    PRIMARY KEY (user_id, track_id)
);
CREATE INDEX listening_history_track_idx ON listening_history (track_id);

CREATE TABLE personality_scores (
    id                bigserial PRIMARY KEY,
    user_id           uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    openness          real NOT NULL CHECK (openness BETWEEN 1 AND 5),
    conscientiousness real NOT NULL CHECK (conscientiousness BETWEEN 1 AND 5),
    extraversion      real NOT NULL CHECK (extraversion BETWEEN 1 AND 5),
    agreeableness     real NOT NULL CHECK (agreeableness BETWEEN 1 AND 5),
    neuroticism       real NOT NULL CHECK (neuroticism BETWEEN 1 AND 5),
    source            text NOT NULL CHECK (source IN ('bfi44', 'direct', 'chat')),
    answers           jsonb,
    created_at        timestamptz NOT NULL DEFAULT now()
);
-- the latest row is the active profile
CREATE INDEX personality_scores_latest_idx ON personality_scores (user_id, id DESC);

CREATE TABLE recommendations_cache (
    user_id       uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    generated_at  timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL,
    tracks        jsonb NOT NULL,       -- the list with each track's score breakdown
    metadata      jsonb NOT NULL
);

CREATE TABLE q_values (
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    state       text NOT NULL,
    action      text NOT NULL,
    q           double precision NOT NULL DEFAULT 0,
    visits      integer NOT NULL DEFAULT 0 CHECK (visits >= 0),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, state, action)
);

CREATE TABLE chat_sessions (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    shown       jsonb NOT NULL DEFAULT '[]',   -- the list on screen, in order, with breakdowns
    state       text NOT NULL DEFAULT 'default', -- the RL state of the list on screen
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX chat_sessions_user_idx ON chat_sessions (user_id);

CREATE TABLE chat_messages (
    id            bigserial PRIMARY KEY,
    session_id    uuid NOT NULL REFERENCES chat_sessions (id) ON DELETE CASCADE,
    role          text NOT NULL CHECK (role IN ('human', 'ai', 'tool', 'system')),
    content       text NOT NULL,
    tool_calls    jsonb,
    tool_call_id  text,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX chat_messages_session_idx ON chat_messages (session_id, id);

CREATE TABLE feedback_events (
    id          text NOT NULL CHECK (length(id) BETWEEN 1 AND 128),  -- the client's idempotency key
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    track_id    text NOT NULL REFERENCES tracks (id),
    signal      text NOT NULL,
    reward      double precision NOT NULL,
    state       text NOT NULL,
    session_id  uuid REFERENCES chat_sessions (id) ON DELETE SET NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, id)
);
CREATE INDEX feedback_events_user_time_idx ON feedback_events (user_id, created_at);
