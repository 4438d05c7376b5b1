-- The case log is append-only: no code path updates or deletes events, and the database
-- refuses it too, so a bug or a hand-typed statement cannot rewrite history.
CREATE TRIGGER events_no_update BEFORE UPDATE ON events BEGIN
    SELECT RAISE(ABORT, 'events are append-only: UPDATE refused');
END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events BEGIN
    SELECT RAISE(ABORT, 'events are append-only: DELETE refused');
END;
