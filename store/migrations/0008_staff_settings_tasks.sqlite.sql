-- Every case has an owner (see the PostgreSQL twin of this file for the why). Instants are
-- integer Unix microseconds (store.sqliteParams).
CREATE TABLE staff (
    id           TEXT PRIMARY KEY CHECK (id <> ''),
    institute    TEXT NOT NULL REFERENCES institutes (code),
    role         TEXT NOT NULL CHECK (role IN ('secretary', 'supervisor', 'admin')),
    name         TEXT NOT NULL,
    email        TEXT NOT NULL,
    active       BOOLEAN NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP
);
CREATE INDEX staff_institute_role ON staff (institute, role, id) WHERE active;

INSERT OR IGNORE INTO staff (id, institute, role, name, email, active, created_at, updated_at)
SELECT user_id, institute, role, name, email, 1, CAST(strftime('%s', 'now') AS INTEGER) * 1000000, CAST(strftime('%s', 'now') AS INTEGER) * 1000000 FROM institute_contacts;

CREATE TABLE routing_cursors (
    institute     TEXT PRIMARY KEY REFERENCES institutes (code),
    last_staff_id TEXT NOT NULL
);

CREATE TABLE institute_settings (
    institute  TEXT NOT NULL REFERENCES institutes (code),
    version    INTEGER NOT NULL CHECK (version > 0),
    policy     TEXT NOT NULL,
    contacts   TEXT NOT NULL,
    changed_by TEXT NOT NULL,
    changed_at TIMESTAMP NOT NULL,
    PRIMARY KEY (institute, version)
);
INSERT INTO institute_settings (institute, version, policy, contacts, changed_by, changed_at)
SELECT institute, 1, policy, '{}', 'migration', updated_at FROM institute_policies;

ALTER TABLE cases ADD COLUMN attention_at TIMESTAMP NOT NULL DEFAULT 253402214400000000; -- 9999-12-31 in Unix microseconds
ALTER TABLE cases ADD COLUMN attention_clock TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN attention_due TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN attention_breached BOOLEAN NOT NULL DEFAULT 0;
UPDATE cases SET (attention_at, attention_clock, attention_due, attention_breached) = (
    SELECT deadline_at, name, due_on, state = 'breached' FROM clocks
    WHERE clocks.case_number = cases.number AND (state = 'running' OR (state = 'breached' AND met_on = ''))
    ORDER BY state = 'breached' DESC, deadline_at LIMIT 1)
WHERE is_open AND EXISTS (SELECT 1 FROM clocks WHERE clocks.case_number = cases.number
    AND (state = 'running' OR (state = 'breached' AND met_on = '')));
CREATE INDEX cases_tasks ON cases (institute, attention_at, number) WHERE is_open;
CREATE INDEX cases_tasks_secretary ON cases (institute, secretary, attention_at, number) WHERE is_open;
CREATE INDEX cases_tasks_breached ON cases (institute, attention_at, number) WHERE is_open AND is_breached;
CREATE INDEX cases_tasks_breached_all ON cases (attention_at, number) WHERE is_open AND is_breached;
