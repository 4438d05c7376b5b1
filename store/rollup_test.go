package store

import (
	"database/sql"
	"fmt"
	"sync"
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
		r = next(r, article23.EventFeedbackGiven, func(c *article23.Case) {
			c.Clocks[1] = clock(f, "2026-04-28", met, 70)
			c.Clocks[1].EnteredOn = "2026-04-30" // entered late: the rollup counts it
		})
		mustRecord(t, s, r)
		r = next(r, article23.EventWithdrawn, func(c *article23.Case) { c.Clocks[0].State = article23.ClockCancelled })
		mustRecord(t, s, r)
		// the figures are the same while Record's deltas wait and once they are folded in
		for _, compacted := range []bool{false, true} {
			if compacted {
				if folded, err := s.CompactRollup(ctx); err != nil || folded == 0 {
					t.Fatalf("compaction folded %d deltas: %v", folded, err)
				}
				if deltas := s.deltaRows(t); deltas != 0 {
					t.Fatalf("%d deltas left after compaction", deltas)
				}
			} else if deltas := s.deltaRows(t); deltas == 0 {
				t.Fatal("Record wrote no deltas")
			}
			if !s.rollupMatchesBackfill(t) {
				t.Fatalf("compacted %v: the rollup differs from the clocks", compacted)
			}
			for _, period := range [][2]string{{"2025-01-01", "2025-12-31"}, {"2025-03-15", "2026-04-20"},
				{"2026-02-01", "2026-02-28"}, {"2026-02-03", "2026-02-05"}, {"2026-04-01", "2026-04-30"}} {
				got, err := s.Compliance(ctx, period[0], period[1], nil)
				direct := complianceTally{}
				if err2 := direct.fromClocks(s.db, period[0], period[1], nil); err != nil || err2 != nil {
					t.Fatal(err, err2)
				}
				if toJSON(got) != toJSON(direct.rows()) {
					t.Errorf("compacted %v: %v from the rollup\n got %s\nwant %s", compacted, period, toJSON(got), toJSON(direct.rows()))
				}
			}
		}
		if folded, err := s.CompactRollup(ctx); err != nil || folded != 0 {
			t.Errorf("a second compaction folded %d: %v", folded, err)
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

// TestCompactionDuringRecording records cases from several goroutines while compactions run
// in a loop: no change to the rollup is lost or counted twice.
func TestCompactionDuringRecording(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		stop := make(chan struct{})
		compactions := make(chan int64, 1)
		go func() {
			var total int64
			defer func() { compactions <- total }()
			for {
				n, err := s.CompactRollup(ctx)
				if err != nil {
					t.Error(err)
					return
				}
				total += n
				select {
				case <-stop:
					return
				default:
				}
			}
		}()
		var wg sync.WaitGroup
		for g := range 6 {
			wg.Go(func() {
				for i := range 15 {
					number := fmt.Sprintf("BJ-2026-%02d%02d", g, i)
					r := received(newCase(number, "BJ", "2026-03-23"))
					r.Case.Clocks[0].State, r.Case.Clocks[0].WorkdaysUsed = article23.ClockMet, 3+i%4
					if _, err := s.Record(ctx, r); err != nil {
						t.Error(err)
						return
					}
					r = next(r, article23.EventWithdrawn, func(c *article23.Case) {
						if i%3 == 0 {
							c.Clocks[0].State = article23.ClockCancelled
						}
					})
					if _, err := s.Record(ctx, r); err != nil {
						t.Error(err)
						return
					}
				}
			})
		}
		wg.Wait()
		close(stop)
		if folded := <-compactions; folded == 0 {
			t.Log("no compaction overlapped the recordings") // possible on a loaded machine; the sums below still hold
		}
		if !s.rollupMatchesBackfill(t) {
			t.Fatal("with deltas pending: the rollup differs from the clocks")
		}
		if _, err := s.CompactRollup(ctx); err != nil {
			t.Fatal(err)
		}
		if s.deltaRows(t) != 0 || !s.rollupMatchesBackfill(t) {
			t.Fatal("compacted: deltas left, or the rollup differs from the clocks")
		}
	})
}

// deltaRows counts the rollup's deltas waiting for compaction.
func (s *Store) deltaRows(t *testing.T) int64 {
	t.Helper()
	var n, m int64
	if err := s.db.Table(rollupDeltas.months).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	if err := s.db.Table(rollupDeltas.workdays).Count(&m).Error; err != nil {
		t.Fatal(err)
	}
	return n + m
}

// rollupMatchesBackfill compares the maintained rollup, its deltas added and zero rows
// dropped, with the migration's definition evaluated over the clocks now stored.
func (s *Store) rollupMatchesBackfill(t *testing.T) bool {
	t.Helper()
	queries := [][2]string{
		{`SELECT due_month, institute, clock, SUM(on_time), SUM(late), SUM(running), SUM(extensions), SUM(late_entries) FROM (
				SELECT * FROM compliance_months UNION ALL SELECT * FROM compliance_month_deltas) r
			GROUP BY due_month, institute, clock
			HAVING SUM(on_time) <> 0 OR SUM(late) <> 0 OR SUM(running) <> 0 OR SUM(extensions) <> 0 ORDER BY 1, 2, 3`,
			`SELECT substr(k.due_on, 1, 7), k.institute, k.name,
				SUM(CASE WHEN k.state = 'met' THEN 1 ELSE 0 END), SUM(CASE WHEN k.state = 'breached' THEN 1 ELSE 0 END),
				SUM(CASE WHEN k.state = 'running' THEN 1 ELSE 0 END), SUM(CASE WHEN k.name = 'feedback' THEN COALESCE(e.n, 0) ELSE 0 END),
				SUM(CASE WHEN k.state = 'met' AND k.entered_on > k.due_on THEN 1 ELSE 0 END)
			FROM clocks k LEFT JOIN (SELECT case_number, COUNT(*) AS n FROM extensions WHERE state = 'approved' GROUP BY case_number) e
				ON e.case_number = k.case_number
			WHERE k.state <> 'cancelled' GROUP BY substr(k.due_on, 1, 7), k.institute, k.name ORDER BY 1, 2, 3`},
		{`SELECT due_month, institute, clock, workdays_used, SUM(n) FROM (
				SELECT * FROM compliance_workdays UNION ALL SELECT * FROM compliance_workday_deltas) r
			GROUP BY due_month, institute, clock, workdays_used HAVING SUM(n) <> 0 ORDER BY 1, 2, 3, 4`,
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
