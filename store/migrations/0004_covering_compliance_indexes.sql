-- Compliance reads only these columns of clocks: covering indexes let PostgreSQL answer from
-- the index alone (national reports by due date, institute reports by institute and clock).
DROP INDEX clocks_compliance;
DROP INDEX clocks_due;
CREATE INDEX clocks_compliance ON clocks (institute, name, due_on, state, workdays_used);
CREATE INDEX clocks_due ON clocks (due_on, institute, name, state, workdays_used);
