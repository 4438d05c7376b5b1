package web

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/internal/enginetest"
)

// breach breaches the case's decision clock and raises its escalations at levels, as the
// workflow would.
func breach(t *testing.T, e *enginetest.Engine, number string, levels ...int) {
	t.Helper()
	err := e.Change(t.Context(), number, article23.EventClockBreached, article23.EventData{Clock: article23.ClockDecision}, func(c *article23.Case, at time.Time) {
		c.Clocks[0].State, c.Clocks[0].BreachedAt = article23.ClockBreached, &c.Clocks[0].DeadlineAt
		for _, l := range levels {
			c.Escalations = append(c.Escalations, article23.Escalation{ID: len(c.Escalations) + 1, Clock: article23.ClockDecision, Level: l, RaisedAt: at.UTC()})
		}
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestDashboardIsOneCall: the supervisor's and CICPA's dashboards read one overview (and the
// header's unread count), whatever they show.
func TestDashboardIsOneCall(t *testing.T) {
	sys := newSystem(t)
	number := submitAt(t, sys)
	breach(t, sys.engine, number, 1, 2)
	for _, who := range []string{"BJ", "CICPA"} {
		b := sys.browser()
		b.signIn(article23.RoleSupervisor, who, "")
		sys.apiCalls()
		p := b.get("/dashboard").must(t, http.StatusOK, "按时完成率", "超期与延期", number, "最高第")
		if got := sys.apiCalls(); !slices.Equal(got, []string{"/api/v1/reports/overview", "/api/v1/notifications"}) {
			t.Errorf("%s's dashboard called %v", who, got)
		}
		if strings.Contains(p.body, `fill="none"`) || !strings.Contains(p.body, `class="line s1"`) && !strings.Contains(p.body, `class="line s4"`) {
			t.Errorf("%s's charts draw no lines", who)
		}
	}
}

// TestDashboardReloadsAreNotThrottled: under a tight rate limit a console page is charged
// once, so reloading the dashboard is not refused where each of its API calls would be.
func TestDashboardReloadsAreNotThrottled(t *testing.T) {
	sys := newLimitedSystem(t, 0.001, 6)
	zhang := sys.browser()
	zhang.signIn(article23.RoleSupervisor, "BJ", "") // sign-in and the first dashboard: two pages
	for i := range 4 {
		p := zhang.get("/dashboard")
		if p.status != http.StatusOK {
			t.Fatalf("reload %d: %d\n%s", i+1, p.status, p.body)
		}
	}
}

// TestNationalTable: CICPA sees every institute side by side by its Chinese name, sortable,
// each count a link to the cases it counts, and the escalations grouped by case.
func TestNationalTable(t *testing.T) {
	sys := newSystem(t)
	number := submitAt(t, sys)
	submitAt(t, sys)
	breach(t, sys.engine, number, 1, 2)
	cicpa := sys.browser()
	cicpa.signIn(article23.RoleSupervisor, "CICPA", "")
	p := cicpa.get("/dashboard?sort=breached&dir=desc").must(t, http.StatusOK, "各地注协一览", `title="北京注册会计师协会">北京</th>`,
		`href="/cases?breached=true&amp;institute=BJ&amp;open=true">1</a>`, `aria-sort="descending"`, "内蒙古自治区")
	if strings.Index(p.body, ">北京</th>") > strings.Index(p.body, ">天津市</th>") {
		t.Error("sorted by breaches, BJ (1) is not before TJ (0)")
	}
	if strings.Count(p.body, `class="item esc-group"`) != 1 || !strings.Contains(p.body, "最高第 2 级") ||
		!strings.Contains(p.body, "确认受理决定第 1 级") || !strings.Contains(p.body, "确认受理决定第 2 级") {
		t.Error("the case's two escalations are not one group at level 2 with two acknowledgements")
	}
	cicpa.get("/dashboard?lang=en").must(t, http.StatusOK, "Institutes side by side", `title="Beijing Institute of Certified Public Accountants">BJ</th>`, "Dec")
	cicpa.get("/dashboard?lang=zh")
	list := cicpa.get("/cases?breached=true&institute=BJ&open=true").must(t, http.StatusOK, number, "北京注册会计师协会", "在办", "已超期", "清除筛选")
	if strings.Count(list.body, `<a href="/cases/BJ-`) != 1 {
		t.Errorf("the breached list shows other cases:\n%s", list.body)
	}
	cicpa.get("/cases?due_within=5&breached=false&open=true").must(t, http.StatusOK, "5 个工作日内到期", "未超期")
}
