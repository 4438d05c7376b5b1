-- Reference data, members, the case read model and its clocks, extensions, escalations,
-- attachments, the case log, the notification outbox, idempotency keys and case numbers.
-- Dates ("YYYY-MM-DD", Asia/Shanghai) are text on both dialects so they compare and scan alike.

CREATE TABLE institutes (
    code    text PRIMARY KEY,
    name    text NOT NULL,
    name_en text NOT NULL,
    level   text NOT NULL CHECK (level IN ('national', 'local')),
    parent  text REFERENCES institutes (code)
);

CREATE TABLE institute_policies (
    institute  text PRIMARY KEY REFERENCES institutes (code),
    version    integer NOT NULL,
    policy     jsonb NOT NULL,
    updated_at timestamptz NOT NULL
);

CREATE TABLE members (
    member_no  text PRIMARY KEY,
    name       text NOT NULL,
    kind       text NOT NULL,
    updated_at timestamptz NOT NULL
);

CREATE TABLE cases (
    number              text PRIMARY KEY,
    institute           text NOT NULL REFERENCES institutes (code),
    applicant_member_no text NOT NULL REFERENCES members (member_no),
    applicant_name      text NOT NULL,
    applicant_kind      text NOT NULL,
    counterparty        text NOT NULL,
    category            text NOT NULL,
    summary             text NOT NULL,
    claims              text NOT NULL,
    received_on         text NOT NULL,
    channel             text NOT NULL,
    stage               text NOT NULL,
    secretary           text NOT NULL,
    is_open             boolean NOT NULL,
    is_breached         boolean NOT NULL,
    next_clock          text NOT NULL,
    sort_deadline_at    timestamptz NOT NULL,
    policy              jsonb NOT NULL,
    decision            jsonb,
    committee           jsonb,
    feedback            jsonb,
    submitted_by        jsonb NOT NULL,
    last_seq            bigint NOT NULL,
    updated_at          timestamptz NOT NULL,
    search              tsvector GENERATED ALWAYS AS
        (to_tsvector('simple'::regconfig, summary || ' ' || counterparty || ' ' || applicant_name)) STORED
);
CREATE INDEX cases_institute_deadline ON cases (institute, sort_deadline_at, number);
CREATE INDEX cases_deadline ON cases (sort_deadline_at, number);
CREATE INDEX cases_institute_stage ON cases (institute, stage, sort_deadline_at, number);
CREATE INDEX cases_secretary ON cases (secretary, sort_deadline_at, number);
CREATE INDEX cases_applicant ON cases (applicant_member_no, sort_deadline_at, number);
CREATE INDEX cases_open_counts ON cases (institute, is_breached, sort_deadline_at) WHERE is_open;
CREATE INDEX cases_search ON cases USING gin (search);

CREATE TABLE clocks (
    case_number      text NOT NULL REFERENCES cases (number),
    name             text NOT NULL CHECK (name IN ('decision', 'committee', 'feedback', 'cap')),
    position         integer NOT NULL,
    institute        text NOT NULL,
    case_open        boolean NOT NULL,
    start_on         text NOT NULL,
    workdays         integer NOT NULL,
    due_on           text NOT NULL,
    deadline_at      timestamptz NOT NULL,
    state            text NOT NULL CHECK (state IN ('running', 'met', 'breached', 'cancelled')),
    calendar_version text NOT NULL,
    provisional      boolean NOT NULL,
    count_from       text NOT NULL,
    explanation      text NOT NULL,
    breached_at      timestamptz,
    met_on           text NOT NULL,
    workdays_used    integer,
    PRIMARY KEY (case_number, name)
);
CREATE INDEX clocks_running ON clocks (institute, deadline_at) WHERE state = 'running';
CREATE INDEX clocks_running_all ON clocks (deadline_at) WHERE state = 'running';
CREATE INDEX clocks_breached ON clocks (institute, breached_at) WHERE state = 'breached' AND case_open;
CREATE INDEX clocks_breached_all ON clocks (breached_at) WHERE state = 'breached' AND case_open;
CREATE INDEX clocks_compliance ON clocks (institute, name, due_on);
CREATE INDEX clocks_due ON clocks (due_on);

CREATE TABLE extensions (
    case_number  text NOT NULL REFERENCES cases (number),
    id           integer NOT NULL,
    institute    text NOT NULL,
    reason       text NOT NULL,
    workdays     integer NOT NULL,
    old_due      text NOT NULL,
    new_due      text NOT NULL,
    state        text NOT NULL CHECK (state IN ('pending', 'approved', 'refused')),
    requested_by jsonb NOT NULL,
    requested_at timestamptz NOT NULL,
    decided_by   jsonb,
    decided_at   timestamptz,
    note         text NOT NULL,
    PRIMARY KEY (case_number, id)
);
CREATE INDEX extensions_pending ON extensions (institute, requested_at) WHERE state = 'pending';

CREATE TABLE escalations (
    case_number     text NOT NULL REFERENCES cases (number),
    id              integer NOT NULL,
    institute       text NOT NULL,
    clock           text NOT NULL,
    level           integer NOT NULL,
    raised_at       timestamptz NOT NULL,
    acknowledged_by jsonb,
    acknowledged_at timestamptz,
    PRIMARY KEY (case_number, id)
);
CREATE INDEX escalations_open ON escalations (institute, raised_at) WHERE acknowledged_at IS NULL;

-- No foreign key to cases: files are uploaded with a reserved number before the workflow
-- records the case.
CREATE TABLE attachments (
    case_number text NOT NULL,
    id          text NOT NULL,
    name        text NOT NULL,
    size        bigint NOT NULL,
    media_type  text NOT NULL,
    sha256      text NOT NULL,
    location    text NOT NULL,
    uploaded_by jsonb NOT NULL,
    uploaded_at timestamptz NOT NULL,
    PRIMARY KEY (case_number, id)
);

CREATE TABLE events (
    case_number text NOT NULL REFERENCES cases (number),
    seq         bigint NOT NULL CHECK (seq > 0),
    type        text NOT NULL,
    actor       jsonb NOT NULL,
    at          timestamptz NOT NULL,
    payload     jsonb,
    PRIMARY KEY (case_number, seq)
);

CREATE TABLE outbox (
    id              bigserial PRIMARY KEY,
    dedup_key       text NOT NULL UNIQUE CHECK (dedup_key <> ''),
    case_number     text NOT NULL,
    event_seq       bigint NOT NULL,
    audience        text NOT NULL CHECK (audience IN ('member', 'secretary', 'supervisors', 'national_supervisors')),
    kind            text NOT NULL,
    urgent          boolean NOT NULL,
    not_after       timestamptz,
    payload         jsonb NOT NULL,
    state           text NOT NULL CHECK (state IN ('pending', 'delivered', 'dead')),
    attempts        integer NOT NULL,
    next_attempt_at timestamptz NOT NULL,
    last_error      text NOT NULL,
    delivered_at    timestamptz,
    created_at      timestamptz NOT NULL
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE state = 'pending';

CREATE TABLE idempotency_keys (
    key          text PRIMARY KEY,
    request_hash text NOT NULL,
    case_number  text NOT NULL,
    created_at   timestamptz NOT NULL
);

CREATE TABLE case_sequences (
    institute text NOT NULL REFERENCES institutes (code),
    year      integer NOT NULL,
    issued    bigint NOT NULL,
    PRIMARY KEY (institute, year)
);
