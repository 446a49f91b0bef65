-- Playlists imported with the catalogue (a playlist CSV has one row per track and playlist).
-- They teach which artists go together (artist co-occurrence) and train the learned ranker
-- (`tunemate train`); they are not users.
CREATE TABLE playlist_tracks (
    playlist_id  text NOT NULL,
    track_id     text NOT NULL REFERENCES tracks (id) ON DELETE CASCADE,
    position     integer NOT NULL CHECK (position >= 0),   -- order within the playlist file
    genre        text NOT NULL DEFAULT '',
    subgenre     text NOT NULL DEFAULT '',
    PRIMARY KEY (playlist_id, track_id)
);
CREATE INDEX playlist_tracks_track_idx ON playlist_tracks (track_id);
