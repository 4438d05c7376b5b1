-- Staff downloads of a case's files (uploaded attachments and issued letters): who took which
-- file when. The case timeline shows them (「下载文件」); members' own downloads are not kept.
CREATE TABLE downloads (
    id text PRIMARY KEY,
    case_number text NOT NULL,
    at timestamptz NOT NULL,
    actor_id text NOT NULL,
    actor_name text NOT NULL,
    actor_role text NOT NULL,
    file_kind text NOT NULL,
    file_id text NOT NULL,
    file_name text NOT NULL
);
CREATE INDEX downloads_case ON downloads (case_number, at);
