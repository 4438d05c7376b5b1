package store

import (
	"testing"
	"time"

	"github.com/cicpa/weiquan/article23"
)

// TestOverview: one call returns the counts, the monthly figures without the cap, the median
// days to decision per institute, and the escalations still waiting (a resolved one is not).
func TestOverview(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		run, met, br := article23.ClockRunning, article23.ClockMet, article23.ClockBreached
		d, f := article23.ClockDecision, article23.ClockFeedback
		late := caseOf("BJ-2026-0001", "BJ", article23.StageReceived, clock(d, "2026-03-05", br, 15))
		late.Escalations = []article23.Escalation{{ID: 1, Clock: d, Level: 1, RaisedAt: t0}, {ID: 2, Clock: d, Level: 2, RaisedAt: t0.Add(time.Hour)}}
		resolved := caseOf("BJ-2026-0002", "BJ", article23.StageAccepted, clock(d, "2026-03-06", met, 4),
			clock(f, "2026-04-30", run, 0), clock(article23.ClockCap, "2026-05-29", run, 0))
		resolved.Escalations = []article23.Escalation{{ID: 1, Clock: d, Level: 1, RaisedAt: t0, ResolvedAt: ptr(t0.Add(2 * time.Hour))}}
		for _, c := range []article23.Case{late, resolved,
			caseOf("SH-2026-0001", "SH", article23.StageAccepted, clock(d, "2026-03-20", met, 8)),
			caseOf("SH-2026-0002", "SH", article23.StageAccepted, clock(d, "2025-12-20", met, 2)), // before the year
		} {
			mustRecord(t, s, received(c))
		}
		o, err := s.Overview(t.Context(), OverviewFilter{FirstMonth: "2026-01", LastMonth: "2026-12", DueBefore: endOf("2026-05-01")})
		if err != nil {
			t.Fatal(err)
		}
		wantMonths := []MonthFigures{
			{Month: "2026-03", Institute: "BJ", Clock: d, OnTime: 1, Late: 1},
			{Month: "2026-03", Institute: "SH", Clock: d, OnTime: 1},
			{Month: "2026-04", Institute: "BJ", Clock: f, Open: 1},
		}
		if toJSON(o.Months) != toJSON(wantMonths) {
			t.Errorf("months\n got %s\nwant %s", toJSON(o.Months), toJSON(wantMonths))
		}
		if got := o.DecisionDays; len(got) != 2 || *got["BJ"] != 9.5 || *got["SH"] != 8 {
			t.Errorf("decision days %s", toJSON(got))
		}
		wantCounts := []InstituteCounts{{Institute: "BJ", Open: 2, Breached: 1, DueSoon: 1}, {Institute: "SH", Open: 2}}
		if toJSON(o.Counts) != toJSON(wantCounts) {
			t.Errorf("counts\n got %s\nwant %s", toJSON(o.Counts), toJSON(wantCounts))
		}
		if len(o.Escalations) != 2 || o.Escalations[0].Case.Number != late.Number || o.Escalations[1].Escalation.Level != 2 {
			t.Errorf("escalations %s: want the two unresolved of %s", toJSON(o.Escalations), late.Number)
		}
		scoped, err := s.Overview(t.Context(), OverviewFilter{Institutes: []string{"SH"}, FirstMonth: "2026-01", LastMonth: "2026-12", DueBefore: t0})
		if err != nil || len(scoped.Months) != 1 || len(scoped.Escalations) != 0 || len(scoped.Counts) != 1 {
			t.Errorf("SH's overview %s: %v", toJSON(scoped), err)
		}
		if _, err := s.Overview(t.Context(), OverviewFilter{FirstMonth: "2026-1", LastMonth: "2026-12"}); err == nil {
			t.Error("a malformed month accepted")
		}
	})
}
