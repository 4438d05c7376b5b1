-- Calendar subscription tokens: a calendar application fetches a person's .ics feeds without
-- the session, with an unguessable token in the URL. One per person (a new one replaces the
-- old); kept by SHA-256 only; deleting the row revokes it. The claims it stands for are the
-- person's at the time it was made.
CREATE TABLE feed_tokens (
    subject text PRIMARY KEY,
    token_hash text NOT NULL UNIQUE,
    role text NOT NULL,
    institute text NOT NULL,
    member_no text NOT NULL,
    created_at TIMESTAMP NOT NULL
);
