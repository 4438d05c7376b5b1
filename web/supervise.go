package web

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"time"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/calendar"
)

// dashboardPage is a supervisor's view: what is late or nearly so per institute, the
// escalations and extension requests waiting on them, and on-time rates over the year.
type dashboardPage struct {
	Counts     []instituteCount
	Tasks      tasksDoc
	Chart      template.HTML
	Months     []monthRates
	Year       int
	Institute  string // the chart's institute; "" is every institute in scope
	Institutes []string
	National   bool
}

type instituteCount struct {
	Institute      string
	Breached, Soon int
}

// monthRates are one month's on-time rates per clock (nil: nothing finished).
type monthRates struct {
	Month                         string
	Decision, Committee, Feedback *float64
}

func (c *Console) handleDashboard(w http.ResponseWriter, r *http.Request, s *session) {
	if !s.Is("supervisor") {
		c.fail(w, r, s, http.StatusForbidden, "problem.forbidden")
		return
	}
	p := dashboardPage{Year: calendar.DateOf(c.deps.Now()).Year, National: s.National(), Institutes: institutes[1:]}
	if p.National {
		p.Institute = r.URL.Query().Get("institute")
	}
	if err := c.get(r, s, "/api/v1/tasks", nil, &p.Tasks); err != nil {
		c.apiFailure(w, r, s, err)
		return
	}
	counts, err := c.counts(r, s)
	if err != nil {
		c.apiFailure(w, r, s, err)
		return
	}
	p.Counts = counts
	if p.Months, err = c.monthlyRates(r, s, p.Year, p.Institute); err != nil {
		c.apiFailure(w, r, s, err)
		return
	}
	v := c.newView(r, s, "dashboard.title", nil)
	p.Chart = c.rateChart(v, p.Months)
	v.Data = p
	c.render(w, http.StatusOK, "dashboard", v)
}

// counts are breached and due-soon (within 5 working days) open cases per institute, for the
// institutes with any: the API counts them in the store, so a national view with thousands of
// late cases is not capped by a list's page.
func (c *Console) counts(r *http.Request, s *session) ([]instituteCount, error) {
	var doc struct {
		Rows []struct {
			Institute string `json:"institute"`
			Breached  int    `json:"breached"`
			DueSoon   int    `json:"due_soon"`
		} `json:"rows"`
	}
	if err := c.get(r, s, "/api/v1/reports/counts", url.Values{"due_within": {"5"}}, &doc); err != nil {
		return nil, err
	}
	out := []instituteCount{}
	for _, row := range doc.Rows {
		if row.Breached+row.DueSoon > 0 {
			out = append(out, instituteCount{Institute: row.Institute, Breached: row.Breached, Soon: row.DueSoon})
		}
	}
	return out, nil
}

// monthlyRates asks the compliance report for each month of the year so far.
func (c *Console) monthlyRates(r *http.Request, s *session, year int, institute string) ([]monthRates, error) {
	now := calendar.DateOf(c.deps.Now())
	var out []monthRates
	for m := time.January; m <= now.Month || year < now.Year; m++ {
		if m > time.December {
			break
		}
		first := calendar.NewDate(year, m, 1)
		last := calendar.NewDate(year, m+1, 1).AddDays(-1)
		q := url.Values{"from": {first.String()}, "to": {last.String()}}
		if institute != "" {
			q.Set("institute", institute)
		}
		var doc complianceDoc
		if err := c.get(r, s, "/api/v1/reports/compliance", q, &doc); err != nil {
			return nil, err
		}
		on, late := map[article23.ClockName]int64{}, map[article23.ClockName]int64{}
		for _, row := range doc.Rows {
			on[row.Clock] += row.OnTime
			late[row.Clock] += row.Late
		}
		out = append(out, monthRates{Month: fmt.Sprintf("%d-%02d", year, int(m)),
			Decision:  rate(on[article23.ClockDecision], late[article23.ClockDecision]),
			Committee: rate(on[article23.ClockCommittee], late[article23.ClockCommittee]),
			Feedback:  rate(on[article23.ClockFeedback], late[article23.ClockFeedback])})
	}
	return out, nil
}

func (c *Console) rateChart(v *view, months []monthRates) template.HTML {
	labels := make([]string, len(months))
	ss := []series{{Label: v.T("clock.decision"), Class: "s1"}, {Label: v.T("clock.committee"), Class: "s2", Dash: "6 3"},
		{Label: v.T("clock.feedback"), Class: "s3", Dash: "2 3"}}
	for i, m := range months {
		labels[i] = m.Month[5:]
		ss[0].Data = append(ss[0].Data, m.Decision)
		ss[1].Data = append(ss[1].Data, m.Committee)
		ss[2].Data = append(ss[2].Data, m.Feedback)
	}
	return lineChart(v.T("dashboard.chart"), labels, ss)
}

// compliancePage is the compliance report for a period.
type compliancePage struct {
	From, To string
	Rows     []complianceRow
	CSV      string
}

func (c *Console) complianceQuery(r *http.Request) url.Values {
	year := calendar.DateOf(c.deps.Now()).Year
	q := url.Values{"from": {r.URL.Query().Get("from")}, "to": {r.URL.Query().Get("to")}}
	if q.Get("from") == "" {
		q.Set("from", calendar.NewDate(year, time.January, 1).String())
	}
	if q.Get("to") == "" {
		q.Set("to", calendar.NewDate(year, time.December, 31).String())
	}
	return q
}

func (c *Console) handleCompliance(w http.ResponseWriter, r *http.Request, s *session) {
	q := c.complianceQuery(r)
	var doc complianceDoc
	res := c.call(r, s, apiCall{method: http.MethodGet, path: "/api/v1/reports/compliance", query: q})
	v := c.newView(r, s, "report.title", nil)
	if err := res.decode(&doc); err != nil {
		p := res.problem()
		if p.Status != http.StatusUnprocessableEntity {
			c.apiFailure(w, r, s, p)
			return
		}
		v.Form = r.URL.Query()
		c.showProblem(v, p, "")
	}
	v.Data = compliancePage{From: q.Get("from"), To: q.Get("to"), Rows: doc.Rows, CSV: "/reports/compliance.csv?" + q.Encode()}
	c.render(w, http.StatusOK, "report", v)
}

// handleComplianceCSV passes the API's CSV through, for filing.
func (c *Console) handleComplianceCSV(w http.ResponseWriter, r *http.Request, s *session) {
	res := c.call(r, s, apiCall{method: http.MethodGet, path: "/api/v1/reports/compliance", query: c.complianceQuery(r),
		header: map[string]string{"Accept": "text/csv"}})
	if !res.OK() {
		c.apiFailure(w, r, s, res.problem())
		return
	}
	w.Header().Set("Content-Type", res.Header.Get("Content-Type"))
	w.Header().Set("Content-Disposition", res.Header.Get("Content-Disposition"))
	_, _ = w.Write(res.Body)
}
