package store

import (
	"context"
	"time"

	"github.com/cicpa/weiquan/article23"
)

// CaseClock is one clock with the case it belongs to.
type CaseClock struct {
	Case  CaseSummary
	Clock article23.Clock
}

// CaseEscalation is one escalation with its case.
type CaseEscalation struct {
	Case       CaseSummary
	Escalation article23.Escalation
}

// CaseExtension is one extension request with its case.
type CaseExtension struct {
	Case      CaseSummary
	Extension article23.Extension
}

// InstituteCounts are one institute's dashboard figures.
type InstituteCounts struct {
	Institute string `json:"institute"`
	Open      int64  `json:"open"`     // cases in an open stage
	Breached  int64  `json:"breached"` // open cases with a breached clock
	DueSoon   int64  `json:"due_soon"` // open cases not breached with a running deadline before the cutoff
}

type clockWithCase struct {
	Clock clockRow   `gorm:"embedded"`
	Case  summaryRow `gorm:"embedded;embeddedPrefix:c_"`
}

// DueSoon returns every running clock whose deadline is before before, soonest first.
//
// Deprecated: the list grows with the caseload (15,000 rows a week nationally at 1M cases);
// use DueSoonPage and take totals from Counts.
func (s *Store) DueSoon(ctx context.Context, institutes []string, before time.Time) ([]CaseClock, error) {
	return allPages(ctx, s.DueSoonPage, DueFilter{Institutes: institutes, Before: before})
}

// Breached returns every breached clock of an open case, earliest breach first.
//
// Deprecated: unbounded; use BreachedPage and take totals from Counts.
func (s *Store) Breached(ctx context.Context, institutes []string) ([]CaseClock, error) {
	return allPages(ctx, s.BreachedPage, DueFilter{Institutes: institutes})
}

func allPages(ctx context.Context, page func(context.Context, DueFilter) (ClockPage, error), f DueFilter) ([]CaseClock, error) {
	f.Limit = maxClockPage
	var out []CaseClock
	for {
		p, err := page(ctx, f)
		if err != nil {
			return nil, err
		}
		out = append(out, p.Clocks...)
		if p.Next == "" {
			return out, nil
		}
		f.Cursor = p.Next
	}
}

// Counts returns, per institute of the scope (nil: all) with open cases, the open, breached
// and due-soon counts; due soon means not breached, with a running deadline before dueBefore
// (a breached case is counted once, as breached). One pass over an index, however many cases.
func (s *Store) Counts(ctx context.Context, institutes []string, dueBefore time.Time) ([]InstituteCounts, error) {
	out := []InstituteCounts{} // [] not null in JSON when no case is open
	err := s.db.WithContext(ctx).Table("cases").
		Select(`institute, COUNT(*) AS open,
			SUM(CASE WHEN is_breached THEN 1 ELSE 0 END) AS breached,
			SUM(CASE WHEN sort_deadline_at < ? AND NOT is_breached THEN 1 ELSE 0 END) AS due_soon`, dueBefore.UTC()).
		Where("is_open").Scopes(inInstitutes("institute", institutes)).Group("institute").Order("institute").Scan(&out).Error
	if err != nil {
		return nil, wrap("counts", err)
	}
	return out, nil
}

// OpenEscalations returns the escalations not yet acknowledged, oldest first.
func (s *Store) OpenEscalations(ctx context.Context, institutes []string) ([]CaseEscalation, error) {
	var rows []struct {
		Escalation escalationRow `gorm:"embedded"`
		Case       summaryRow    `gorm:"embedded;embeddedPrefix:c_"`
	}
	err := s.db.WithContext(ctx).Table("escalations").Select("escalations.*, " + summarySelect("c_")).
		Joins("JOIN cases ON cases.number = escalations.case_number").
		Scopes(inInstitutes("escalations.institute", institutes)).
		Where("escalations.acknowledged_at IS NULL AND escalations.resolved_at IS NULL").Order("escalations.raised_at, escalations.case_number, escalations.id").
		Scan(&rows).Error
	if err != nil {
		return nil, wrap("open escalations", err)
	}
	out := make([]CaseEscalation, len(rows))
	for i, r := range rows {
		out[i] = CaseEscalation{Case: r.Case.toSummary(), Escalation: r.Escalation.toEscalation()}
	}
	return out, nil
}

// PendingExtensions returns the extension requests awaiting a supervisor, oldest first.
func (s *Store) PendingExtensions(ctx context.Context, institutes []string) ([]CaseExtension, error) {
	var rows []struct {
		Extension extensionRow `gorm:"embedded"`
		Case      summaryRow   `gorm:"embedded;embeddedPrefix:c_"`
	}
	err := s.db.WithContext(ctx).Table("extensions").Select("extensions.*, " + summarySelect("c_")).
		Joins("JOIN cases ON cases.number = extensions.case_number").
		Scopes(inInstitutes("extensions.institute", institutes)).
		Where("extensions.state = 'pending'").
		Order("extensions.requested_at, extensions.case_number, extensions.id").Scan(&rows).Error
	if err != nil {
		return nil, wrap("pending extensions", err)
	}
	out := make([]CaseExtension, len(rows))
	for i, r := range rows {
		out[i] = CaseExtension{Case: r.Case.toSummary(), Extension: r.Extension.toExtension()}
	}
	return out, nil
}
