package store

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// DueFilter selects one page of clocks. Institutes nil means every institute; an empty non-nil
// slice means none. A zero Before does not bound the deadline.
type DueFilter struct {
	Institutes []string
	Before     time.Time // deadline_at before this instant
	Cursor     string    // ClockPage.Next of the previous page
	Limit      int       // default 50, at most 100
}

// ClockPage is one page of clocks, soonest deadline first, then by case number and clock
// name. Next is "" on the last page.
type ClockPage struct {
	Clocks []CaseClock
	Next   string
}

// Clock list page sizes: a dashboard shows a page and takes its totals from Counts.
const (
	defaultClockPage = 50
	maxClockPage     = 100
)

// DueSoonPage returns one page of running clocks whose deadline is before f.Before.
func (s *Store) DueSoonPage(ctx context.Context, f DueFilter) (ClockPage, error) {
	return s.clockPage(ctx, "due soon", "clocks.state = 'running'", f)
}

// BreachedPage returns one page of breached clocks of open cases, earliest deadline (that is,
// earliest breach) first. A breached clock stays breached when the act is done late, so it is
// listed until the case closes.
func (s *Store) BreachedPage(ctx context.Context, f DueFilter) (ClockPage, error) {
	return s.clockPage(ctx, "breached", "clocks.state = 'breached' AND clocks.case_open", f)
}

// clockPage reads a page in the order of the partial indexes clocks_running(_all) and
// clocks_breached(_all), (institute,) deadline_at, case_number, name: the rows come out of
// the index already sorted and the scan stops after Limit+1, however many clocks match.
// state is a literal, not a parameter: PostgreSQL's generic plans for cached statements
// cannot match a parameter to a partial index's predicate.
func (s *Store) clockPage(ctx context.Context, op, state string, f DueFilter) (ClockPage, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = defaultClockPage
	}
	limit = min(limit, maxClockPage)
	where, args, err := clockConditions(state, f)
	if err != nil {
		return ClockPage{}, fmt.Errorf("%s: %w", op, err)
	}
	// LIMIT is written, not bound: a generic plan cannot see a bound limit, so it plans for a
	// third of the running clocks and starts parallel workers to fetch 51 rows (154 ms instead
	// of 17 ms nationally at 1M cases). limit is a clamped int: at most 100 cached shapes.
	sql := "SELECT clocks.*, " + summarySelect("c_") + " FROM clocks JOIN cases ON cases.number = clocks.case_number WHERE " +
		strings.Join(where, " AND ") + " ORDER BY clocks.deadline_at, clocks.case_number, clocks.name LIMIT " + strconv.Itoa(limit+1)
	var rows []clockWithCase
	if err := s.db.WithContext(ctx).Raw(sql, args...).Scan(&rows).Error; err != nil {
		return ClockPage{}, wrap(op, err)
	}
	page := ClockPage{Clocks: make([]CaseClock, 0, min(len(rows), limit))}
	for i, r := range rows {
		if i == limit {
			last := rows[limit-1].Clock
			page.Next = encodeClockCursor(clockCursor{At: last.DeadlineAt.UnixMicro(), Number: last.CaseNumber, Clock: last.Name})
			break
		}
		page.Clocks = append(page.Clocks, CaseClock{Case: r.Case.toSummary(), Clock: r.Clock.toClock()})
	}
	return page, nil
}

// clockConditions are the WHERE conditions of a clock page and their arguments.
func clockConditions(state string, f DueFilter) ([]string, []any, error) {
	where, args := []string{state}, []any{}
	switch {
	case f.Institutes == nil:
	case len(f.Institutes) == 0:
		where = append(where, "1 = 0")
	case len(f.Institutes) == 1:
		where, args = append(where, "clocks.institute = ?"), append(args, f.Institutes[0]) // keeps the index order
	default:
		where, args = append(where, "clocks.institute IN ?"), append(args, f.Institutes)
	}
	if !f.Before.IsZero() {
		where, args = append(where, "clocks.deadline_at < ?"), append(args, f.Before.UTC())
	}
	if f.Cursor != "" {
		c, err := decodeClockCursor(f.Cursor)
		if err != nil {
			return nil, nil, err
		}
		where = append(where, "(clocks.deadline_at, clocks.case_number, clocks.name) > (?, ?, ?)")
		args = append(args, time.UnixMicro(c.At).UTC(), c.Number, c.Clock)
	}
	return where, args, nil
}

// clockCursor is the keyset of the last clock on a page; its t and n have the meaning they
// have in the case list's cursor.
type clockCursor struct {
	At     int64  `json:"t"` // deadline_at in Unix microseconds
	Number string `json:"n"`
	Clock  string `json:"k"`
}

func encodeClockCursor(c clockCursor) string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeClockCursor(s string) (clockCursor, error) {
	var c clockCursor
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	if err != nil || c.Number == "" || c.Clock == "" {
		return clockCursor{}, fmt.Errorf("invalid cursor %q", s)
	}
	return c, nil
}
