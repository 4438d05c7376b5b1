-- A case whose events the store cannot take is marked here by the recording activity, so the
-- API shows it out of step and /metrics counts it; a recording that succeeds removes the mark.
CREATE TABLE record_failures (
    case_number text PRIMARY KEY,
    since timestamptz NOT NULL,
    last_at timestamptz NOT NULL,
    attempts integer NOT NULL,
    last_error text NOT NULL
);
