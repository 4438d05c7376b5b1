package store

import (
	"context"
	"fmt"
	"time"

	"golang.org/x/sync/errgroup"
	"gorm.io/gorm"

	"github.com/cicpa/weiquan/article23"
)

// OverviewFilter scopes a dashboard: the institutes (nil: all), the due months of its
// figures ("YYYY-MM", inclusive) and the cutoff of "due soon".
type OverviewFilter struct {
	Institutes            []string
	FirstMonth, LastMonth string
	DueBefore             time.Time
}

// MonthFigures are one institute's figures on one stage's clocks due in one month, as the
// compliance rollup holds them (ComplianceRow's definitions).
type MonthFigures struct {
	Month       string              `json:"month"`
	Institute   string              `json:"institute"`
	Clock       article23.ClockName `json:"clock"`
	OnTime      int64               `json:"on_time"`
	Late        int64               `json:"late"`
	Open        int64               `json:"open"`
	Extensions  int64               `json:"extensions"`
	LateEntries int64               `json:"late_entries"`
}

// Overview is everything a supervisor's dashboard shows, read in one call.
type Overview struct {
	Counts []InstituteCounts
	Months []MonthFigures
	// DecisionDays is, per institute, the median working days to the decision over the
	// decision clocks due in the months (nil: none finished).
	DecisionDays map[string]*float64
	Escalations  []CaseEscalation
	Extensions   []CaseExtension
}

// Overview reads a dashboard: the open, breached and due-soon counts, the monthly figures
// of the rollup (the cap left out: it is no stage), the median days to decision, and the
// escalations and extension requests waiting. Each part is one indexed statement; they run
// side by side on the pool's connections, so the dashboard waits for the slowest (the
// national counts, a pass over the open cases' index), not for their sum.
func (s *Store) Overview(ctx context.Context, f OverviewFilter) (Overview, error) {
	if !isMonth(f.FirstMonth) || !isMonth(f.LastMonth) {
		return Overview{}, fmt.Errorf("overview: want YYYY-MM months, got %q–%q", f.FirstMonth, f.LastMonth)
	}
	var o Overview
	g, ctx := errgroup.WithContext(ctx)
	db := s.db.WithContext(ctx)
	g.Go(func() (err error) { o.Counts, err = s.Counts(ctx, f.Institutes, f.DueBefore); return err })
	g.Go(func() (err error) { o.Months, err = monthFigures(db, f); return wrap("overview months", err) })
	g.Go(func() (err error) {
		o.DecisionDays, err = decisionDays(db, f)
		return wrap("overview decision days", err)
	})
	g.Go(func() (err error) { o.Escalations, err = s.OpenEscalations(ctx, f.Institutes); return err })
	g.Go(func() (err error) { o.Extensions, err = s.PendingExtensions(ctx, f.Institutes); return err })
	if err := g.Wait(); err != nil {
		return Overview{}, err
	}
	return o, nil
}

// rollupUnion is the rollup table and its uncompacted deltas over the filter's months, as
// one relation, so a compaction running meanwhile is seen before or after, never half.
func rollupUnion(db *gorm.DB, f OverviewFilter, columns string, direct, deltas string) *gorm.DB {
	part := func(table string) *gorm.DB {
		return db.Table(table).Select(columns).Where("due_month >= ? AND due_month <= ?", f.FirstMonth, f.LastMonth).
			Where("clock <> ?", string(article23.ClockCap)).Scopes(inInstitutes("institute", f.Institutes))
	}
	return db.Table("(? UNION ALL ?) AS r", part(direct), part(deltas))
}

func monthFigures(db *gorm.DB, f OverviewFilter) ([]MonthFigures, error) {
	out := []MonthFigures{}
	err := rollupUnion(db, f, "due_month, institute, clock, "+monthCounters, rollupDirect.months, rollupDeltas.months).
		Select(`due_month AS month, institute, clock, SUM(on_time) AS on_time, SUM(late) AS late, SUM(running) AS open,
			SUM(extensions) AS extensions, SUM(late_entries) AS late_entries`).
		Group("due_month, institute, clock").Order("due_month, institute, clock").Scan(&out).Error
	return out, err
}

func decisionDays(db *gorm.DB, f OverviewFilter) (map[string]*float64, error) {
	var used []tallyUsed
	err := rollupUnion(db, f, "institute, clock, workdays_used, n", rollupDirect.workdays, rollupDeltas.workdays).
		Where("clock = ?", string(article23.ClockDecision)).
		Select("institute, clock, workdays_used, SUM(n) AS n").Group("institute, clock, workdays_used").Scan(&used).Error
	if err != nil {
		return nil, err
	}
	hist := map[string]map[int]int64{}
	for _, u := range used {
		if hist[u.Institute] == nil {
			hist[u.Institute] = map[int]int64{}
		}
		hist[u.Institute][u.WorkdaysUsed] += u.N
	}
	out := make(map[string]*float64, len(hist))
	for in, h := range hist {
		out[in] = median(h)
	}
	return out, nil
}

// isMonth reports whether s is shaped "YYYY-MM".
func isMonth(s string) bool { return len(s) == 7 && isDate(s+"-01") }
