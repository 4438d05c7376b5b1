package api

import (
	"net/http"
	"strings"
	"testing"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/wire"
)

// A calendar application fetches the feeds without the session: the secretary's own feed
// holds her open cases' deadlines, a case's feed that case's, both valid RFC 5545; the token
// reads only what its person may read; a new token revokes the old one, and revoking leaves
// none.
func TestCalendarFeeds(t *testing.T) {
	a := newTestAPI(t)
	a.addStaff("u-li", "BJ", article23.RoleSecretary, "李秘书")
	li := principal{article23.RoleSecretary, "BJ", "", "u-li", ""}
	nobody := principal{}
	c := a.accepted()
	a.do(li, "POST", "/api/v1/cases/"+c.Number+"/assignment", map[string]any{"secretary": "u-li"}).want(http.StatusOK)
	other := a.submit() // in the queue: not hers

	var tok wire.FeedToken
	a.do(li, "POST", "/api/v1/calendar/feed-token", nil).want(http.StatusCreated).decode(&tok)
	if len(tok.Token) < 43 || !strings.Contains(tok.Deadlines, tok.Token) {
		t.Fatalf("token %+v", tok)
	}
	mine := a.do(nobody, "GET", tok.Deadlines, nil).want(http.StatusOK).Body.String()
	checkICS(t, mine)
	if !strings.Contains(mine, "UID:"+c.Number+"-committee@") || strings.Contains(mine, other.Number) {
		t.Fatalf("her feed:\n%s", mine)
	}
	caseFeed := strings.Replace(tok.Case, "{number}", c.Number, 1)
	one := a.do(nobody, "GET", caseFeed, nil).want(http.StatusOK).Body.String()
	checkICS(t, one)
	if strings.Count(one, "BEGIN:VEVENT") != 4 {
		t.Fatalf("case feed:\n%s", one)
	}

	var wang wire.FeedToken
	a.do(memberOther, "POST", "/api/v1/calendar/feed-token", nil).want(http.StatusCreated).decode(&wang)
	a.do(nobody, "GET", strings.Replace(wang.Case, "{number}", c.Number, 1), nil).problem(http.StatusNotFound, "not_found")
	empty := a.do(nobody, "GET", wang.Deadlines, nil).want(http.StatusOK).Body.String()
	checkICS(t, empty) // no case of his: still a calendar with a component

	var again wire.FeedToken
	a.do(li, "POST", "/api/v1/calendar/feed-token", nil).want(http.StatusCreated).decode(&again)
	a.do(nobody, "GET", tok.Deadlines, nil).problem(http.StatusNotFound, "not_found")
	a.do(nobody, "GET", again.Deadlines, nil).want(http.StatusOK)
	a.do(li, "DELETE", "/api/v1/calendar/feed-token", nil).want(http.StatusNoContent)
	a.do(nobody, "GET", again.Deadlines, nil).problem(http.StatusNotFound, "not_found")
	a.do(nobody, "GET", "/api/v1/feeds/guess/deadlines.ics", nil).problem(http.StatusNotFound, "not_found")
}

// Each feed token has its own rate budget, as a bearer token's subject has.
func TestCalendarFeedRateLimit(t *testing.T) {
	a := newTestAPI(t)
	var li, wang wire.FeedToken
	a.do(secretaryBJ, "POST", "/api/v1/calendar/feed-token", nil).want(http.StatusCreated).decode(&li)
	a.do(memberWang, "POST", "/api/v1/calendar/feed-token", nil).want(http.StatusCreated).decode(&wang)
	a.srv = New(Deps{Logger: a.srv.log, Store: a.st, Engine: a.engine, Calendar: a.cal, Verifier: a.srv.deps.Verifier, Now: a.clock, RatePerSecond: 0.01, Burst: 2})
	for range 2 {
		a.do(principal{}, "GET", li.Deadlines, nil).want(http.StatusOK)
	}
	a.do(principal{}, "GET", li.Deadlines, nil).problem(http.StatusTooManyRequests, "rate_limited")
	a.do(principal{}, "GET", wang.Deadlines, nil).want(http.StatusOK)
}
