package web

import (
	"cmp"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/wire"
)

// dashboardPage is a supervisor's view, from one API call (GET /reports/overview): what is
// late or nearly so, the escalations and extension requests waiting on them, the year's
// on-time rates, breaches and extensions by month, and for CICPA the institutes side by side.
type dashboardPage struct {
	O                     wire.Overview
	Lines                 []wire.InstituteOverview // the national table, in the order asked for
	Choices               []wire.InstituteOverview // the institutes to narrow to, in national order
	Sort                  string
	Desc                  bool
	RateChart, CountChart template.HTML
	Institute             string // the scope asked for; "" is every institute in scope
	National              bool
}

// dashboardSorts are the national table's sortable columns.
var dashboardSorts = map[string]func(a, b wire.InstituteOverview) int{
	"code": func(a, b wire.InstituteOverview) int {
		return cmp.Compare(nationalOrder(a.Code), nationalOrder(b.Code))
	},
	"open":       func(a, b wire.InstituteOverview) int { return cmp.Compare(a.Open, b.Open) },
	"breached":   func(a, b wire.InstituteOverview) int { return cmp.Compare(a.Breached, b.Breached) },
	"due_soon":   func(a, b wire.InstituteOverview) int { return cmp.Compare(a.DueSoon, b.DueSoon) },
	"rate":       func(a, b wire.InstituteOverview) int { return cmpOpt(a.OnTimeRate, b.OnTimeRate) },
	"late":       func(a, b wire.InstituteOverview) int { return cmp.Compare(a.Late, b.Late) },
	"extensions": func(a, b wire.InstituteOverview) int { return cmp.Compare(a.Extensions, b.Extensions) },
	"median": func(a, b wire.InstituteOverview) int {
		return cmpOpt(a.MedianDecisionWorkdays, b.MedianDecisionWorkdays)
	},
	"late_entries": func(a, b wire.InstituteOverview) int {
		return cmp.Compare(a.LateEntries, b.LateEntries)
	},
}

// nationalOrder is an institute's place in the order Chinese readers expect: CICPA, the
// provinces by their administrative division codes (北京, 天津, 河北 …), then the separately
// listed cities; an unknown code last.
func nationalOrder(code string) int {
	if i := slices.Index(institutes, code); i >= 0 {
		return i
	}
	return len(institutes)
}

// cmpOpt orders missing figures first.
func cmpOpt(a, b *float64) int {
	switch {
	case a == nil || b == nil:
		return cmp.Compare(boolInt(a != nil), boolInt(b != nil))
	}
	return cmp.Compare(*a, *b)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (c *Console) handleDashboard(w http.ResponseWriter, r *http.Request, s *session) {
	if !s.Is("supervisor") {
		c.fail(w, r, s, http.StatusForbidden, "problem.forbidden")
		return
	}
	q := r.URL.Query()
	p := dashboardPage{National: s.National(), Sort: q.Get("sort"), Desc: q.Get("dir") == "desc"}
	api := url.Values{}
	if p.National && q.Get("institute") != "" {
		p.Institute = q.Get("institute")
		api.Set("institute", p.Institute)
	}
	if err := c.get(r, s, "/api/v1/reports/overview", api, &p.O); err != nil {
		c.apiFailure(w, r, s, err)
		return
	}
	if dashboardSorts[p.Sort] == nil {
		p.Sort = "code"
	}
	p.Choices = slices.Clone(p.O.Institutes)
	slices.SortFunc(p.Choices, func(a, b wire.InstituteOverview) int { return dashboardSorts["code"](a, b) })
	p.Lines = slices.Clone(p.O.Institutes)
	slices.SortStableFunc(p.Lines, func(a, b wire.InstituteOverview) int {
		if p.Desc {
			a, b = b, a
		}
		return cmp.Or(dashboardSorts[p.Sort](a, b), cmp.Compare(nationalOrder(a.Code), nationalOrder(b.Code)))
	})
	v := c.newView(r, s, "dashboard.title", nil)
	p.RateChart, p.CountChart = c.rateChart(v, p.O.Months), c.countChart(v, p.O.Months)
	v.Data = p
	c.render(w, http.StatusOK, "dashboard", v)
}

// SortURL is the dashboard sorted by column key: descending first, ascending on a second click.
func (p dashboardPage) SortURL(key string) string {
	q := url.Values{"sort": {key}, "dir": {"desc"}}
	if p.Sort == key && p.Desc {
		q.Set("dir", "asc")
	}
	if p.Institute != "" {
		q.Set("institute", p.Institute)
	}
	return "/dashboard?" + q.Encode() + "#institutes"
}

// AriaSort is the aria-sort value of column key.
func (p dashboardPage) AriaSort(key string) string {
	switch {
	case p.Sort != key:
		return "none"
	case p.Desc:
		return "descending"
	}
	return "ascending"
}

// CasesURL is the case list behind a count: kind open, breached or soon, of institute ("":
// the whole scope).
func (p dashboardPage) CasesURL(kind, institute string) string {
	q := url.Values{"open": {"true"}}
	switch kind {
	case "breached":
		q.Set("breached", "true")
	case "soon":
		q.Set("breached", "false")
		q.Set("due_within", fmt.Sprint(p.O.DueWithin))
	}
	if institute == "" {
		institute = p.Institute
	}
	if institute != "" {
		q.Set("institute", institute)
	}
	return "/cases?" + q.Encode()
}

// shortName is an institute's name without the common suffix, for a table on a phone.
func shortName(name string) string {
	if name == "中国注册会计师协会" {
		return "中注协"
	}
	if short := strings.TrimSuffix(name, "注册会计师协会"); short != "" {
		return short
	}
	return name
}

// monthLabels are the x labels of the year's charts: 1月 … 12月, or Jan … Dec.
func monthLabels(v *view, months []wire.MonthOverview) []string {
	out := make([]string, len(months))
	for i := range months {
		out[i] = monthName(v, i+1)
	}
	return out
}

// monthName is month m (1–12) as a chart or table shows it: 3月, or Mar.
func monthName(v *view, m int) string {
	if v.Lang == "en" {
		return time.Month(m).String()[:3]
	}
	return v.T("chart.month", m)
}

// rateChart: the on-time rate by due month for each stage.
func (c *Console) rateChart(v *view, months []wire.MonthOverview) template.HTML {
	ss := []series{{Label: v.T("clock.decision"), Class: "s1"}, {Label: v.T("clock.committee"), Class: "s2", Dash: "6 3"},
		{Label: v.T("clock.feedback"), Class: "s3", Dash: "2 3"}}
	for _, m := range months {
		for i, st := range reportStagesWeb {
			var val *float64
			if r := m.Stages[string(st)].OnTimeRate; r != nil {
				val = ptrTo(*r * 100)
			}
			ss[i].Data = append(ss[i].Data, val)
		}
	}
	return lineChart(chartSpec{ID: "rate", Title: v.T("dashboard.chart"), XTitle: v.T("chart.x_month"), YTitle: v.T("chart.y_rate"),
		Labels: monthLabels(v, months), YMax: 100, Unit: "%", Series: ss})
}

// countChart: breaches and approved extensions by due month.
func (c *Console) countChart(v *view, months []wire.MonthOverview) template.HTML {
	ss := []series{{Label: v.T("chart.breaches"), Class: "s4"}, {Label: v.T("chart.extensions"), Class: "s5", Dash: "6 3"}}
	for _, m := range months {
		ss[0].Data = append(ss[0].Data, ptrTo(float64(m.Late)))
		ss[1].Data = append(ss[1].Data, ptrTo(float64(m.Extensions)))
	}
	return lineChart(chartSpec{ID: "counts", Title: v.T("dashboard.count_chart"), XTitle: v.T("chart.x_month"), YTitle: v.T("chart.y_count"),
		Labels: monthLabels(v, months), Series: ss})
}

// reportStagesWeb are the stages the charts and reports show: the cap is no stage.
var reportStagesWeb = []article23.ClockName{article23.ClockDecision, article23.ClockCommittee, article23.ClockFeedback}

func ptrTo[T any](v T) *T { return &v }
