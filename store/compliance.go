package store

import (
	"context"
	"fmt"
	"maps"
	"math"
	"slices"
	"time"

	"gorm.io/gorm"

	"github.com/cicpa/weiquan/article23"
)

// ComplianceRow is one institute's record on one stage's clock over a period (Art. 27
// evaluation). A clock counts in the period its due date falls in; cancelled clocks do not
// count. The 90-day cap is no stage of its own: the feedback clock is never due after it, so
// a feedback beyond the cap is a late feedback already.
type ComplianceRow struct {
	Institute string              `json:"institute"`
	Clock     article23.ClockName `json:"clock"`
	OnTime    int64               `json:"on_time"` // met, judged by the act's stated date
	Late      int64               `json:"late"`    // breached
	Open      int64               `json:"open"`    // still running
	// OnTimeRate is on_time ÷ (on_time + late), 0–1; nil when none finished.
	OnTimeRate *float64 `json:"on_time_rate"`
	// MedianWorkdaysUsed and P90WorkdaysUsed are over met and breached clocks' workdays_used
	// (median: mean of the middle values; p90: nearest rank); nil when none finished.
	MedianWorkdaysUsed *float64 `json:"median_workdays_used"`
	P90WorkdaysUsed    *float64 `json:"p90_workdays_used"`
	// Extensions counts approved extensions; only feedback deadlines are extended.
	Extensions int64 `json:"extensions"`
	// LateEntries counts clocks met on time by the act's stated date whose act was entered
	// after the due date: back-dating shows here.
	LateEntries int64 `json:"late_entries"`
}

type complianceKey struct{ institute, clock string }

// complianceTally accumulates counts and the workdays_used histogram per institute and clock.
type complianceTally map[complianceKey]*tallyEntry

type tallyEntry struct {
	counts rollupCounts
	used   map[int]int64 // workdays_used → clocks
}

// Compliance returns per institute and clock the figures for clocks due from..to (inclusive
// "YYYY-MM-DD" dates), ordered by institute then clock order. Whole months are read from the
// compliance rollup (a few rows per institute, clock and month), the days of a partial first
// or last month from the clocks themselves.
func (s *Store) Compliance(ctx context.Context, from, to string, institutes []string) ([]ComplianceRow, error) {
	if !isDate(from) || !isDate(to) {
		return nil, fmt.Errorf("compliance: want YYYY-MM-DD dates, got %q–%q", from, to)
	}
	db := s.db.WithContext(ctx)
	tally := complianceTally{}
	first, last, edges := splitMonths(from, to)
	if first != "" {
		if err := tally.fromRollup(db, first, last, institutes); err != nil {
			return nil, wrap("compliance", err)
		}
	}
	for _, e := range edges {
		if err := tally.fromClocks(db, e[0], e[1], institutes); err != nil {
			return nil, wrap("compliance", err)
		}
	}
	return tally.rows(), nil
}

type tallyCounts struct {
	Institute, Clock                               string
	OnTime, Late, Running, Extensions, LateEntries int64
}

type tallyUsed struct {
	Institute, Clock string
	WorkdaysUsed     int
	N                int64
}

// fromRollup tallies whole months from the rollup and its deltas not yet compacted, each
// table pair in one statement so a compaction running meanwhile is seen either before or
// after, never half.
func (t complianceTally) fromRollup(db *gorm.DB, first, last string, institutes []string) error {
	both := func(columns string, tables ...string) *gorm.DB {
		var parts []any
		for _, table := range tables {
			parts = append(parts, db.Table(table).Select(columns).Where("due_month >= ? AND due_month <= ?", first, last).
				Scopes(inInstitutes("institute", institutes)))
		}
		return db.Table("(? UNION ALL ?) AS r", parts...)
	}
	var counts []tallyCounts
	err := both("institute, clock, "+monthCounters, rollupDirect.months, rollupDeltas.months).
		Select("institute, clock, SUM(on_time) AS on_time, SUM(late) AS late, SUM(running) AS running, SUM(extensions) AS extensions, SUM(late_entries) AS late_entries").
		Group("institute, clock").Scan(&counts).Error
	if err != nil {
		return err
	}
	var used []tallyUsed
	err = both("institute, clock, workdays_used, n", rollupDirect.workdays, rollupDeltas.workdays).
		Select("institute, clock, workdays_used, SUM(n) AS n").Group("institute, clock, workdays_used").Scan(&used).Error
	t.add(counts, used)
	return err
}

// fromClocks tallies the clocks due from..to directly, as the rollup defines them, in one
// pass over the covering index (clocks_due nationally, clocks_compliance per institute).
func (t complianceTally) fromClocks(db *gorm.DB, from, to string, institutes []string) error {
	inPeriod := "clocks.due_on >= ? AND clocks.due_on <= ? AND clocks.state <> 'cancelled'"
	var groups []struct {
		Institute, Clock, State string
		WorkdaysUsed            *int
		N, LateEntries          int64
	}
	err := db.Table("clocks").Select("institute, name AS clock, state, workdays_used, COUNT(*) AS n, "+
		"SUM(CASE WHEN state = 'met' AND entered_on > due_on THEN 1 ELSE 0 END) AS late_entries").
		Scopes(inInstitutes("clocks.institute", institutes)).Where(inPeriod, from, to).
		Group("institute, name, state, workdays_used").Scan(&groups).Error
	if err != nil {
		return err
	}
	var counts []tallyCounts
	var used []tallyUsed
	for _, g := range groups {
		c := tallyCounts{Institute: g.Institute, Clock: g.Clock, LateEntries: g.LateEntries}
		switch article23.ClockState(g.State) {
		case article23.ClockMet:
			c.OnTime = g.N
		case article23.ClockBreached:
			c.Late = g.N
		case article23.ClockRunning:
			c.Running = g.N
		}
		counts = append(counts, c)
		if g.WorkdaysUsed != nil && (c.OnTime > 0 || c.Late > 0) {
			used = append(used, tallyUsed{Institute: g.Institute, Clock: g.Clock, WorkdaysUsed: *g.WorkdaysUsed, N: g.N})
		}
	}
	var extensions []tallyCounts
	err = db.Table("extensions").Select("clocks.institute, clocks.name AS clock, COUNT(*) AS extensions").
		Joins("JOIN clocks ON clocks.case_number = extensions.case_number AND clocks.name = 'feedback'").
		Scopes(inInstitutes("clocks.institute", institutes)).Where(inPeriod, from, to).
		Where("extensions.state = ?", article23.ExtensionApproved).Group("clocks.institute, clocks.name").Scan(&extensions).Error
	t.add(append(counts, extensions...), used)
	return err
}

func (t complianceTally) add(counts []tallyCounts, used []tallyUsed) {
	entry := func(institute, clock string) *tallyEntry {
		k := complianceKey{institute, clock}
		if t[k] == nil {
			t[k] = &tallyEntry{used: map[int]int64{}}
		}
		return t[k]
	}
	for _, c := range counts {
		e := entry(c.Institute, c.Clock)
		e.counts.onTime += c.OnTime
		e.counts.late += c.Late
		e.counts.running += c.Running
		e.counts.extensions += c.Extensions
		e.counts.lateEntries += c.LateEntries
	}
	for _, u := range used {
		entry(u.Institute, u.Clock).used[u.WorkdaysUsed] += u.N
	}
}

// rows reports every institute and stage with a non-cancelled clock in the period.
func (t complianceTally) rows() []ComplianceRow {
	rows := make(map[complianceKey]*ComplianceRow)
	for k, e := range t {
		c := e.counts
		if c.onTime+c.late+c.running == 0 || k.clock == string(article23.ClockCap) {
			continue // only clocks that moved out of the period (or cancelled) left this row
		}
		rows[k] = &ComplianceRow{Institute: k.institute, Clock: article23.ClockName(k.clock),
			OnTime: c.onTime, Late: c.late, Open: c.running, Extensions: c.extensions, LateEntries: c.lateEntries,
			OnTimeRate: OnTimeRate(c.onTime, c.late), MedianWorkdaysUsed: median(e.used), P90WorkdaysUsed: nearestRank(e.used, 0.9)}
	}
	return sortCompliance(rows)
}

// OnTimeRate is onTime ÷ (onTime + late), nil when nothing finished.
func OnTimeRate(onTime, late int64) *float64 {
	if onTime+late <= 0 {
		return nil
	}
	return ptr(float64(onTime) / float64(onTime+late))
}

// nearestRank is the p-quantile (0 < p ≤ 1) of a histogram by nearest rank, nil when empty.
func nearestRank(hist map[int]int64, p float64) *float64 {
	var n int64
	for _, c := range hist {
		n += max(c, 0)
	}
	if n == 0 {
		return nil
	}
	rank := int64(math.Ceil(p * float64(n)))
	var seen int64
	for _, v := range slices.Sorted(maps.Keys(hist)) {
		if seen += max(hist[v], 0); seen >= rank {
			return ptr(float64(v))
		}
	}
	return nil
}

// median is the mean of the one or two middle values of a histogram, nil when it is empty.
func median(hist map[int]int64) *float64 {
	var n int64
	for _, c := range hist {
		n += max(c, 0)
	}
	if n == 0 {
		return nil
	}
	lo, hi := (n+1)/2, (n+2)/2 // 1-based ranks of the middle values
	var seen int64
	var a, b int
	for _, v := range slices.Sorted(maps.Keys(hist)) {
		c := max(hist[v], 0)
		if seen < lo && lo <= seen+c {
			a = v
		}
		if seen < hi && hi <= seen+c {
			b = v
			break
		}
		seen += c
	}
	return ptr(float64(a+b) / 2)
}

// splitMonths splits from..to into the whole months first..last ("YYYY-MM"; "" when none)
// and the day ranges before and after them.
func splitMonths(from, to string) (first, last string, edges [][2]string) {
	f, errF := time.Parse(time.DateOnly, from)
	t, errT := time.Parse(time.DateOnly, to)
	if errF != nil || errT != nil || t.Before(f) {
		return "", "", [][2]string{{from, to}}
	}
	start := f
	if f.Day() != 1 {
		start = time.Date(f.Year(), f.Month()+1, 1, 0, 0, 0, 0, time.UTC)
	}
	end := time.Date(t.Year(), t.Month()+1, 1, 0, 0, 0, 0, time.UTC) // the day after to's month
	if t.AddDate(0, 0, 1).Day() != 1 {
		end = time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
	}
	if !start.Before(end) {
		return "", "", [][2]string{{from, to}}
	}
	if f.Before(start) {
		edges = append(edges, [2]string{from, start.AddDate(0, 0, -1).Format(time.DateOnly)})
	}
	if t.After(end.AddDate(0, 0, -1)) {
		edges = append(edges, [2]string{end.Format(time.DateOnly), to})
	}
	return start.Format("2006-01"), end.AddDate(0, 0, -1).Format("2006-01"), edges
}

func sortCompliance(rows map[complianceKey]*ComplianceRow) []ComplianceRow {
	out := make([]ComplianceRow, 0, len(rows))
	for _, r := range rows {
		out = append(out, *r)
	}
	slices.SortFunc(out, func(a, b ComplianceRow) int {
		if a.Institute != b.Institute {
			if a.Institute < b.Institute {
				return -1
			}
			return 1
		}
		return slices.Index(article23.ClockNames, a.Clock) - slices.Index(article23.ClockNames, b.Clock)
	})
	return out
}

// isDate reports whether s is shaped "YYYY-MM-DD".
func isDate(s string) bool {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return false
	}
	for i, r := range s {
		if i != 4 && i != 7 && (r < '0' || r > '9') {
			return false
		}
	}
	return true
}
