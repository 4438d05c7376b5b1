package store

import (
	"context"
	"fmt"
	"time"

	"github.com/cicpa/weiquan/article23"
)

// Task is an open case as an inbox lists it, with the clock that needs attention first: its
// most overdue clock (breached, act not recorded), else its running clock due soonest.
type Task struct {
	CaseSummary
	Clock      article23.ClockName `json:"clock,omitempty"`       // "" when no clock needs attention (e.g. feedback given, to close)
	Due        string              `json:"due,omitempty"`         // the clock's due date
	DeadlineAt *time.Time          `json:"deadline_at,omitempty"` // 24:00 of Due, Asia/Shanghai
	Overdue    bool                `json:"overdue"`               // the clock is breached and its act not recorded
}

// TaskFilter selects the open cases of an inbox. Institutes as in CaseFilter.
type TaskFilter struct {
	Institutes []string
	Secretary  string // only the cases assigned to this secretary
	Unassigned bool   // only the cases nobody is assigned to (the institute's queue)
	Breached   bool   // only cases with a breached clock (supervisors)
	Cursor     string // TaskPage.Next of the previous page
	Limit      int    // default 50, at most 500
}

// TaskPage is one page of tasks: overdue first (most overdue first), then by the next due
// date, then the cases with no clock to watch; ties by number. Next is "" on the last page.
type TaskPage struct {
	Tasks []Task
	Next  string
}

type taskRow struct {
	Summary           summaryRow `gorm:"embedded"`
	AttentionAt       time.Time
	AttentionClock    string
	AttentionDue      string
	AttentionBreached bool
}

// ListTasks returns one page of the open cases f selects in inbox order, by keyset on
// (attention_at, number): one index range scan (cases_tasks*), however deep the page.
func (s *Store) ListTasks(ctx context.Context, f TaskFilter) (TaskPage, error) {
	limit := pageLimit(f.Limit)
	cols := append(append([]string{}, summaryColumns...), "attention_at", "attention_clock", "attention_due", "attention_breached")
	// literals, not parameters, select the partial indexes (docs/STORE.md, generic plans)
	q := s.db.WithContext(ctx).Model(&caseRow{}).Select(cols).Where("is_open").Scopes(inInstitutes("institute", f.Institutes))
	switch {
	case f.Unassigned:
		q = q.Where("secretary = ''")
	case f.Secretary != "":
		q = q.Where("secretary = ?", f.Secretary)
	}
	if f.Breached {
		q = q.Where("is_breached")
	}
	if f.Cursor != "" {
		at, number, err := decodeCursor(f.Cursor)
		if err != nil {
			return TaskPage{}, fmt.Errorf("list tasks: %w", err)
		}
		q = q.Where("(attention_at, number) > (?, ?)", at, number)
	}
	var rows []taskRow
	if err := q.Order("attention_at, number").Limit(limit + 1).Scan(&rows).Error; err != nil {
		return TaskPage{}, wrap("list tasks", err)
	}
	page := TaskPage{Tasks: make([]Task, 0, min(len(rows), limit))}
	for i, r := range rows {
		if i == limit {
			last := rows[limit-1]
			page.Next = encodeCursor(last.AttentionAt, last.Summary.Number)
			break
		}
		page.Tasks = append(page.Tasks, r.toTask())
	}
	return page, nil
}

func (r taskRow) toTask() Task {
	t := Task{CaseSummary: r.Summary.toSummary(), Clock: article23.ClockName(r.AttentionClock), Due: r.AttentionDue,
		Overdue: r.AttentionBreached}
	if d := r.AttentionAt.UTC(); d.Before(noDeadline) {
		t.DeadlineAt = &d
	}
	return t
}
