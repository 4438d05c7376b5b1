package api

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/calendar"
	"github.com/cicpa/weiquan/wire"
	"github.com/cicpa/weiquan/workflows"
)

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
		return invalid([]FieldProblem{fieldProblem("from", "the working-day calendar cannot count from this date: %v", err)})
	}
	lang := "zh"
	if c.QueryParam("lang") == "en" {
		lang = "en"
	}
	return c.JSON(http.StatusOK, wire.Due{Explanation: e, DeadlineAt: sh(e.DeadlineAt), Text: e.Text(lang)})
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
	return c.JSON(http.StatusOK, wire.Year{Version: s.calendar().Version(), Year: info, UncertainWindow: uncertainWindow(s.calendar())})
}

func uncertainWindow(cal *calendar.Calendar) *wire.Window {
	from, to, ok := cal.UncertainWindow()
	if !ok {
		return nil
	}
	return &wire.Window{From: from, To: to, Weekends: append([]calendar.Date{}, cal.UncertainWeekends()...)}
}

// handleLoadYear (admin) puts a year file in force: the file is kept, the reload workflow
// that signals every open case to recompute its deadlines is started, the calendar is
// swapped, and the deadlines that move are listed. It answers 202 with the reload's progress
// path as Location: the signalling runs in Temporal, not in this request, so it survives any
// restart and takes as long as the open cases need. When the reload cannot be started the
// answer is 503 and the calendar stays as it was; the file is kept, and uploading it again is
// the retry.
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
		return invalid([]FieldProblem{yearFileProblem("body", err)})
	}
	return s.putInForce(c, c.Param("year"), body, old, next)
}

// putInForce keeps year file body, starts the reload to next and swaps the calendar: 202 with
// what changed and where to follow the reload.
func (s *Server) putInForce(c echo.Context, year string, body []byte, old, next *calendar.Calendar) error {
	ctx := c.Request().Context()
	res, err := s.calendarChange(ctx, old, next)
	if err != nil {
		return err
	}
	if err := s.keepYearFile(year, body); err != nil {
		return err
	}
	if err := s.deps.Engine.StartCalendarReload(ctx, workflows.CalendarUpdated{Version: next.Version()}); err != nil {
		return err
	}
	s.deps.Calendar.Swap(next)
	res.Reload = "/api/v1/calendar/reloads/" + url.PathEscape(next.Version())
	c.Response().Header().Set(echo.HeaderLocation, res.Reload)
	return c.JSON(http.StatusAccepted, res)
}

// calendarChange is what putting next in force instead of old would change: the days, and the
// running deadlines of open cases that would move.
func (s *Server) calendarChange(ctx context.Context, old, next *calendar.Calendar) (wire.Reload, error) {
	changed := old.ChangedDays(next)
	moved, err := s.movedDeadlines(ctx, changed, next)
	if err != nil {
		return wire.Reload{}, err
	}
	open, err := s.deps.Store.CountOpenCases(ctx)
	if err != nil {
		return wire.Reload{}, err
	}
	res := wire.Reload{Version: next.Version(), PreviousVersion: old.Version(), ChangedDays: []string{},
		OpenCases: open, Moved: moved}
	for _, d := range changed {
		res.ChangedDays = append(res.ChangedDays, d.String())
	}
	return res, nil
}

// handleNotice (admin) reads a pasted notice: with preview, the days it lists, the days that
// would change and the deadlines that would move (200, nothing changed); without, it puts
// the notice's year file in force like an upload (202). What the notice reader cannot read
// is 422 at text, naming the line.
func (s *Server) handleNotice(c echo.Context) error {
	if err := requireRole(claimsOf(c), article23.RoleAdmin); err != nil {
		return err
	}
	var r wire.NoticeRequest
	if err := decodeJSON(c, &r, false); err != nil {
		return err
	}
	var f fields
	f.text("text", r.Text, 20000)
	if r.Year != 0 && (r.Year < 2007 || r.Year > 2099) {
		f.add("year", "must be a year 2007–2099")
	}
	if err := f.err(); err != nil {
		return err
	}
	n, err := calendar.ReadNotice(r.Text, r.Year)
	if err != nil {
		return invalid([]FieldProblem{fieldProblem("text", msgNoticeUnread, err)})
	}
	body := n.YearFile()
	old := s.calendar()
	next, err := old.WithYearFile(body)
	if err != nil {
		return invalid([]FieldProblem{fieldProblem("text", msgNoticeUnread, err)})
	}
	if !r.Preview {
		return s.putInForce(c, strconv.Itoa(n.Year), body, old, next)
	}
	res, err := s.calendarChange(c.Request().Context(), old, next)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, wire.Notice{Reload: res, Preview: true, Year: n.Year, Days: n.Days})
}

// handleReload (admin) shows the progress of the reload to a calendar version.
func (s *Server) handleReload(c echo.Context) error {
	if err := requireRole(claimsOf(c), article23.RoleAdmin); err != nil {
		return err
	}
	p, err := s.deps.Engine.CalendarReload(c.Request().Context(), c.Param("version"))
	if err != nil {
		return err
	}
	out := wire.ReloadProgress{Calendar: p.Calendar, Signalled: p.Signalled, Ended: p.Ended,
		Failures: make([]wire.ReloadFailure, len(p.Failures)), FailureCount: p.FailureCount, Done: p.Done}
	for i, f := range p.Failures {
		out.Failures[i] = wire.ReloadFailure(f)
	}
	return c.JSON(http.StatusOK, out)
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
		return nil, invalid([]FieldProblem{fieldProblem("year", "the file is for %d, the path says %s", head.Year, c.Param("year"))})
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

// movedDeadlines lists the running deadlines next moves. Only a clock whose counting window
// (start, due] holds a changed day can move, so it recomputes just the cases with such a
// clock: none when no day changed, and a few when a new year is published.
func (s *Server) movedDeadlines(ctx context.Context, changed []calendar.Date, next *calendar.Calendar) ([]wire.MovedDue, error) {
	moved := []wire.MovedDue{}
	if len(changed) == 0 {
		return moved, nil
	}
	numbers, err := s.deps.Store.CasesWithRunningClocksSpanning(ctx, changed[0].String(), changed[len(changed)-1].String())
	if err != nil {
		return nil, err
	}
	for _, number := range numbers {
		m, err := s.movedClocks(ctx, number, next)
		if err != nil {
			return nil, err
		}
		moved = append(moved, m...)
	}
	return moved, nil
}

func (s *Server) movedClocks(ctx context.Context, number string, next *calendar.Calendar) ([]wire.MovedDue, error) {
	v, err := s.deps.Store.Case(ctx, number)
	if err != nil {
		return nil, err
	}
	var out []wire.MovedDue
	for _, k := range v.Case.Clocks {
		start, err := calendar.ParseDate(k.Start)
		if k.State != article23.ClockRunning || err != nil {
			continue
		}
		if d, err := next.Due(start, k.Workdays); err == nil && d.Due.String() != k.Due {
			out = append(out, wire.MovedDue{Number: number, Clock: k.Name, OldDue: k.Due, NewDue: d.Due.String()})
		}
	}
	return out, nil
}
