-- Every case has an owner. The staff directory holds the people of each institute (known at
-- first sign-in or added by an admin); round robin remembers whom it gave the last case to;
-- institute settings (policy and contact points) are versioned rows, the newest in force,
-- the older ones their audit trail. The inbox orders by the clock that needs attention first:
-- an overdue (breached, act not recorded) clock before every running one.
CREATE TABLE staff (
    id           text PRIMARY KEY CHECK (id <> ''),
    institute    text NOT NULL REFERENCES institutes (code),
    role         text NOT NULL CHECK (role IN ('secretary', 'supervisor', 'admin')),
    name         text NOT NULL,
    email        text NOT NULL,
    active       boolean NOT NULL,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    last_seen_at timestamptz
);
CREATE INDEX staff_institute_role ON staff (institute, role, id) WHERE active;

INSERT INTO staff (id, institute, role, name, email, active, created_at, updated_at)
SELECT user_id, institute, role, name, email, true, now(), now() FROM institute_contacts
ON CONFLICT (id) DO NOTHING;

CREATE TABLE routing_cursors (
    institute     text PRIMARY KEY REFERENCES institutes (code),
    last_staff_id text NOT NULL
);

CREATE TABLE institute_settings (
    institute  text NOT NULL REFERENCES institutes (code),
    version    integer NOT NULL CHECK (version > 0),
    policy     jsonb NOT NULL,
    contacts   jsonb NOT NULL,
    changed_by text NOT NULL,
    changed_at timestamptz NOT NULL,
    PRIMARY KEY (institute, version)
);
INSERT INTO institute_settings (institute, version, policy, contacts, changed_by, changed_at)
SELECT institute, 1, policy, '{}', 'migration', updated_at FROM institute_policies;

ALTER TABLE cases ADD COLUMN attention_at timestamptz NOT NULL DEFAULT '9999-12-31 00:00:00+00';
ALTER TABLE cases ADD COLUMN attention_clock text NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN attention_due text NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN attention_breached boolean NOT NULL DEFAULT false;
UPDATE cases SET attention_at = k.deadline_at, attention_clock = k.name, attention_due = k.due_on,
    attention_breached = (k.state = 'breached')
FROM (SELECT DISTINCT ON (case_number) case_number, deadline_at, name, due_on, state FROM clocks
      WHERE state = 'running' OR (state = 'breached' AND met_on = '')
      ORDER BY case_number, (state = 'breached') DESC, deadline_at) k
WHERE k.case_number = cases.number AND cases.is_open;
CREATE INDEX cases_tasks ON cases (institute, attention_at, number) WHERE is_open;
CREATE INDEX cases_tasks_secretary ON cases (institute, secretary, attention_at, number) WHERE is_open;
CREATE INDEX cases_tasks_breached ON cases (institute, attention_at, number) WHERE is_open AND is_breached;
CREATE INDEX cases_tasks_breached_all ON cases (attention_at, number) WHERE is_open AND is_breached;
