package store

import (
	"context"
	"fmt"
	"slices"

	"github.com/cicpa/weiquan/article23"
)

// ComplianceRow is one institute's record on one clock over a period (Art. 27 evaluation).
// A clock counts in the period its due date falls in; cancelled clocks do not count.
type ComplianceRow struct {
	Institute string              `json:"institute"`
	Clock     article23.ClockName `json:"clock"`
	OnTime    int64               `json:"on_time"` // met
	Late      int64               `json:"late"`    // breached
	Open      int64               `json:"open"`    // still running
	// MedianWorkdaysUsed is the median of workdays_used over met and breached clocks; nil
	// when none finished.
	MedianWorkdaysUsed *float64 `json:"median_workdays_used,omitempty"`
	// Extensions counts approved extensions; only feedback deadlines are extended.
	Extensions int64 `json:"extensions"`
}

type complianceKey struct{ institute, clock string }

// Compliance returns per institute and clock the figures for clocks due from..to (inclusive
// "YYYY-MM-DD" dates), ordered by institute then clock order.
func (s *Store) Compliance(ctx context.Context, from, to string, institutes []string) ([]ComplianceRow, error) {
	if !isDate(from) || !isDate(to) {
		return nil, fmt.Errorf("compliance: want YYYY-MM-DD dates, got %q–%q", from, to)
	}
	db := s.db.WithContext(ctx)
	inPeriod := "clocks.due_on >= ? AND clocks.due_on <= ? AND clocks.state <> 'cancelled'"
	var counts []struct {
		Institute, Name      string
		OnTime, Late, IsOpen int64
	}
	err := db.Table("clocks").Select(`institute, name,
			SUM(CASE WHEN state = 'met' THEN 1 ELSE 0 END) AS on_time,
			SUM(CASE WHEN state = 'breached' THEN 1 ELSE 0 END) AS late,
			SUM(CASE WHEN state = 'running' THEN 1 ELSE 0 END) AS is_open`).
		Scopes(inInstitutes("clocks.institute", institutes)).Where(inPeriod, from, to).
		Group("institute, name").Scan(&counts).Error
	if err != nil {
		return nil, wrap("compliance", err)
	}
	var medians []struct {
		Institute, Name string
		Median          float64
	}
	// the median as the mean of the one or two middle values, in SQL both dialects share
	err = db.Raw(`WITH used AS (
			SELECT institute, name, workdays_used,
				ROW_NUMBER() OVER (PARTITION BY institute, name ORDER BY workdays_used) AS rn,
				COUNT(*) OVER (PARTITION BY institute, name) AS n
			FROM clocks WHERE `+inPeriod+` AND workdays_used IS NOT NULL AND state IN ('met', 'breached')`+
		instituteCond(institutes)+`)
		SELECT institute, name, AVG(workdays_used * 1.0) AS median FROM used
		WHERE rn IN ((n + 1) / 2, (n + 2) / 2) GROUP BY institute, name`, instituteArgs(from, to, institutes)...).
		Scan(&medians).Error
	if err != nil {
		return nil, wrap("compliance median", err)
	}
	var extensions []struct {
		Institute string
		N         int64
	}
	err = db.Table("extensions").Select("clocks.institute, COUNT(*) AS n").
		Joins("JOIN clocks ON clocks.case_number = extensions.case_number AND clocks.name = 'feedback'").
		Scopes(inInstitutes("clocks.institute", institutes)).Where(inPeriod, from, to).
		Where("extensions.state = ?", article23.ExtensionApproved).Group("clocks.institute").Scan(&extensions).Error
	if err != nil {
		return nil, wrap("compliance extensions", err)
	}
	rows := make(map[complianceKey]*ComplianceRow)
	for _, c := range counts {
		rows[complianceKey{c.Institute, c.Name}] = &ComplianceRow{Institute: c.Institute,
			Clock: article23.ClockName(c.Name), OnTime: c.OnTime, Late: c.Late, Open: c.IsOpen}
	}
	for _, m := range medians {
		if r := rows[complianceKey{m.Institute, m.Name}]; r != nil {
			r.MedianWorkdaysUsed = ptr(m.Median)
		}
	}
	for _, e := range extensions {
		if r := rows[complianceKey{e.Institute, string(article23.ClockFeedback)}]; r != nil {
			r.Extensions = e.N
		}
	}
	return sortCompliance(rows), nil
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

func instituteCond(institutes []string) string {
	switch {
	case institutes == nil:
		return ""
	case len(institutes) == 0:
		return " AND 1 = 0"
	}
	return " AND institute IN ?"
}

func instituteArgs(from, to string, institutes []string) []any {
	args := []any{from, to}
	if len(institutes) > 0 {
		args = append(args, institutes)
	}
	return args
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
