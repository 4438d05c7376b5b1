package store

import (
	"slices"
	"testing"
	"time"

	"github.com/cicpa/weiquan/article23"
)

func TestFiguresCountWhatAScrapeExports(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		run, br, met := article23.ClockRunning, article23.ClockBreached, article23.ClockMet
		d := article23.ClockDecision
		provisional := clock(d, "2028-01-20", run, 0)
		provisional.Provisional = true
		cases := []article23.Case{
			caseOf("BJ-2026-0001", "BJ", article23.StageReceived, clock(d, "2026-03-20", run, 0)),
			caseOf("BJ-2026-0002", "BJ", article23.StageReceived, clock(d, "2026-03-10", br, 17)),
			caseOf("BJ-2026-0003", "BJ", article23.StageAccepted, clock(d, "2026-03-09", met, 5)),
			caseOf("SH-2026-0001", "SH", article23.StageReceived, provisional),
			caseOf("SH-2026-0002", "SH", article23.StageClosed, clock(d, "2026-03-10", br, 17)), // closed: not counted
		}
		raised := t0.Add(48 * time.Hour)
		cases[1].Escalations = []article23.Escalation{{ID: 1, Clock: d, Level: 1, RaisedAt: t0}, {ID: 2, Clock: d, Level: 2, RaisedAt: raised}}
		for _, c := range cases {
			mustRecord(t, s, received(c))
		}
		if err := s.db.Exec("UPDATE outbox SET state = 'dead' WHERE dedup_key = 'SH-2026-0002/1/member'").Error; err != nil {
			t.Fatal(err)
		}
		f, err := s.Figures(ctx, t0.Add(time.Hour)) // the level-1 escalation is older than the cutoff
		if err != nil {
			t.Fatal(err)
		}
		want := Figures{
			OpenCases:                 []Count{{[2]string{"BJ", "accepted"}, 1}, {[2]string{"BJ", "received"}, 2}, {[2]string{"SH", "received"}, 1}},
			BreachedClocks:            []Count{{[2]string{"BJ", "decision"}, 1}},
			UnacknowledgedEscalations: []Count{{[2]string{"1", ""}, 1}, {[2]string{"2", ""}, 1}},
			OverdueEscalations:        []Count{{[2]string{"1", ""}, 1}},
			OutboxPending:             []Count{{[2]string{"member", ""}, 4}, {[2]string{"secretary", ""}, 5}},
			OutboxDead:                1, ProvisionalDeadlines: 1,
		}
		for _, l := range []*[]Count{&f.OpenCases, &f.BreachedClocks, &f.UnacknowledgedEscalations, &f.OverdueEscalations, &f.OutboxPending} {
			slices.SortFunc(*l, func(a, b Count) int { return compareLabels(a.Labels, b.Labels) })
		}
		f.ReadAt = time.Time{}
		if !figuresEqual(f, want) {
			t.Fatalf("figures:\n got %+v\nwant %+v", f, want)
		}
	})
}

func TestFigureCacheReadsOncePerMaxAge(t *testing.T) {
	s := openSQLite(t)
	now := t0
	s.now = func() time.Time { return now }
	c := &FigureCache{Store: s, MaxAge: 15 * time.Second}
	first, err := c.Get(t.Context(), now)
	if err != nil || len(first.OpenCases) != 0 {
		t.Fatalf("empty store: %+v %v", first, err)
	}
	mustRecord(t, s, received(newCase("BJ-2026-0001", "BJ", "2026-03-20")))
	if f, _ := c.Get(t.Context(), now); len(f.OpenCases) != 0 {
		t.Fatalf("within MaxAge the cached figures are served, got %+v", f.OpenCases)
	}
	now = now.Add(15 * time.Second)
	if f, _ := c.Get(t.Context(), now); len(f.OpenCases) != 1 || f.OpenCases[0].N != 1 {
		t.Fatalf("after MaxAge the figures are read again, got %+v", f.OpenCases)
	}
}

func compareLabels(a, b [2]string) int {
	if a[0] != b[0] {
		if a[0] < b[0] {
			return -1
		}
		return 1
	}
	if a[1] < b[1] {
		return -1
	} else if a[1] > b[1] {
		return 1
	}
	return 0
}

func figuresEqual(a, b Figures) bool {
	return slices.Equal(a.OpenCases, b.OpenCases) && slices.Equal(a.BreachedClocks, b.BreachedClocks) &&
		slices.Equal(a.UnacknowledgedEscalations, b.UnacknowledgedEscalations) &&
		slices.Equal(a.OverdueEscalations, b.OverdueEscalations) && slices.Equal(a.OutboxPending, b.OutboxPending) &&
		a.OutboxDead == b.OutboxDead && a.ProvisionalDeadlines == b.ProvisionalDeadlines
}
