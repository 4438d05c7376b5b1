-- Notices and notifications: generated letters (content-addressed PDFs), the staff contacts
-- recipients are resolved from, members' contacts, per-recipient delivery receipts (so a
-- retried message reaches only those it has not reached) and the in-app inbox.
-- SQLite flavour: instants are TIMESTAMP columns holding integer microseconds (see Open).

CREATE TABLE documents (
    case_number TEXT NOT NULL,
    id          TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('acceptance', 'non_acceptance', 'extension', 'feedback')),
    event_seq   INTEGER NOT NULL,
    template    TEXT NOT NULL,
    name        TEXT NOT NULL,
    media_type  TEXT NOT NULL,
    size        INTEGER NOT NULL,
    sha256      TEXT NOT NULL,
    location    TEXT NOT NULL,
    served_on   TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (case_number, id)
);

CREATE TABLE institute_contacts (
    institute      TEXT NOT NULL REFERENCES institutes (code),
    role           TEXT NOT NULL CHECK (role IN ('secretary', 'supervisor')),
    user_id        TEXT NOT NULL CHECK (user_id <> ''),
    name           TEXT NOT NULL,
    email          TEXT NOT NULL,
    webhook_url    TEXT NOT NULL,
    webhook_secret TEXT NOT NULL,
    PRIMARY KEY (institute, role, user_id)
);

CREATE TABLE member_contacts (
    member_no TEXT PRIMARY KEY,
    user_id   TEXT NOT NULL,
    email     TEXT NOT NULL
);

CREATE TABLE delivery_receipts (
    dedup_key    TEXT NOT NULL,
    recipient    TEXT NOT NULL,
    channel      TEXT NOT NULL,
    delivered_at TIMESTAMP NOT NULL,
    PRIMARY KEY (dedup_key, recipient, channel)
);

CREATE TABLE inbox_items (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     TEXT NOT NULL,
    dedup_key   TEXT NOT NULL,
    case_number TEXT NOT NULL,
    kind        TEXT NOT NULL,
    text        TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    read_at     TIMESTAMP,
    UNIQUE (user_id, dedup_key)
);
CREATE INDEX inbox_user ON inbox_items (user_id, created_at DESC, id DESC);
