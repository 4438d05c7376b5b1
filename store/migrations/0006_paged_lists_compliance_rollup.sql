-- Paged due-soon and breached lists: the partial indexes end in the keyset (deadline_at,
-- case_number, name), so a page comes out of the index in order and the scan stops at its
-- limit instead of sorting every matching clock.
DROP INDEX clocks_running;
DROP INDEX clocks_running_all;
DROP INDEX clocks_breached;
DROP INDEX clocks_breached_all;
CREATE INDEX clocks_running ON clocks (institute, deadline_at, case_number, name) WHERE state = 'running';
CREATE INDEX clocks_running_all ON clocks (deadline_at, case_number, name) WHERE state = 'running';
CREATE INDEX clocks_breached ON clocks (institute, deadline_at, case_number, name) WHERE state = 'breached' AND case_open;
CREATE INDEX clocks_breached_all ON clocks (deadline_at, case_number, name) WHERE state = 'breached' AND case_open;

-- The compliance rollup (see store/rollup.go): per due month ("YYYY-MM"), institute and clock
-- the counts of non-cancelled clocks by state and the approved extensions of feedback clocks,
-- and a histogram of workdays_used over met and breached clocks for the exact median. Record
-- and Seed keep it in their transactions; this backfills it from the clocks already stored.
CREATE TABLE compliance_months (
    due_month  text NOT NULL,
    institute  text NOT NULL,
    clock      text NOT NULL,
    on_time    bigint NOT NULL,
    late       bigint NOT NULL,
    running    bigint NOT NULL,
    extensions bigint NOT NULL,
    PRIMARY KEY (due_month, institute, clock)
);

CREATE TABLE compliance_workdays (
    due_month     text NOT NULL,
    institute     text NOT NULL,
    clock         text NOT NULL,
    workdays_used integer NOT NULL,
    n             bigint NOT NULL,
    PRIMARY KEY (due_month, institute, clock, workdays_used)
);

INSERT INTO compliance_months (due_month, institute, clock, on_time, late, running, extensions)
SELECT substr(k.due_on, 1, 7), k.institute, k.name,
    SUM(CASE WHEN k.state = 'met' THEN 1 ELSE 0 END),
    SUM(CASE WHEN k.state = 'breached' THEN 1 ELSE 0 END),
    SUM(CASE WHEN k.state = 'running' THEN 1 ELSE 0 END),
    SUM(CASE WHEN k.name = 'feedback' THEN COALESCE(e.n, 0) ELSE 0 END)
FROM clocks k
LEFT JOIN (SELECT case_number, COUNT(*) AS n FROM extensions WHERE state = 'approved' GROUP BY case_number) e
    ON e.case_number = k.case_number
WHERE k.state <> 'cancelled'
GROUP BY substr(k.due_on, 1, 7), k.institute, k.name;

INSERT INTO compliance_workdays (due_month, institute, clock, workdays_used, n)
SELECT substr(due_on, 1, 7), institute, name, workdays_used, COUNT(*)
FROM clocks
WHERE state IN ('met', 'breached') AND workdays_used IS NOT NULL
GROUP BY substr(due_on, 1, 7), institute, name, workdays_used;
