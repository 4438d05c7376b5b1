package api

import (
	"maps"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/auth"
	"github.com/cicpa/weiquan/calendar"
	"github.com/cicpa/weiquan/store"
)

// overviewResponse is GET /reports/overview: a dashboard in one call.
type overviewResponse struct {
	Year        int                 `json:"year"`
	DueWithin   int                 `json:"due_within"`
	DueBefore   time.Time           `json:"due_before"`
	Totals      overviewFigures     `json:"totals"`
	Institutes  []instituteOverview `json:"institutes"`
	Months      []monthOverview     `json:"months"`
	Escalations []escalationGroup   `json:"escalations"`
	Extensions  []extensionTask     `json:"extensions"`
}

// overviewFigures are the counts now and the year's figures (clocks due in the year; the
// cap is no stage).
type overviewFigures struct {
	Open        int64    `json:"open"`
	Breached    int64    `json:"breached"`
	DueSoon     int64    `json:"due_soon"`
	OnTime      int64    `json:"on_time"`
	Late        int64    `json:"late"`
	OnTimeRate  *float64 `json:"on_time_rate"`
	Extensions  int64    `json:"extensions"`
	LateEntries int64    `json:"late_entries"`
}

// instituteOverview is one institute's line of the national table.
type instituteOverview struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	NameEn string `json:"name_en"`
	overviewFigures
	MedianDecisionWorkdays *float64 `json:"median_decision_workdays"`
}

// monthOverview is one month of the year: each stage's figures, and the month's breaches
// (late clocks), approved extensions and late entries over the stages.
type monthOverview struct {
	Month       string                               `json:"month"`
	Stages      map[article23.ClockName]stageFigures `json:"stages"`
	Late        int64                                `json:"late"`
	Extensions  int64                                `json:"extensions"`
	LateEntries int64                                `json:"late_entries"`
}

type stageFigures struct {
	OnTime     int64    `json:"on_time"`
	Late       int64    `json:"late"`
	Open       int64    `json:"open"`
	OnTimeRate *float64 `json:"on_time_rate"`
}

// escalationGroup is one case's open escalations: the highest level, the clocks concerned,
// the earliest raised, and each escalation the caller may acknowledge.
type escalationGroup struct {
	Case          summaryResponse        `json:"case"`
	InstituteName string                 `json:"institute_name"`
	HighestLevel  int                    `json:"highest_level"`
	Clocks        []article23.ClockName  `json:"clocks"`
	RaisedAt      time.Time              `json:"raised_at"`
	Escalations   []article23.Escalation `json:"escalations"`
}

// handleOverview serves a dashboard from one store query set, scoped to the caller:
// an institute's staff see their institute, CICPA's supervisors every institute (or one).
func (s *Server) handleOverview(c echo.Context) error {
	cl := claimsOf(c)
	if err := requireRole(cl, article23.RoleSupervisor, article23.RoleSecretary); err != nil {
		return err
	}
	var fs fields
	year := s.reportYear(c, &fs)
	institute, _ := s.reportFilters(c, &fs)
	before, within := s.dueWithin(c, &fs)
	if err := fs.err(); err != nil {
		return err
	}
	ctx := c.Request().Context()
	scope := caseScope(cl, institute).Institutes
	o, err := s.deps.Store.Overview(ctx, store.OverviewFilter{Institutes: scope, DueBefore: before,
		FirstMonth: strconv.Itoa(year) + "-01", LastMonth: strconv.Itoa(year) + "-12"})
	if err != nil {
		return err
	}
	names, err := s.allInstitutes(ctx)
	if err != nil {
		return err
	}
	out := overviewResponse{Year: year, DueWithin: within, DueBefore: sh(before), Months: yearMonths(year, o.Months),
		Escalations: []escalationGroup{}, Extensions: []extensionTask{}}
	out.Institutes, out.Totals = instituteLines(scope, names, o)
	if cl.Role == article23.RoleSupervisor {
		out.Escalations = groupEscalations(cl, names, o.Escalations)
		for _, e := range o.Extensions {
			e.Extension.RequestedAt = sh(e.Extension.RequestedAt)
			out.Extensions = append(out.Extensions, extensionTask{Case: newSummaries([]store.CaseSummary{e.Case})[0], Extension: e.Extension})
		}
	}
	return c.JSON(http.StatusOK, out)
}

// reportYear reads year (2000–2100), this year (Asia/Shanghai) by default.
func (s *Server) reportYear(c echo.Context, fs *fields) int {
	year := calendar.DateOf(s.deps.Now()).Year
	if y := c.QueryParam("year"); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil || n < 2000 || n > 2100 {
			fs.add("year", msgYear)
			return year
		}
		year = n
	}
	return year
}

// instituteLines is a line per institute of the scope (every local institute and CICPA for
// a national scope), in code order, and their totals.
func instituteLines(scope []string, names map[string]store.Institute, o store.Overview) ([]instituteOverview, overviewFigures) {
	lines := map[string]*instituteOverview{}
	line := func(code string) *instituteOverview {
		if lines[code] == nil {
			in := names[code]
			lines[code] = &instituteOverview{Code: code, Name: in.Name, NameEn: in.NameEn, MedianDecisionWorkdays: o.DecisionDays[code]}
		}
		return lines[code]
	}
	for code := range names {
		if scope == nil || slices.Contains(scope, code) {
			line(code)
		}
	}
	for _, n := range o.Counts {
		l := line(n.Institute)
		l.Open, l.Breached, l.DueSoon = n.Open, n.Breached, n.DueSoon
	}
	for _, m := range o.Months {
		l := line(m.Institute)
		l.OnTime, l.Late, l.Extensions, l.LateEntries = l.OnTime+m.OnTime, l.Late+m.Late, l.Extensions+m.Extensions, l.LateEntries+m.LateEntries
	}
	var total overviewFigures
	out := make([]instituteOverview, 0, len(lines))
	for _, code := range slices.Sorted(maps.Keys(lines)) {
		l := lines[code]
		l.OnTimeRate = store.OnTimeRate(l.OnTime, l.Late)
		out = append(out, *l)
		total.Open, total.Breached, total.DueSoon = total.Open+l.Open, total.Breached+l.Breached, total.DueSoon+l.DueSoon
		total.OnTime, total.Late = total.OnTime+l.OnTime, total.Late+l.Late
		total.Extensions, total.LateEntries = total.Extensions+l.Extensions, total.LateEntries+l.LateEntries
	}
	total.OnTimeRate = store.OnTimeRate(total.OnTime, total.Late)
	return out, total
}

// yearMonths folds the institutes' monthly figures into the twelve months of year.
func yearMonths(year int, figures []store.MonthFigures) []monthOverview {
	out := make([]monthOverview, 12)
	for i := range out {
		out[i] = monthOverview{Month: calendar.NewDate(year, time.Month(i+1), 1).String()[:7], Stages: map[article23.ClockName]stageFigures{}}
		for _, st := range reportStages {
			out[i].Stages[st] = stageFigures{}
		}
	}
	for _, f := range figures {
		m, err := strconv.Atoi(f.Month[5:])
		if err != nil || m < 1 || m > 12 || !slices.Contains(reportStages, f.Clock) {
			continue
		}
		mo := &out[m-1]
		st := mo.Stages[f.Clock]
		st.OnTime, st.Late, st.Open = st.OnTime+f.OnTime, st.Late+f.Late, st.Open+f.Open
		st.OnTimeRate = store.OnTimeRate(st.OnTime, st.Late)
		mo.Stages[f.Clock] = st
		mo.Late, mo.Extensions, mo.LateEntries = mo.Late+f.Late, mo.Extensions+f.Extensions, mo.LateEntries+f.LateEntries
	}
	return out
}

// groupEscalations puts a case's open escalations together, oldest case first: level 1 of
// their institute for its supervisors, every level for CICPA's.
func groupEscalations(cl auth.Claims, names map[string]store.Institute, escs []store.CaseEscalation) []escalationGroup {
	out := []escalationGroup{}
	at := map[string]int{}
	for _, e := range escs {
		if e.Escalation.Level > 1 && cl.Institute != article23.NationalInstitute {
			continue
		}
		i, ok := at[e.Case.Number]
		if !ok {
			i, at[e.Case.Number] = len(out), len(out)
			out = append(out, escalationGroup{Case: newSummaries([]store.CaseSummary{e.Case})[0],
				InstituteName: names[e.Case.Institute].Name, RaisedAt: sh(e.Escalation.RaisedAt)})
		}
		g := &out[i]
		g.HighestLevel = max(g.HighestLevel, e.Escalation.Level)
		if !slices.Contains(g.Clocks, e.Escalation.Clock) {
			g.Clocks = append(g.Clocks, e.Escalation.Clock)
		}
		e.Escalation.RaisedAt = sh(e.Escalation.RaisedAt)
		g.Escalations = append(g.Escalations, e.Escalation)
	}
	return out
}
