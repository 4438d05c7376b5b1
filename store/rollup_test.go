package store

import (
	"database/sql"
	"testing"
	"time"

	"github.com/cicpa/weiquan/article23"
)

// TestRollupFollowsClocks changes clocks through Record and Seed and checks the rollup still
// equals what migration 0006's backfill computes from the clocks.
func TestRollupFollowsClocks(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		if err := s.Seed(ctx, SeedOptions{Cases: 300, Seed: 3, Now: time.Date(2026, 6, 1, 4, 0, 0, 0, time.UTC)}); err != nil {
			t.Fatal(err)
		}
		run, met := article23.ClockRunning, article23.ClockMet
		f := article23.ClockFeedback
		r := received(caseOf("BJ-2026-0901", "BJ", article23.StageAccepted,
			clock(article23.ClockDecision, "2026-03-05", met, 4), clock(f, "2026-03-30", run, 0)))
		mustRecord(t, s, r)
		r = next(r, article23.EventExtensionApproved, func(c *article23.Case) { // feedback moves to April
			c.Clocks[1] = clock(f, "2026-04-28", run, 0)
			c.Extensions = []article23.Extension{{ID: 1, State: article23.ExtensionApproved, RequestedAt: t0}}
		})
		mustRecord(t, s, r)
		r = next(r, article23.EventFeedbackGiven, func(c *article23.Case) { c.Clocks[1] = clock(f, "2026-04-28", met, 70) })
		mustRecord(t, s, r)
		r = next(r, article23.EventWithdrawn, func(c *article23.Case) { c.Clocks[0].State = article23.ClockCancelled })
		mustRecord(t, s, r)
		if !s.rollupMatchesBackfill(t) {
			t.Fatal("the rollup differs from the clocks")
		}
		for _, period := range [][2]string{{"2025-01-01", "2025-12-31"}, {"2025-03-15", "2026-04-20"},
			{"2026-02-01", "2026-02-28"}, {"2026-02-03", "2026-02-05"}, {"2026-04-01", "2026-04-30"}} {
			got, err := s.Compliance(ctx, period[0], period[1], nil)
			direct := complianceTally{}
			if err2 := direct.fromClocks(s.db, period[0], period[1], nil); err != nil || err2 != nil {
				t.Fatal(err, err2)
			}
			if toJSON(got) != toJSON(direct.rows()) {
				t.Errorf("%v from the rollup\n got %s\nwant %s", period, toJSON(got), toJSON(direct.rows()))
			}
		}
		rows, err := s.Compliance(ctx, "2026-04-01", "2026-04-30", []string{"BJ"})
		if err != nil {
			t.Fatal(err)
		}
		var feedback ComplianceRow
		for _, row := range rows {
			if row.Clock == f {
				feedback = row
			}
		}
		if feedback.Extensions != 1 || feedback.OnTime == 0 {
			t.Errorf("April's BJ feedback row %+v: want the moved clock, met, with its extension", feedback)
		}
	})
}

// rollupMatchesBackfill compares the maintained rollup, zero rows dropped, with the
// migration's definition evaluated over the clocks now stored.
func (s *Store) rollupMatchesBackfill(t *testing.T) bool {
	t.Helper()
	queries := [][2]string{
		{`SELECT due_month, institute, clock, on_time, late, running, extensions FROM compliance_months
			WHERE on_time <> 0 OR late <> 0 OR running <> 0 OR extensions <> 0 ORDER BY 1, 2, 3`,
			`SELECT substr(k.due_on, 1, 7), k.institute, k.name,
				SUM(CASE WHEN k.state = 'met' THEN 1 ELSE 0 END), SUM(CASE WHEN k.state = 'breached' THEN 1 ELSE 0 END),
				SUM(CASE WHEN k.state = 'running' THEN 1 ELSE 0 END), SUM(CASE WHEN k.name = 'feedback' THEN COALESCE(e.n, 0) ELSE 0 END)
			FROM clocks k LEFT JOIN (SELECT case_number, COUNT(*) AS n FROM extensions WHERE state = 'approved' GROUP BY case_number) e
				ON e.case_number = k.case_number
			WHERE k.state <> 'cancelled' GROUP BY substr(k.due_on, 1, 7), k.institute, k.name ORDER BY 1, 2, 3`},
		{`SELECT due_month, institute, clock, workdays_used, n FROM compliance_workdays WHERE n <> 0 ORDER BY 1, 2, 3, 4`,
			`SELECT substr(due_on, 1, 7), institute, name, workdays_used, COUNT(*) FROM clocks
			WHERE state IN ('met', 'breached') AND workdays_used IS NOT NULL
			GROUP BY substr(due_on, 1, 7), institute, name, workdays_used ORDER BY 1, 2, 3, 4`},
	}
	ok := true
	for _, q := range queries {
		kept, want := s.textRows(t, q[0]), s.textRows(t, q[1])
		if len(kept) == 0 || toJSON(kept) != toJSON(want) {
			t.Errorf("rollup\n got %v\nwant %v", kept, want)
			ok = false
		}
	}
	return ok
}

// textRows returns the rows of query with every value as text, so the dialects' numeric
// types compare alike.
func (s *Store) textRows(t *testing.T, query string) [][]string {
	t.Helper()
	rows, err := s.db.Raw(query).Rows()
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out [][]string
	for rows.Next() {
		vals := make([]sql.NullString, len(cols))
		dest := make([]any, len(cols))
		for i := range vals {
			dest[i] = &vals[i]
		}
		if err := rows.Scan(dest...); err != nil {
			t.Fatal(err)
		}
		row := make([]string, len(cols))
		for i, v := range vals {
			row[i] = v.String
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
