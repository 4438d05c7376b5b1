package api

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/auth"
	"github.com/cicpa/weiquan/wire"
)

// TestComplianceReport: the period defaults to this year; rows carry the institute's names,
// the on-time rate and p90; the CSV is English with CRLF, or Chinese with a BOM for Excel.
func TestComplianceReport(t *testing.T) {
	a := newTestAPI(t)
	a.accepted()
	var rep wire.Compliance
	a.do(supervisorBJ, "GET", "/api/v1/reports/compliance", nil).want(http.StatusOK).decode(&rep)
	if rep.From != "2026-01-01" || rep.To != "2026-12-31" || len(rep.Rows) != 1 {
		t.Fatalf("this year's report %+v", rep)
	}
	row := rep.Rows[0]
	if row.Clock != article23.ClockDecision || row.OnTime != 1 || *row.OnTimeRate != 1 || row.InstituteName != "北京注册会计师协会" || row.P90WorkdaysUsed == nil {
		t.Fatalf("row %+v", row)
	}
	en := a.do(national, "GET", "/api/v1/reports/compliance", nil, "Accept", "text/csv").want(http.StatusOK).Body.String()
	wantEn := "institute,institute_name,stage,on_time,late,open,on_time_rate,median_workdays,p90_workdays,extensions,late_entries\r\n" +
		"BJ,Beijing Institute of Certified Public Accountants,decision,1,0,0,100.0%,"
	if !strings.HasPrefix(en, wantEn) || strings.Contains(en, "\ufeff") {
		t.Fatalf("English CSV %q", en)
	}
	for _, h := range [][]string{{"Accept-Language", "zh-CN,zh;q=0.9,en;q=0.5"}, {"X-Unused", ""}} {
		path := "/api/v1/reports/compliance"
		if h[0] == "X-Unused" {
			path += "?lang=zh"
		}
		zh := a.do(national, "GET", path, nil, "Accept", "text/csv", h[0], h[1]).want(http.StatusOK).Body.String()
		if !strings.HasPrefix(zh, "\ufeff注协代码,注协,阶段,按时办结,逾期办结,未办结,按时办结率,") ||
			!strings.Contains(zh, "\r\nBJ,北京注册会计师协会,受理决定,1,0,0,100.0%,") {
			t.Fatalf("Chinese CSV (%s) %q", h[0], zh)
		}
	}
	a.do(supervisorBJ, "GET", "/api/v1/reports/compliance?stage=committee", nil).want(http.StatusOK).decode(&rep)
	if len(rep.Rows) != 0 {
		t.Fatalf("committee rows %+v", rep.Rows)
	}
}

// TestReportBadInput: an unknown institute or stage, from after to, a period over five years
// and a malformed date are refused naming the field, in the caller's language.
func TestReportBadInput(t *testing.T) {
	a := newTestAPI(t)
	for _, tc := range []struct{ path, field string }{
		{"/api/v1/reports/compliance?from=2026-12-31&to=2026-01-01", "from"},
		{"/api/v1/reports/compliance?from=2026", "from"},
		{"/api/v1/reports/compliance?institute=XX", "institute"},
		{"/api/v1/reports/compliance?stage=cap", "stage"},
		{"/api/v1/reports/compliance?from=2020-01-01&to=2025-01-01", "to"},
		{"/api/v1/reports/overview?institute=XX", "institute"},
		{"/api/v1/reports/overview?year=1999", "year"},
		{"/api/v1/reports/overview?due_within=x", "due_within"},
		{"/api/v1/cases?institute=XX", "institute"},
		{"/api/v1/cases?open=maybe", "open"},
	} {
		p := a.do(national, "GET", tc.path, nil).problem(http.StatusUnprocessableEntity, "invalid")
		if len(p.Errors) != 1 || p.Errors[0].Field != tc.field {
			t.Errorf("%s: errors %+v, want field %s", tc.path, p.Errors, tc.field)
		}
	}
	a.do(national, "GET", "/api/v1/reports/compliance?from=2020-01-01&to=2024-12-31", nil).want(http.StatusOK)
	p := a.do(national, "GET", "/api/v1/reports/compliance?institute=XX", nil, "Accept-Language", "zh-CN").problem(http.StatusUnprocessableEntity, "invalid")
	if p.Detail != "请求中有填写不正确的项目。" || p.Errors[0].Detail != "没有代码为“XX”的注协。" {
		t.Errorf("Chinese problem %+v", p)
	}
}

// escalate breaches the case's decision clock and gives it escs, as the workflow would.
func (a *testAPI) escalate(number string, escs ...article23.Escalation) {
	a.t.Helper()
	err := a.engine.Change(a.t.Context(), number, article23.EventEscalated, article23.EventData{}, func(c *article23.Case, _ time.Time) {
		c.Clocks[0].State, c.Clocks[0].BreachedAt = article23.ClockBreached, &c.Clocks[0].DeadlineAt
		c.Escalations = append(c.Escalations, escs...)
	})
	if err != nil {
		a.t.Fatal(err)
	}
}

// TestOverview: a dashboard in one call, scoped to the caller, with a case's escalations
// grouped under their highest level.
func TestOverview(t *testing.T) {
	a := newTestAPI(t)
	a.accepted()
	late := a.submit()
	raised := shanghai("2026-12-30", 0, 0).UTC()
	a.escalate(late.Number, article23.Escalation{ID: 1, Clock: article23.ClockDecision, Level: 1, RaisedAt: raised},
		article23.Escalation{ID: 2, Clock: article23.ClockDecision, Level: 2, RaisedAt: raised.Add(5 * 24 * time.Hour)})
	var bj wire.Overview
	a.do(supervisorBJ, "GET", "/api/v1/reports/overview", nil).want(http.StatusOK).decode(&bj)
	if bj.Year != 2026 || len(bj.Institutes) != 1 || bj.Institutes[0].Name != "北京注册会计师协会" || len(bj.Months) != 12 {
		t.Fatalf("BJ's overview %+v", bj)
	}
	if tot := bj.Totals; tot.Open != 2 || tot.Breached != 1 || tot.OnTime != 1 || tot.Late != 1 || *tot.OnTimeRate != 0.5 {
		t.Errorf("totals %+v", tot)
	}
	if dec := bj.Months[11].Stages[string(article23.ClockDecision)]; dec.OnTime != 1 || dec.Late != 1 || bj.Months[11].Late != 1 {
		t.Errorf("December %+v", bj.Months[11])
	}
	if len(bj.Escalations) != 1 || bj.Escalations[0].HighestLevel != 1 || len(bj.Escalations[0].Escalations) != 1 {
		t.Errorf("BJ's supervisor sees level 1 only: %+v", bj.Escalations)
	}
	var cn wire.Overview
	a.do(national, "GET", "/api/v1/reports/overview?due_within=10", nil).want(http.StatusOK).decode(&cn)
	if len(cn.Institutes) != 37 || cn.Totals.Open != 2 || cn.DueWithin != 10 {
		t.Fatalf("national overview: %d institutes, totals %+v", len(cn.Institutes), cn.Totals)
	}
	g := cn.Escalations
	if len(g) != 1 || g[0].HighestLevel != 2 || len(g[0].Escalations) != 2 || g[0].InstituteName != "北京注册会计师协会" ||
		len(g[0].Clocks) != 1 || g[0].Clocks[0] != article23.ClockDecision {
		t.Errorf("CICPA's escalations %+v", g)
	}
	var sh wire.Overview
	a.do(supervisorSH, "GET", "/api/v1/reports/overview?institute=BJ", nil).want(http.StatusOK).decode(&sh)
	if sh.Totals.Open != 0 || len(sh.Escalations) != 0 {
		t.Errorf("SH's supervisor sees BJ: %+v", sh)
	}
	a.do(memberWang, "GET", "/api/v1/reports/overview", nil).problem(http.StatusForbidden, "forbidden")
}

// TestConsolePageChargedOnce: the calls one console page makes in process are charged to the
// rate limit once; an outside client cannot claim to be the console.
func TestConsolePageChargedOnce(t *testing.T) {
	a := newTestAPI(t)
	a.srv = New(Deps{Logger: a.srv.log, Store: a.st, Engine: a.engine, Calendar: a.cal, Verifier: a.srv.deps.Verifier, Now: a.clock, RatePerSecond: 0.001, Burst: 2})
	get := func(ctx context.Context, header string) int {
		req := httptest.NewRequestWithContext(ctx, "GET", "/api/v1/cases", nil)
		req.Header.Set("Authorization", "Bearer "+a.token(supervisorBJ))
		if header != "" {
			req.Header.Set(header, "1")
		}
		rec := httptest.NewRecorder()
		a.srv.Handler().ServeHTTP(rec, req)
		return rec.Code
	}
	for page := range 2 {
		ctx := auth.WithConsolePage(t.Context(), new(auth.ConsolePage))
		for call := range 5 {
			if got := get(ctx, ""); got != http.StatusOK {
				t.Fatalf("page %d, call %d: %d", page, call, got)
			}
		}
	}
	third := auth.WithConsolePage(t.Context(), new(auth.ConsolePage))
	if got := get(third, ""); got != http.StatusTooManyRequests {
		t.Fatalf("a third page beyond the burst: %d", got)
	}
	for _, h := range []string{"X-Console", "X-Forwarded-For", ""} {
		if got := get(t.Context(), h); got != http.StatusTooManyRequests {
			t.Errorf("an outside client with %q: %d", h, got)
		}
	}
}

// TestStatedDateOutOfBounds: a stated date after today or before the previous act is a 422
// naming the field, and nothing is recorded.
func TestStatedDateOutOfBounds(t *testing.T) {
	a := newTestAPI(t)
	c := a.accepted() // decided 2026-12-03
	n := "/api/v1/cases/" + c.Number
	a.setNow(shanghai("2026-12-10", 10, 0))
	for _, tc := range []struct{ on, code string }{{"2026-12-02", "date_before_stage"}, {"2026-12-11", "date_in_future"}} {
		p := a.do(secretaryBJ, "POST", n+"/committee-meeting", map[string]any{"held_on": tc.on, "members_present": []string{"张"}, "expert_opinion": "x"}).
			problem(http.StatusUnprocessableEntity, tc.code)
		if len(p.Errors) != 1 || p.Errors[0].Field != "held_on" {
			t.Errorf("%s: errors %+v", tc.on, p.Errors)
		}
	}
	var got wire.Case
	a.do(secretaryBJ, "GET", n, nil).want(http.StatusOK).decode(&got)
	if got.Stage != article23.StageAccepted || got.Committee != nil {
		t.Errorf("a refused date recorded something: %+v", got.Stage)
	}
	raw, _ := json.Marshal(got.Clocks)
	if strings.Contains(string(raw), "met_on\":\"2026-12-1") {
		t.Errorf("clocks %s", raw)
	}
}
