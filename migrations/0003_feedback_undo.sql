-- Undo of a feedback event: a new, compensating event (signal 'undo', the opposite reward)
-- that names the event it cancels. History is never deleted; an event is undone at most once.

ALTER TABLE feedback_events ADD COLUMN undoes text;
CREATE UNIQUE INDEX feedback_events_undoes_idx ON feedback_events (user_id, undoes)
    WHERE undoes IS NOT NULL;
