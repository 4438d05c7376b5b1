package api

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/cicpa/weiquan/wire"
	"github.com/cicpa/weiquan/workflows"
)

// outcome classes of the authorisation matrix.
const (
	ok        = "ok"  // authorised: anything but 401, 403 and 404 (the action itself may be refused)
	forbidden = "403" // sees the case, may not do this
	hidden    = "404" // may not know the case exists
)

var principals = []struct {
	name string
	p    principal
}{
	{"owner", memberWang}, {"other member", memberOther}, {"secretary BJ", secretaryBJ}, {"secretary SH", secretarySH},
	{"supervisor BJ", supervisorBJ}, {"supervisor SH", supervisorSH}, {"supervisor CICPA", national}, {"admin", admin},
}

// expectations per principal, in the order of principals.
var (
	viewers      = []string{ok, hidden, ok, hidden, ok, hidden, ok, hidden}
	attachers    = []string{ok, hidden, ok, hidden, ok, hidden, forbidden, hidden}
	staffOnly    = []string{forbidden, hidden, ok, hidden, ok, hidden, forbidden, hidden}
	supervisors  = []string{forbidden, hidden, forbidden, hidden, ok, hidden, ok, hidden}
	ownerOnly    = []string{ok, hidden, forbidden, hidden, forbidden, hidden, forbidden, hidden}
	everyone     = []string{ok, ok, ok, ok, ok, ok, ok, ok}
	superviseAll = []string{forbidden, forbidden, forbidden, forbidden, ok, ok, ok, forbidden}
	reporters    = []string{forbidden, forbidden, ok, ok, ok, ok, ok, forbidden}
	adminOnly    = []string{forbidden, forbidden, forbidden, forbidden, forbidden, forbidden, forbidden, ok}
	ownItemOnly  = []string{ok, hidden, hidden, hidden, hidden, hidden, hidden, hidden} // an in-app item of the owner's
)

// TestAuthorizationMatrix sends every route as every kind of caller.
func TestAuthorizationMatrix(t *testing.T) {
	a := newTestAPI(t)
	c := a.accepted()
	a.do(secretaryBJ, "POST", "/api/v1/cases/"+c.Number+"/extensions", map[string]any{"workdays": 70, "reason": "复杂"}).want(http.StatusOK)
	escalate(t, a.engine, c.Number, 1)
	n := "/api/v1/cases/" + c.Number
	letter := n + "/documents/" + a.letter(c.Number, "acceptance", 3, shanghai("2026-12-03", 10, 0)).ID
	item := fmt.Sprintf("/api/v1/notifications/%d/read", a.notice(wangSubject, "k", 0))
	a.engine.SetReload(workflows.ReloadProgress{Calendar: "2026.1", Signalled: 1, Done: true})
	routes := []struct {
		method, path string
		body         any
		want         []string
	}{
		{"GET", n, nil, viewers},
		{"GET", n + "/deadlines.ics", nil, viewers},
		{"GET", n + "/attachments", nil, viewers},
		{"POST", n + "/attachments", nil, attachers},
		{"GET", n + "/documents", nil, viewers},
		{"GET", letter, nil, viewers},
		{"POST", letter + "/served", map[string]any{"served_on": "2026-12-03"}, staffOnly},
		{"POST", n + "/decision", map[string]any{"decision": "accept", "notice_served_on": "2026-12-03"}, staffOnly},
		{"POST", n + "/supplement-request", map[string]any{"what": "x"}, staffOnly},
		{"POST", n + "/supplement-received", map[string]any{"received_on": "2026-12-03"}, staffOnly},
		{"POST", n + "/committee-meeting", map[string]any{"held_on": "2026-12-03", "members_present": []string{"张"}, "expert_opinion": "x"}, staffOnly},
		{"POST", n + "/feedback", map[string]any{"given_on": "2026-12-03", "manner": "phone", "summary": "x"}, staffOnly},
		{"POST", n + "/extensions", map[string]any{"workdays": 75, "reason": "x"}, staffOnly},
		{"POST", n + "/assignment", map[string]any{"secretary": "u-li"}, staffOnly},
		{"POST", n + "/closure", nil, staffOnly},
		{"POST", n + "/extensions/1/decision", map[string]any{"approve": false}, supervisors},
		{"POST", "/api/v1/escalations/" + c.Number + "/1/acknowledgement", nil, supervisors},
		{"POST", n + "/withdrawal", map[string]any{"reason": "x"}, ownerOnly},
		{"GET", "/api/v1/cases", nil, everyone},
		{"GET", "/api/v1/tasks", nil, everyone},
		{"GET", "/api/v1/notifications", nil, everyone},
		{"POST", item, nil, ownItemOnly},
		{"GET", "/api/v1/calendar/due?from=2026-11-27&workdays=15", nil, everyone},
		{"GET", "/api/v1/calendar/years/2026", nil, everyone},
		{"GET", "/api/v1/escalations", nil, superviseAll},
		{"GET", "/api/v1/reports/compliance?from=2026-01-01&to=2026-12-31", nil, reporters},
		{"GET", "/api/v1/reports/counts", nil, reporters},
		{"POST", "/api/v1/calendar/years/2027", `{"year": 2026}`, adminOnly},
		{"GET", "/api/v1/calendar/reloads/2026.1", nil, adminOnly},
	}
	for _, r := range routes {
		for i, who := range principals {
			t.Run(fmt.Sprintf("%s %s as %s", r.method, r.path, who.name), func(t *testing.T) {
				res := a.do(who.p, r.method, r.path, r.body)
				if got := classify(res.Code); got != r.want[i] {
					t.Errorf("got %d (%s), want %s: %s", res.Code, got, r.want[i], res.Body.String())
				}
			})
		}
	}
}

func classify(status int) string {
	switch status {
	case http.StatusForbidden:
		return forbidden
	case http.StatusNotFound:
		return hidden
	case http.StatusUnauthorized:
		return "401"
	}
	return ok
}

// TestListScope: lists show each caller only what they may see.
func TestListScope(t *testing.T) {
	a := newTestAPI(t)
	a.submit()
	a.do(memberOther, "POST", "/api/v1/cases", withApplicant(caseBody(), "110000000002")).want(http.StatusCreated)
	sh := withApplicant(caseBody(), "310000000009")
	sh["institute"], sh["received_on"] = "SH", "2026-11-26"
	a.do(secretarySH, "POST", "/api/v1/cases", sh).want(http.StatusCreated)
	for _, tc := range []struct {
		who   principal
		query string
		want  int
	}{
		{memberWang, "", 1}, {memberOther, "", 1}, {secretaryBJ, "", 2}, {secretarySH, "", 1},
		{supervisorBJ, "", 2}, {national, "", 3}, {national, "?institute=SH", 1}, {secretaryBJ, "?institute=SH", 0},
		{admin, "", 0},
	} {
		var l wire.CaseList
		a.do(tc.who, "GET", "/api/v1/cases"+tc.query, nil).want(http.StatusOK).decode(&l)
		if len(l.Cases) != tc.want {
			t.Errorf("%+v%s sees %d cases, want %d", tc.who, tc.query, len(l.Cases), tc.want)
		}
	}
}
