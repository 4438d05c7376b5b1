-- Reference data, members, the case read model and its clocks, extensions, escalations,
-- attachments, the case log, the notification outbox, idempotency keys and case numbers.
-- SQLite flavour: instants are TIMESTAMP columns holding integer microseconds (see Open).
-- Dates ("YYYY-MM-DD", Asia/Shanghai) are TEXT on both dialects so they compare and scan alike.

CREATE TABLE institutes (
    code    TEXT PRIMARY KEY,
    name    TEXT NOT NULL,
    name_en TEXT NOT NULL,
    level   TEXT NOT NULL CHECK (level IN ('national', 'local')),
    parent  TEXT REFERENCES institutes (code)
);

CREATE TABLE institute_policies (
    institute  TEXT PRIMARY KEY REFERENCES institutes (code),
    version    INTEGER NOT NULL,
    policy     TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE members (
    member_no  TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE cases (
    -- id is the stable rowid the FTS5 index refers to
    id                  INTEGER PRIMARY KEY,
    number              TEXT NOT NULL UNIQUE,
    institute           TEXT NOT NULL REFERENCES institutes (code),
    applicant_member_no TEXT NOT NULL REFERENCES members (member_no),
    applicant_name      TEXT NOT NULL,
    applicant_kind      TEXT NOT NULL,
    counterparty        TEXT NOT NULL,
    category            TEXT NOT NULL,
    summary             TEXT NOT NULL,
    claims              TEXT NOT NULL,
    received_on         TEXT NOT NULL,
    channel             TEXT NOT NULL,
    stage               TEXT NOT NULL,
    secretary           TEXT NOT NULL,
    is_open             BOOLEAN NOT NULL,
    is_breached         BOOLEAN NOT NULL,
    next_clock          TEXT NOT NULL,
    sort_deadline_at    TIMESTAMP NOT NULL,
    policy              TEXT NOT NULL,
    decision            TEXT,
    committee           TEXT,
    feedback            TEXT,
    submitted_by        TEXT NOT NULL,
    last_seq            INTEGER NOT NULL,
    updated_at          TIMESTAMP NOT NULL
);
CREATE INDEX cases_institute_deadline ON cases (institute, sort_deadline_at, number);
CREATE INDEX cases_deadline ON cases (sort_deadline_at, number);
CREATE INDEX cases_institute_stage ON cases (institute, stage, sort_deadline_at, number);
CREATE INDEX cases_secretary ON cases (secretary, sort_deadline_at, number);
CREATE INDEX cases_applicant ON cases (applicant_member_no, sort_deadline_at, number);
CREATE INDEX cases_open_counts ON cases (institute, is_breached, sort_deadline_at) WHERE is_open;

CREATE TABLE clocks (
    case_number      TEXT NOT NULL REFERENCES cases (number),
    name             TEXT NOT NULL CHECK (name IN ('decision', 'committee', 'feedback', 'cap')),
    position         INTEGER NOT NULL,
    institute        TEXT NOT NULL,
    case_open        BOOLEAN NOT NULL,
    start_on         TEXT NOT NULL,
    workdays         INTEGER NOT NULL,
    due_on           TEXT NOT NULL,
    deadline_at      TIMESTAMP NOT NULL,
    state            TEXT NOT NULL CHECK (state IN ('running', 'met', 'breached', 'cancelled')),
    calendar_version TEXT NOT NULL,
    provisional      BOOLEAN NOT NULL,
    count_from       TEXT NOT NULL,
    explanation      TEXT NOT NULL,
    breached_at      TIMESTAMP,
    met_on           TEXT NOT NULL,
    workdays_used    INTEGER,
    PRIMARY KEY (case_number, name)
);
CREATE INDEX clocks_running ON clocks (institute, deadline_at) WHERE state = 'running';
CREATE INDEX clocks_running_all ON clocks (deadline_at) WHERE state = 'running';
CREATE INDEX clocks_breached ON clocks (institute, breached_at) WHERE state = 'breached' AND case_open;
CREATE INDEX clocks_breached_all ON clocks (breached_at) WHERE state = 'breached' AND case_open;
CREATE INDEX clocks_compliance ON clocks (institute, name, due_on);
CREATE INDEX clocks_due ON clocks (due_on);

CREATE TABLE extensions (
    case_number  TEXT NOT NULL REFERENCES cases (number),
    id           INTEGER NOT NULL,
    institute    TEXT NOT NULL,
    reason       TEXT NOT NULL,
    workdays     INTEGER NOT NULL,
    old_due      TEXT NOT NULL,
    new_due      TEXT NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('pending', 'approved', 'refused')),
    requested_by TEXT NOT NULL,
    requested_at TIMESTAMP NOT NULL,
    decided_by   TEXT,
    decided_at   TIMESTAMP,
    note         TEXT NOT NULL,
    PRIMARY KEY (case_number, id)
);
CREATE INDEX extensions_pending ON extensions (institute, requested_at) WHERE state = 'pending';

CREATE TABLE escalations (
    case_number     TEXT NOT NULL REFERENCES cases (number),
    id              INTEGER NOT NULL,
    institute       TEXT NOT NULL,
    clock           TEXT NOT NULL,
    level           INTEGER NOT NULL,
    raised_at       TIMESTAMP NOT NULL,
    acknowledged_by TEXT,
    acknowledged_at TIMESTAMP,
    PRIMARY KEY (case_number, id)
);
CREATE INDEX escalations_open ON escalations (institute, raised_at) WHERE acknowledged_at IS NULL;

-- No foreign key to cases: files are uploaded with a reserved number before the workflow
-- records the case.
CREATE TABLE attachments (
    case_number TEXT NOT NULL,
    id          TEXT NOT NULL,
    name        TEXT NOT NULL,
    size        INTEGER NOT NULL,
    media_type  TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    location    TEXT NOT NULL,
    uploaded_by TEXT NOT NULL,
    uploaded_at TIMESTAMP NOT NULL,
    PRIMARY KEY (case_number, id)
);

CREATE TABLE events (
    case_number TEXT NOT NULL REFERENCES cases (number),
    seq         INTEGER NOT NULL CHECK (seq > 0),
    type        TEXT NOT NULL,
    actor       TEXT NOT NULL,
    at          TIMESTAMP NOT NULL,
    payload     TEXT,
    PRIMARY KEY (case_number, seq)
);

CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    dedup_key       TEXT NOT NULL UNIQUE CHECK (dedup_key <> ''),
    case_number     TEXT NOT NULL,
    event_seq       INTEGER NOT NULL,
    audience        TEXT NOT NULL CHECK (audience IN ('member', 'secretary', 'supervisors', 'national_supervisors')),
    kind            TEXT NOT NULL,
    urgent          BOOLEAN NOT NULL,
    not_after       TIMESTAMP,
    payload         TEXT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'dead')),
    attempts        INTEGER NOT NULL,
    next_attempt_at TIMESTAMP NOT NULL,
    last_error      TEXT NOT NULL,
    delivered_at    TIMESTAMP,
    created_at      TIMESTAMP NOT NULL
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE state = 'pending';

CREATE TABLE idempotency_keys (
    key          TEXT PRIMARY KEY,
    request_hash TEXT NOT NULL,
    case_number  TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL
);

CREATE TABLE case_sequences (
    institute TEXT NOT NULL REFERENCES institutes (code),
    year      INTEGER NOT NULL,
    issued    INTEGER NOT NULL,
    PRIMARY KEY (institute, year)
);

-- Full-text index over the same columns as PostgreSQL's cases.search, kept by triggers.
CREATE VIRTUAL TABLE cases_fts USING fts5 (summary, counterparty, applicant_name, content = 'cases', content_rowid = 'id');
CREATE TRIGGER cases_fts_insert AFTER INSERT ON cases BEGIN
    INSERT INTO cases_fts (rowid, summary, counterparty, applicant_name)
    VALUES (new.id, new.summary, new.counterparty, new.applicant_name);
END;
CREATE TRIGGER cases_fts_delete AFTER DELETE ON cases BEGIN
    INSERT INTO cases_fts (cases_fts, rowid, summary, counterparty, applicant_name)
    VALUES ('delete', old.id, old.summary, old.counterparty, old.applicant_name);
END;
CREATE TRIGGER cases_fts_update AFTER UPDATE OF summary, counterparty, applicant_name ON cases BEGIN
    INSERT INTO cases_fts (cases_fts, rowid, summary, counterparty, applicant_name)
    VALUES ('delete', old.id, old.summary, old.counterparty, old.applicant_name);
    INSERT INTO cases_fts (rowid, summary, counterparty, applicant_name)
    VALUES (new.id, new.summary, new.counterparty, new.applicant_name);
END;
