-- The compliance rollup's shared rows move off the write path. Every case of an institute
-- whose clock falls due in the same month shares one compliance_months row, and Record held
-- that row's lock from its upsert to its commit, so concurrent recordings queued on it
-- (PostgreSQL intake fell to a quarter of Temporal's rate; docs/BENCHMARKS.md). Record now
-- appends its change to these insert-only tables, which take no row lock, and CompactRollup
-- folds them into compliance_months and compliance_workdays. Readers sum both, so the rollup
-- is exact whether or not compaction has run.
CREATE TABLE compliance_month_deltas (
    due_month  text NOT NULL,
    institute  text NOT NULL,
    clock      text NOT NULL,
    on_time    bigint NOT NULL,
    late       bigint NOT NULL,
    running    bigint NOT NULL,
    extensions bigint NOT NULL
);

CREATE TABLE compliance_workday_deltas (
    due_month     text NOT NULL,
    institute     text NOT NULL,
    clock         text NOT NULL,
    workdays_used integer NOT NULL,
    n             bigint NOT NULL
);
