package web

import (
	"net/http"
	"net/url"
	"time"

	"github.com/cicpa/weiquan/calendar"
	"github.com/cicpa/weiquan/wire"
)

// compliancePage is the compliance report for a period.
type compliancePage struct {
	From, To string
	Rows     []wire.ComplianceRow
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
	for _, k := range []string{"institute", "stage"} {
		if v := r.URL.Query().Get(k); v != "" {
			q.Set(k, v)
		}
	}
	return q
}

func (c *Console) handleCompliance(w http.ResponseWriter, r *http.Request, s *session) {
	q := c.complianceQuery(r)
	var doc wire.Compliance
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
		header: map[string]string{"Accept": "text/csv", "Accept-Language": language(r)}}) // headers in the reader's language
	if !res.OK() {
		c.apiFailure(w, r, s, res.problem())
		return
	}
	w.Header().Set("Content-Type", res.Header.Get("Content-Type"))
	w.Header().Set("Content-Disposition", res.Header.Get("Content-Disposition"))
	_, _ = w.Write(res.Body)
}
