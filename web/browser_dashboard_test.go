package web

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/internal/enginetest"
)

// dashboardSystem has cases in two institutes: one of BJ's breached and escalated twice,
// one accepted on time, one SH case open.
func dashboardSystem(t *testing.T) (*system, string) {
	sys := newSystem(t)
	late := submitAt(t, sys)
	accepted(t, sys)
	sh := sys.browser()
	sh.signIn(article23.RoleMember, "SH", "310000000001")
	sh.submitCase()
	breach(t, sys.engine, late, 1, 2)
	return sys, late
}

// TestBrowserNationalDashboard: CICPA's dashboard at a laptop's and a phone's width: the
// institutes stay a table whose names do not wrap, the charts draw lines, not filled shapes,
// and the zh-CN page has no English words.
func TestBrowserNationalDashboard(t *testing.T) {
	ctx := chrome(t)
	sys, late := dashboardSystem(t)
	signInAs(t, ctx, sys.srv.URL, "supervisor", "CICPA", "")
	for _, size := range [][2]int64{{1280, 900}, {390, 844}} {
		run(t, ctx, "dashboard", chromedp.EmulateViewport(size[0], size[1]), chromedp.Navigate(sys.srv.URL+"/dashboard"),
			chromedp.WaitVisible(chromedp.CSS("table.national")))
		screenshot(t, ctx, fmt.Sprintf("cicpa-dashboard-%d.png", size[0]))
		elementShot(t, ctx, `section[aria-labelledby="institutes"]`, fmt.Sprintf("cicpa-institutes-%d.png", size[0]))
		elementShot(t, ctx, `section[aria-labelledby="h-chart"]`, fmt.Sprintf("cicpa-chart-%d.png", size[0]))
		display := get(t, ctx, "table display", chromedp.Evaluate[string](`getComputedStyle(document.querySelector("table.national")).display`))
		fill := get(t, ctx, "line fill", chromedp.Evaluate[string](`getComputedStyle(document.querySelector("svg.chart polyline")).fill`))
		nameHeight := get(t, ctx, "a long name", chromedp.Evaluate[float64](`[...document.querySelectorAll("table.national tbody th")].find(th => th.textContent === "内蒙古自治区").getBoundingClientRect().height`))
		rowHeight := get(t, ctx, "a figure", chromedp.Evaluate[float64](`document.querySelector("table.national tbody td.num").getBoundingClientRect().height`))
		if display != "table" || fill != "none" || nameHeight > rowHeight+1 {
			t.Errorf("%dpx: table display %q, polyline fill %q, a long name %.0fpx high in a %.0fpx row", size[0], display, fill, nameHeight, rowHeight)
		}
		noEnglish(t, text(t, ctx, "main"))
	}
	wantIn(t, text(t, ctx, "#esc-"+late), "最高第 2 级", "涉及期限：受理决定", "确认受理决定第 2 级")
	run(t, ctx, "sort by breaches", chromedp.Click(chromedp.CSS(`th[aria-sort] a[href*="sort=breached"]`)),
		chromedp.WaitVisible(chromedp.CSS(`th[aria-sort="descending"]`)))
	wantIn(t, text(t, ctx, "table.national tbody tr:first-child th"), "北京")
	run(t, ctx, "follow a count", chromedp.Click(chromedp.CSS(`table.national a[href*="breached=true"][href*="institute=BJ"]`)),
		chromedp.WaitVisible(chromedp.CSS("p.filters")))
	wantIn(t, text(t, ctx, "main"), late, "已超期")
	screenshot(t, ctx, "cases-breached-390.png")
	run(t, ctx, "report", chromedp.EmulateViewport(390, 844), chromedp.Navigate(sys.srv.URL+"/reports/compliance"),
		chromedp.WaitVisible(chromedp.CSS("table.report")))
	screenshot(t, ctx, "report-390.png")
	noEnglish(t, text(t, ctx, "main"))
}

// TestBrowserSupervisorDashboardPhone: 张处长's dashboard on a phone, and the case page of a
// back-dated act with its entry lag.
func TestBrowserSupervisorDashboardPhone(t *testing.T) {
	ctx := chrome(t)
	sys, late := dashboardSystem(t)
	backdate(t, sys.engine, late, "2026-12-15", 3)
	signInAs(t, ctx, sys.srv.URL, "supervisor", "BJ", "")
	run(t, ctx, "dashboard", chromedp.EmulateViewport(390, 844), chromedp.Navigate(sys.srv.URL+"/dashboard"),
		chromedp.WaitVisible(chromedp.CSS("svg.chart")))
	screenshot(t, ctx, "supervisor-dashboard-390.png")
	noEnglish(t, text(t, ctx, "main"))
	run(t, ctx, "case", chromedp.Navigate(sys.srv.URL+"/cases/"+url.PathEscape(late)), chromedp.WaitVisible(chromedp.CSS("#clock-decision")))
	wantIn(t, text(t, ctx, "#clock-decision"), "2026年12月15日 完成", "晚 3 个工作日", "到期后补录")
	screenshot(t, ctx, "case-entry-lag-390.png")
	elementShot(t, ctx, "#clock-decision", "case-entry-lag-clock-390.png")
}

// elementShot keeps a screenshot of the element sel in WEIQUAN_WEB_SCREENSHOTS (if set).
func elementShot(t *testing.T, ctx context.Context, sel, name string) {
	dir := os.Getenv("WEIQUAN_WEB_SCREENSHOTS")
	if dir == "" {
		return
	}
	png := get(t, ctx, "screenshot of "+sel, chromedp.Screenshot(chromedp.CSS(sel)))
	if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
		t.Error(err)
	}
}

// caseNumbers are the case numbers and dates a page may show, and the spreadsheet program
// it names; anything else Latin is English.
var caseNumbers = regexp.MustCompile(`[A-Z]{2,5}-\d{4}-\d{4}|\d{4}-\d{2}-\d{2}|Excel`)

func noEnglish(t *testing.T, text string) {
	t.Helper()
	if w := regexp.MustCompile(`[A-Za-z]{2,}`).FindAllString(caseNumbers.ReplaceAllString(text, ""), -1); len(w) > 0 {
		t.Errorf("English on a zh-CN page: %s", strings.Join(w, " "))
	}
}

// backdate records the decision as made on on and entered lag working days later, after
// its due date, as the workflow does for a paper notice entered late (RealDatesChange).
func backdate(t *testing.T, e *enginetest.Engine, number, on string, lag int) {
	t.Helper()
	err := e.Change(t.Context(), number, article23.EventBreachWithdrawn, article23.EventData{Clock: article23.ClockDecision, Date: on}, func(c *article23.Case, _ time.Time) {
		k := &c.Clocks[0]
		k.State, k.BreachedAt, k.MetOn, k.EnteredOn, k.EntryLagWorkdays = article23.ClockMet, nil, on, "2026-12-20", lag
		for i := range c.Escalations {
			c.Escalations[i].ResolvedAt = &k.DeadlineAt
		}
	})
	if err != nil {
		t.Fatal(err)
	}
}
