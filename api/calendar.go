package api

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/calendar"
	"github.com/cicpa/weiquan/store"
	"github.com/cicpa/weiquan/workflows"
)

// dueResponse is a deadline with the reasons behind it.
type dueResponse struct {
	calendar.Explanation
	DeadlineAt time.Time `json:"deadline_at"`
	Text       string    `json:"text"`
}

// handleDue counts workdays working days after from: GET /calendar/due?from=&workdays=.
func (s *Server) handleDue(c echo.Context) error {
	var f fields
	f.date("from", c.QueryParam("from"))
	n, ok := queryInt(c, "workdays", 0, calendar.MaxWorkdays, &f)
	if !ok && len(f) == 0 {
		f.add("workdays", "is required")
	}
	if err := f.err(); err != nil {
		return err
	}
	e, err := s.calendar().Explain(must(calendar.ParseDate(c.QueryParam("from"))), n)
	if err != nil {
		return invalid([]FieldProblem{{Field: "from", Detail: err.Error()}})
	}
	lang := "zh"
	if c.QueryParam("lang") == "en" {
		lang = "en"
	}
	return c.JSON(http.StatusOK, dueResponse{Explanation: e, DeadlineAt: sh(e.DeadlineAt), Text: e.Text(lang)})
}

// handleYear shows one year's holidays and make-up days.
func (s *Server) handleYear(c echo.Context) error {
	y, err := strconv.Atoi(c.Param("year"))
	if err != nil {
		return problem(http.StatusNotFound, "not_found", "year must be a number")
	}
	info, err := s.calendar().Year(y)
	if err != nil {
		return problem(http.StatusNotFound, "not_found", err.Error())
	}
	return c.JSON(http.StatusOK, map[string]any{"version": s.calendar().Version(), "year": info})
}

// reloadResponse tells the operator what a new year file changed.
type reloadResponse struct {
	Version         string         `json:"version"`
	PreviousVersion string         `json:"previous_version"`
	ChangedDays     []string       `json:"changed_days"`
	OpenCases       int            `json:"open_cases"`
	Moved           []movedDue     `json:"moved"`
	SignalFailures  []FieldProblem `json:"signal_failures,omitempty"`
}

// movedDue is a running deadline of an open case that the new calendar moves.
type movedDue struct {
	Number string              `json:"number"`
	Clock  article23.ClockName `json:"clock"`
	OldDue string              `json:"old_due"`
	NewDue string              `json:"new_due"`
}

// handleLoadYear (admin) puts a year file in force: the calendar is swapped, every open case
// is signalled to recompute its deadlines, and the deadlines that move are listed.
func (s *Server) handleLoadYear(c echo.Context) error {
	if err := requireRole(claimsOf(c), article23.RoleAdmin); err != nil {
		return err
	}
	body, err := s.yearFileBody(c)
	if err != nil {
		return err
	}
	old := s.calendar()
	next, err := old.WithYearFile(body)
	if err != nil {
		return invalid([]FieldProblem{{Field: "body", Detail: err.Error()}})
	}
	ctx := c.Request().Context()
	open, moved, err := s.movedDeadlines(ctx, old, next)
	if err != nil {
		return err
	}
	if err := s.keepYearFile(c.Param("year"), body); err != nil {
		return err
	}
	s.deps.Calendar.Swap(next)
	res := reloadResponse{Version: next.Version(), PreviousVersion: old.Version(), ChangedDays: []string{},
		OpenCases: len(open), Moved: moved}
	for _, d := range old.ChangedDays(next) {
		res.ChangedDays = append(res.ChangedDays, d.String())
	}
	res.SignalFailures = s.signalCalendar(ctx, open, workflows.CalendarUpdated{Version: next.Version()})
	return c.JSON(http.StatusOK, res)
}

// reloadSignalsInFlight bounds the calendar signals a reload has in flight. One at a time, a
// reload of thousands of open cases would run into the API's request timeout; the bench
// signalled 10,000 cases in 28–31 s with 32 in flight (docs/BENCHMARKS.md, "Capacity").
const reloadSignalsInFlight = 16

// signalCalendar signals every case in numbers, reloadSignalsInFlight at a time, and returns
// the failures in the order of numbers.
func (s *Server) signalCalendar(ctx context.Context, numbers []string, u workflows.CalendarUpdated) []FieldProblem {
	errs := make([]error, len(numbers))
	slots := make(chan struct{}, reloadSignalsInFlight)
	var wg sync.WaitGroup
	for i, number := range numbers {
		slots <- struct{}{}
		wg.Go(func() {
			defer func() { <-slots }()
			errs[i] = s.deps.Engine.SignalCalendar(ctx, number, u)
		})
	}
	wg.Wait()
	var failures []FieldProblem
	for i, err := range errs {
		if err != nil {
			failures = append(failures, FieldProblem{Field: numbers[i], Detail: err.Error()})
		}
	}
	return failures
}

// yearFileBody reads a JSON year file whose year is the path's.
func (s *Server) yearFileBody(c echo.Context) ([]byte, error) {
	if err := jsonContentType(c.Request().Header.Get(echo.HeaderContentType)); err != nil {
		return nil, err
	}
	body, err := io.ReadAll(c.Request().Body)
	if err != nil {
		return nil, err
	}
	var head struct {
		Year int `json:"year"`
	}
	if err := json.Unmarshal(body, &head); err != nil {
		return nil, jsonProblem(err)
	}
	if strconv.Itoa(head.Year) != c.Param("year") {
		return nil, invalid([]FieldProblem{{Field: "year", Detail: fmt.Sprintf("the file is for %d, the path says %s", head.Year, c.Param("year"))}})
	}
	return body, nil
}

// keepYearFile writes the file to CalendarDir (if any), so a restart loads it again.
func (s *Server) keepYearFile(year string, body []byte) error {
	if s.deps.CalendarDir == "" {
		return nil
	}
	tmp := filepath.Join(s.deps.CalendarDir, "."+year+".json.tmp")
	if err := os.WriteFile(tmp, body, 0o640); err != nil {
		return fmt.Errorf("keep year file: %w", err)
	}
	return os.Rename(tmp, filepath.Join(s.deps.CalendarDir, year+".json"))
}

// movedDeadlines lists every open case and the running deadlines next moves against old.
func (s *Server) movedDeadlines(ctx context.Context, old, next *calendar.Calendar) ([]string, []movedDue, error) {
	var open []string
	moved := []movedDue{}
	for _, st := range article23.Stages {
		if !st.Open() {
			continue
		}
		for f := (store.CaseFilter{Stage: st, Limit: 500}); ; {
			page, err := s.deps.Store.ListCases(ctx, f)
			if err != nil {
				return nil, nil, err
			}
			for _, c := range page.Cases {
				open = append(open, c.Number)
				m, err := s.movedClocks(ctx, c.Number, next)
				if err != nil {
					return nil, nil, err
				}
				moved = append(moved, m...)
			}
			if f.Cursor = page.Next; f.Cursor == "" {
				break
			}
		}
	}
	return open, moved, nil
}

func (s *Server) movedClocks(ctx context.Context, number string, next *calendar.Calendar) ([]movedDue, error) {
	v, err := s.deps.Store.Case(ctx, number)
	if err != nil {
		return nil, err
	}
	var out []movedDue
	for _, k := range v.Case.Clocks {
		start, err := calendar.ParseDate(k.Start)
		if k.State != article23.ClockRunning || err != nil {
			continue
		}
		if d, err := next.Due(start, k.Workdays); err == nil && d.Due.String() != k.Due {
			out = append(out, movedDue{Number: number, Clock: k.Name, OldDue: k.Due, NewDue: d.Due.String()})
		}
	}
	return out, nil
}
