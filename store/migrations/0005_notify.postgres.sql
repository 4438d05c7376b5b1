-- Notices and notifications: generated letters (content-addressed PDFs), the staff contacts
-- recipients are resolved from, members' contacts, per-recipient delivery receipts (so a
-- retried message reaches only those it has not reached) and the in-app inbox.

CREATE TABLE documents (
    case_number text NOT NULL,
    id          text NOT NULL,
    kind        text NOT NULL CHECK (kind IN ('acceptance', 'non_acceptance', 'extension', 'feedback')),
    event_seq   bigint NOT NULL,
    template    text NOT NULL,
    name        text NOT NULL,
    media_type  text NOT NULL,
    size        bigint NOT NULL,
    sha256      text NOT NULL,
    location    text NOT NULL,
    served_on   text NOT NULL,
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (case_number, id)
);

CREATE TABLE institute_contacts (
    institute      text NOT NULL REFERENCES institutes (code),
    role           text NOT NULL CHECK (role IN ('secretary', 'supervisor')),
    user_id        text NOT NULL CHECK (user_id <> ''),
    name           text NOT NULL,
    email          text NOT NULL,
    webhook_url    text NOT NULL,
    webhook_secret text NOT NULL,
    PRIMARY KEY (institute, role, user_id)
);

CREATE TABLE member_contacts (
    member_no text PRIMARY KEY,
    user_id   text NOT NULL,
    email     text NOT NULL
);

CREATE TABLE delivery_receipts (
    dedup_key    text NOT NULL,
    recipient    text NOT NULL,
    channel      text NOT NULL,
    delivered_at timestamptz NOT NULL,
    PRIMARY KEY (dedup_key, recipient, channel)
);

CREATE TABLE inbox_items (
    id          bigserial PRIMARY KEY,
    user_id     text NOT NULL,
    dedup_key   text NOT NULL,
    case_number text NOT NULL,
    kind        text NOT NULL,
    text        text NOT NULL,
    created_at  timestamptz NOT NULL,
    read_at     timestamptz,
    UNIQUE (user_id, dedup_key)
);
CREATE INDEX inbox_user ON inbox_items (user_id, created_at DESC, id DESC);
