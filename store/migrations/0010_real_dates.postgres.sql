-- Acts are judged by their stated dates (Art. 27). A clock keeps the day its act was entered
-- and the working days between the stated date and then; an escalation whose breach was
-- withdrawn (the act was on time after all) is resolved, and no longer waits on anyone; the
-- compliance rollup counts the acts met on time on paper but entered after their due date.
ALTER TABLE clocks ADD COLUMN entered_on text NOT NULL DEFAULT '';
ALTER TABLE clocks ADD COLUMN entry_lag_workdays integer;
ALTER TABLE escalations ADD COLUMN resolved_at timestamptz;
DROP INDEX escalations_open;
CREATE INDEX escalations_open ON escalations (institute, raised_at) WHERE acknowledged_at IS NULL AND resolved_at IS NULL;
ALTER TABLE compliance_months ADD COLUMN late_entries bigint NOT NULL DEFAULT 0;
ALTER TABLE compliance_month_deltas ADD COLUMN late_entries bigint NOT NULL DEFAULT 0;
