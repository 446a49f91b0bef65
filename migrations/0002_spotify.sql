-- Spotify accounts and the PKCE handshakes in flight (SPEC "Spotify").
-- Tokens and code verifiers are Fernet-encrypted by the app; the database never sees them in clear.

CREATE TABLE spotify_accounts (
    user_id            uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    spotify_user_id    text NOT NULL,
    access_token       bytea NOT NULL,              -- encrypted
    refresh_token      bytea NOT NULL,              -- encrypted
    expires_at         timestamptz NOT NULL,        -- of the access token
    scope              text NOT NULL DEFAULT '',
    connected_at       timestamptz NOT NULL DEFAULT now(),
    last_synced_at     timestamptz,                 -- the last import of top tracks
    recent_played_at   timestamptz                  -- the newest recently-played entry imported
);
CREATE INDEX spotify_accounts_spotify_user_idx ON spotify_accounts (spotify_user_id);

CREATE TABLE spotify_auth_states (
    state          text PRIMARY KEY,
    user_id        uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_verifier  bytea NOT NULL,                  -- encrypted
    created_at     timestamptz NOT NULL DEFAULT now(),
    expires_at     timestamptz NOT NULL
);
CREATE INDEX spotify_auth_states_expiry_idx ON spotify_auth_states (expires_at);
