package api

import (
	"net/http"
	"slices"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/calendar"
	"github.com/cicpa/weiquan/store"
	"github.com/cicpa/weiquan/wire"
)

// maxReportYears bounds a compliance period: longer is no evaluation period, only load.
const maxReportYears = 5

// handleCompliance reports on-time figures per institute and stage for deadlines due in
// [from, to] (default: this year): JSON, or CSV for filing with Accept: text/csv.
func (s *Server) handleCompliance(c echo.Context) error {
	cl := claimsOf(c)
	if err := requireRole(cl, article23.RoleSupervisor, article23.RoleSecretary); err != nil {
		return err
	}
	var fs fields
	from, to := s.reportPeriod(c, &fs)
	institute, stage := s.reportFilters(c, &fs)
	if err := fs.err(); err != nil {
		return err
	}
	ctx := c.Request().Context()
	rows, err := s.deps.Store.Compliance(ctx, from, to, caseScope(cl, institute).Institutes)
	if err != nil {
		return err
	}
	names, err := s.allInstitutes(ctx)
	if err != nil {
		return err
	}
	out := wire.Compliance{From: from, To: to, Rows: []wire.ComplianceRow{}}
	for _, r := range rows {
		if stage == "" || r.Clock == stage {
			out.Rows = append(out.Rows, newComplianceRow(r, names[r.Institute]))
		}
	}
	if wantsCSV(c) {
		return writeComplianceCSV(c, callerLang(c), out)
	}
	return c.JSON(http.StatusOK, out)
}

// reportPeriod reads from and to, each defaulting to this year's first and last day
// (Asia/Shanghai); to before from and periods over maxReportYears are refused.
func (s *Server) reportPeriod(c echo.Context, fs *fields) (from, to string) {
	year := calendar.DateOf(s.deps.Now()).Year
	from, to = c.QueryParam("from"), c.QueryParam("to")
	if from == "" {
		from = calendar.NewDate(year, time.January, 1).String()
	}
	if to == "" {
		to = calendar.NewDate(year, time.December, 31).String()
	}
	f, errF := calendar.ParseDate(from)
	t, errT := calendar.ParseDate(to)
	switch {
	case errF != nil:
		fs.add("from", msgNotDate, from)
	case errT != nil:
		fs.add("to", msgNotDate, to)
	case to < from:
		fs.add("from", msgAfterTo, from, to)
	case !t.Before(calendar.NewDate(f.Year+maxReportYears, f.Month, f.Day)):
		fs.add("to", msgTooLong, maxReportYears)
	}
	return from, to
}

// reportFilters reads the institute and stage filters; an unknown one is refused, naming it.
func (s *Server) reportFilters(c echo.Context, fs *fields) (institute string, stage article23.ClockName) {
	institute, stage = c.QueryParam("institute"), article23.ClockName(c.QueryParam("stage"))
	if institute != "" {
		if known, err := s.knownInstitute(c.Request().Context(), institute); err != nil || !known {
			fs.add("institute", msgUnknownInstitute, institute)
		}
	}
	if stage != "" && !slices.Contains(reportStages, stage) {
		fs.add("stage", msgUnknownStage, stage)
	}
	return institute, stage
}

// reportStages are the stages reports speak of: the cap is no stage of its own.
var reportStages = []article23.ClockName{article23.ClockDecision, article23.ClockCommittee, article23.ClockFeedback}

// handleCounts: per institute in the caller's scope, the open, breached and due-soon cases
// (due_within working days, default 5), counted by the store in one indexed pass, not from a
// capped list.
func (s *Server) handleCounts(c echo.Context) error {
	cl := claimsOf(c)
	if err := requireRole(cl, article23.RoleSupervisor, article23.RoleSecretary); err != nil {
		return err
	}
	var fs fields
	before, _ := s.dueWithin(c, &fs)
	if err := fs.err(); err != nil {
		return err
	}
	rows, err := s.deps.Store.Counts(c.Request().Context(), caseScope(cl, c.QueryParam("institute")).Institutes, before)
	if err != nil {
		return err
	}
	out := wire.Counts{DueBefore: sh(before), Rows: make([]wire.InstituteCounts, len(rows))}
	for i, r := range rows {
		out.Rows[i] = wire.InstituteCounts(r)
	}
	return c.JSON(http.StatusOK, out)
}

// dueWithin reads due_within (working days from today, default 5) as the cutoff instant of
// "due soon".
func (s *Server) dueWithin(c echo.Context, fs *fields) (time.Time, int) {
	n, ok := queryInt(c, "due_within", 0, calendar.MaxWorkdays, fs)
	if !ok {
		n = 5
	}
	before, err := s.dueCutoff(n)
	if err != nil {
		fs.add("due_within", "outside the working-day calendar: %v", err)
	}
	return before, n
}

// newComplianceRow is r with its institute's names.
func newComplianceRow(r store.ComplianceRow, in store.Institute) wire.ComplianceRow {
	return wire.ComplianceRow{Institute: r.Institute, Clock: r.Clock, OnTime: r.OnTime, Late: r.Late, Open: r.Open,
		OnTimeRate: r.OnTimeRate, MedianWorkdaysUsed: r.MedianWorkdaysUsed, P90WorkdaysUsed: r.P90WorkdaysUsed,
		Extensions: r.Extensions, LateEntries: r.LateEntries, InstituteName: in.Name, InstituteNameEn: in.NameEn}
}
