-- A workflow task that recorded events through its local activity and was then discarded
-- (its worker died before the task completed) may have numbered them differently from the
-- task that replaced it. Each event now carries the task that emitted it (its
-- WorkflowTaskStarted event id and the workflow's time then; 0 when not known), the case row
-- the task of its last event, and an event a later task numbered differently is moved here
-- before the later task's event takes its place: the log equals the workflow's, and nothing
-- that was ever recorded is lost.
ALTER TABLE events ADD COLUMN task_event bigint NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN task_ns bigint NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN last_task_event bigint NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN last_task_ns bigint NOT NULL DEFAULT 0;

CREATE TABLE superseded_events (
    case_number   text NOT NULL,
    seq           bigint NOT NULL,
    task_event    bigint NOT NULL,
    task_ns       bigint NOT NULL,
    type          text NOT NULL,
    actor         jsonb NOT NULL,
    at            timestamptz NOT NULL,
    payload       jsonb,
    superseded_at timestamptz NOT NULL,
    by_task_event bigint NOT NULL,
    by_task_ns    bigint NOT NULL,
    PRIMARY KEY (case_number, seq, task_event, task_ns, superseded_at)
);

-- The log stays append-only but for that move: an event may leave it only once it is archived.
CREATE FUNCTION events_delete_archived_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND EXISTS (SELECT 1 FROM superseded_events s WHERE s.case_number = OLD.case_number
            AND s.seq = OLD.seq AND s.task_event = OLD.task_event AND s.task_ns = OLD.task_ns) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'events are append-only: % refused', TG_OP USING ERRCODE = 'restrict_violation';
END
$$;
DROP TRIGGER events_no_update_delete ON events;
CREATE TRIGGER events_no_update_delete BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION events_delete_archived_only();
