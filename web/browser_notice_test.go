package web

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/cicpa/weiquan/article23"
)

// TestBrowserNoticePreview: the operator pastes the 2026 notice (with one more day off) into
// the calendar page, previews it at desktop and phone widths, sees a mistyped line refused
// beside the text, and loads it (screenshots with WEIQUAN_WEB_SCREENSHOTS).
func TestBrowserNoticePreview(t *testing.T) {
	ctx := chrome(t)
	sys := newSystem(t)
	base := sys.srv.URL
	member := sys.browser()
	member.signIn(article23.RoleMember, "BJ", "110000000001")
	number := member.submitCase().caseNumber()
	pasted := notice2026(t)

	signInAs(t, ctx, base, "admin", "CICPA", "")
	run(t, ctx, "calendar", chromedp.Navigate(base+"/calendar"), chromedp.WaitVisible(chromedp.CSS("#form-notice")))
	wantIn(t, text(t, ctx, "#unverified-2027"), "2027 年的安排", "尚未与国务院办公厅的通知核对")
	wantIn(t, text(t, ctx, "#late-december"), "2027年12月20日至31日之间的周末（12月25日、12月26日）")
	screenshot(t, ctx, "calendar.png")
	previewNotice(t, ctx, pasted, "#preview")
	wantIn(t, text(t, ctx, "#preview"), "2026-12-01", "星期二", "测试日", number, "2026-12-18", "2026-12-21")
	screenshot(t, ctx, "notice-preview.png")

	run(t, ctx, "phone", chromedp.EmulateViewport(390, 844), chromedp.Navigate(base+"/calendar"), chromedp.WaitVisible(chromedp.CSS("#form-notice")))
	previewNotice(t, ctx, pasted, "#preview")
	if w := get(t, ctx, "page width", chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > 390 {
		t.Errorf("the preview is %d px wide at 390", w)
	}
	screenshot(t, ctx, "notice-preview-390.png")
	run(t, ctx, "a mistyped date", chromedp.Navigate(base+"/calendar"), chromedp.WaitVisible(chromedp.CSS("#form-notice")))
	previewNotice(t, ctx, strings.Replace(pasted, "4月4日（周六）", "4月31日", 1), "#f-notice-err")
	wantIn(t, text(t, ctx, "#f-notice-err"), "第 7 行（清明节）：「4月31日」不是一个存在的日期。")
	screenshot(t, ctx, "notice-error-390.png")
	run(t, ctx, "desktop again", chromedp.EmulateViewport(1200, 900))
	screenshot(t, ctx, "notice-error.png")

	run(t, ctx, "correct and preview", chromedp.Navigate(base+"/calendar"), chromedp.WaitVisible(chromedp.CSS("#form-notice")))
	previewNotice(t, ctx, pasted, "#preview")
	run(t, ctx, "load", chromedp.Click(chromedp.CSS("#form-confirm button[type=submit]")), chromedp.WaitVisible(chromedp.CSS("#loaded")))
	wantIn(t, text(t, ctx, "#loaded"), "已载入", number, "2026-12-21")
	screenshot(t, ctx, "notice-loaded.png")
}

// previewNotice pastes text into the notice form, presses 预览 and waits for sel.
func previewNotice(t *testing.T, ctx context.Context, text, sel string) {
	t.Helper()
	run(t, ctx, "preview the notice", chromedp.SetValue(chromedp.CSS("#f-notice"), text),
		chromedp.Click(chromedp.CSS("#form-notice button[type=submit]")), chromedp.WaitVisible(chromedp.CSS(sel)))
}
