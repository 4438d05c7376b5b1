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
	"github.com/cicpa/weiquan/wire"
)

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
	out := wire.Overview{Year: year, DueWithin: within, DueBefore: sh(before), Months: yearMonths(year, o.Months),
		Escalations: []wire.EscalationGroup{}, Extensions: []wire.ExtensionTask{}}
	out.Institutes, out.Totals = instituteLines(scope, names, o)
	if cl.Role == article23.RoleSupervisor {
		out.Escalations = groupEscalations(cl, names, o.Escalations)
		for _, e := range o.Extensions {
			e.Extension.RequestedAt = sh(e.Extension.RequestedAt)
			out.Extensions = append(out.Extensions, wire.ExtensionTask{Case: newSummary(e.Case), Extension: e.Extension})
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
func instituteLines(scope []string, names map[string]store.Institute, o store.Overview) ([]wire.InstituteOverview, wire.Figures) {
	lines := map[string]*wire.InstituteOverview{}
	line := func(code string) *wire.InstituteOverview {
		if lines[code] == nil {
			in := names[code]
			lines[code] = &wire.InstituteOverview{Code: code, Name: in.Name, NameEn: in.NameEn, MedianDecisionWorkdays: o.DecisionDays[code]}
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
	var total wire.Figures
	out := make([]wire.InstituteOverview, 0, len(lines))
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
func yearMonths(year int, figures []store.MonthFigures) []wire.MonthOverview {
	out := make([]wire.MonthOverview, 12)
	for i := range out {
		out[i] = wire.MonthOverview{Month: calendar.NewDate(year, time.Month(i+1), 1).String()[:7], Stages: map[string]wire.StageFigures{}}
		for _, st := range reportStages {
			out[i].Stages[string(st)] = wire.StageFigures{}
		}
	}
	for _, f := range figures {
		m, err := strconv.Atoi(f.Month[5:])
		if err != nil || m < 1 || m > 12 || !slices.Contains(reportStages, f.Clock) {
			continue
		}
		mo := &out[m-1]
		st := mo.Stages[string(f.Clock)]
		st.OnTime, st.Late, st.Open = st.OnTime+f.OnTime, st.Late+f.Late, st.Open+f.Open
		st.OnTimeRate = store.OnTimeRate(st.OnTime, st.Late)
		mo.Stages[string(f.Clock)] = st
		mo.Late, mo.Extensions, mo.LateEntries = mo.Late+f.Late, mo.Extensions+f.Extensions, mo.LateEntries+f.LateEntries
	}
	return out
}

// groupEscalations puts a case's open escalations together, oldest case first: level 1 of
// their institute for its supervisors, every level for CICPA's.
func groupEscalations(cl auth.Claims, names map[string]store.Institute, escs []store.CaseEscalation) []wire.EscalationGroup {
	out := []wire.EscalationGroup{}
	at := map[string]int{}
	for _, e := range escs {
		if e.Escalation.Level > 1 && cl.Institute != article23.NationalInstitute {
			continue
		}
		i, ok := at[e.Case.Number]
		if !ok {
			i, at[e.Case.Number] = len(out), len(out)
			out = append(out, wire.EscalationGroup{Case: newSummary(e.Case),
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
