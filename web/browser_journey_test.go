package web

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/cicpa/weiquan/calendar"
)

func TestBrowserMemberSeesDecisionDue(t *testing.T) {
	ctx := chrome(t)
	sys := newSystem(t)
	memberSubmits(t, ctx, sys.srv.URL)
	wantIn(t, text(t, ctx, "#clock-decision"), "2026年12月18日", "15 个工作日")
	wantIn(t, text(t, ctx, ".flash"), "申请已提交")
}

func TestBrowserSecretaryAcceptsMemberSeesDeadlines(t *testing.T) {
	ctx := chrome(t)
	sys := newSystem(t)
	caseURL := memberSubmits(t, ctx, sys.srv.URL)
	signInAs(t, ctx, sys.srv.URL, "secretary", "BJ", "")
	run(t, ctx, "accept",
		chromedp.Navigate(caseURL),
		chromedp.SetValue(chromedp.CSS("#f-notice_served_on"), "2026-11-27"),
		chromedp.Click(chromedp.CSS("#form-decision button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#form-committee")))
	signInAs(t, ctx, sys.srv.URL, "member", "BJ", "110000000001")
	run(t, ctx, "member reads the case", chromedp.Navigate(caseURL), chromedp.WaitVisible(chromedp.CSS("#clock-feedback")))
	wantIn(t, text(t, ctx, "#clock-committee"), "30 个工作日")
	wantIn(t, text(t, ctx, "#clock-feedback"), "60 个工作日")
	screenshot(t, ctx, "member-case.png")
	run(t, ctx, "phone width", chromedp.EmulateViewport(375, 800))
	screenshot(t, ctx, "member-case-375.png")
}

func TestBrowserRejectionNeedsReasons(t *testing.T) {
	ctx := chrome(t)
	sys := newSystem(t)
	caseURL := memberSubmits(t, ctx, sys.srv.URL)
	signInAs(t, ctx, sys.srv.URL, "secretary", "BJ", "")
	run(t, ctx, "reject without reasons",
		chromedp.Navigate(caseURL),
		chromedp.Click(chromedp.CSS("#decision-reject")),
		chromedp.Click(chromedp.CSS("#form-decision button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#f-reasons-err")))
	wantIn(t, get(t, ctx, "error", chromedp.OuterHTML(chromedp.CSS("#f-reasons-err"))), "不予受理必须写明理由")
	described := get(t, ctx, "the field points at its error", chromedp.AttributeValue(chromedp.CSS("#f-reasons"), "aria-describedby")).Value
	if described != "f-reasons-err" {
		t.Errorf("aria-describedby %q", described)
	}
}

func TestBrowserSupervisorApprovesExtension(t *testing.T) {
	ctx := chrome(t)
	sys := newSystem(t)
	caseURL := memberSubmits(t, ctx, sys.srv.URL)
	signInAs(t, ctx, sys.srv.URL, "secretary", "BJ", "")
	run(t, ctx, "accept",
		chromedp.Navigate(caseURL),
		chromedp.Click(chromedp.CSS("#form-decision button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#form-extension")))
	capDue := get(t, ctx, "the latest date", chromedp.AttributeValue(chromedp.CSS("#f-until"), "max")).Value
	due, err := calendar.ParseDate(capDue)
	if err != nil {
		t.Fatal(err)
	}
	wantIn(t, text(t, ctx, "#cap-date"), "90 个工作日", "最晚可延至 "+due.Chinese()+"。")
	run(t, ctx, "request",
		chromedp.SetValue(chromedp.CSS("#f-until"), capDue),
		chromedp.SendKeys(chromedp.CSS("#f-reason"), "需委托司法鉴定"),
		chromedp.Click(chromedp.CSS("#form-extension button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#extension-1")))
	signInAs(t, ctx, sys.srv.URL, "supervisor", "BJ", "")
	run(t, ctx, "dashboard", chromedp.Navigate(sys.srv.URL+"/dashboard"), chromedp.WaitVisible(chromedp.CSS("svg.chart")))
	screenshot(t, ctx, "supervisor-dashboard.png")
	run(t, ctx, "approve",
		chromedp.Click(chromedp.CSS(`#h-ext ~ form button[value="true"]`)),
		chromedp.WaitVisible(chromedp.CSS(".flash")))
	wantIn(t, text(t, ctx, ".flash"), "已批准延期")
	run(t, ctx, "case", chromedp.Navigate(caseURL), chromedp.WaitVisible(chromedp.CSS("#extension-1")))
	wantIn(t, text(t, ctx, "#extension-1"), "已批准")
	wantIn(t, text(t, ctx, "#clock-feedback"), due.Chinese())
}

func TestBrowserEnglishSwitch(t *testing.T) {
	ctx := chrome(t)
	sys := newSystem(t)
	run(t, ctx, "switch to English",
		chromedp.Navigate(sys.srv.URL+"/signin"),
		chromedp.Click(chromedp.CSS("#lang-switch")),
		chromedp.WaitVisible(chromedp.CSS(`html[lang="en"] h1`)))
	lang := get(t, ctx, "lang", chromedp.Evaluate[string](`document.documentElement.lang`))
	title := text(t, ctx, "h1")
	if lang != "en" || !strings.Contains(title, "Sign in") {
		t.Fatalf("lang %q, title %q", lang, title)
	}
}
