package web

import (
	"context"
	"net/http"
	"net/url"
	"path"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserSecretaryClaimsFromQueue: 王会计师 submits online on Sunday evening; the case
// waits in Beijing's queue, 李秘书 is told and sees it under 待认领, claims it, and it is
// hers under 我的 with her name; 马秘书 (secretary2@BJ) does not have it under 我的.
func TestBrowserSecretaryClaimsFromQueue(t *testing.T) {
	ctx := chrome(t)
	sys := newSystem(t)
	sys.setNow(shanghai("2026-11-29", 20, 0)) // a Sunday evening
	base := sys.srv.URL
	caseURL := memberSubmits(t, ctx, base)
	number := path.Base(caseURL)
	row := "#task-" + number
	sys.deliver()

	signInAs(t, ctx, base, "secretary", "BJ", "")
	run(t, ctx, "notifications", chromedp.Navigate(base+"/notifications"), chromedp.WaitVisible(chromedp.CSS(".notifications")))
	wantIn(t, text(t, ctx, ".notifications"), "维权服务申请已收到", number)
	run(t, ctx, "the queue", chromedp.Navigate(base+"/inbox"), chromedp.Click(chromedp.CSS("#tab-unassigned")),
		chromedp.WaitVisible(chromedp.CSS(row)))
	wantIn(t, text(t, ctx, row), "待认领", "剩 15 个工作日", "受理决定：2026年12月18日 到期")
	screenshot(t, ctx, "inbox-queue.png")
	run(t, ctx, "claim", chromedp.Click(chromedp.CSS(row+" form button")), chromedp.WaitVisible(chromedp.CSS(".flash")))
	wantIn(t, text(t, ctx, ".flash"), "已认领")
	run(t, ctx, "mine", chromedp.Click(chromedp.CSS("#tab-mine")), chromedp.WaitVisible(chromedp.CSS(row)))
	wantIn(t, text(t, ctx, row), "李秘书")
	screenshot(t, ctx, "inbox.png")
	run(t, ctx, "the case", chromedp.Navigate(caseURL), chromedp.WaitVisible(chromedp.CSS("#form-assignment")))
	wantIn(t, text(t, ctx, "#assignee"), "李秘书")
	wantIn(t, text(t, ctx, ".timeline"), "认领案件", "李秘书 · 会员服务联系人")
	screenshot(t, ctx, "case.png")
	phone(t, ctx, base+"/inbox?tab=mine", "inbox-390.png")
	phone(t, ctx, caseURL, "case-390.png")
	run(t, ctx, "desktop again", chromedp.EmulateViewport(1200, 900))

	signInAccountAs(t, ctx, base, "secretary", "BJ", "", "secretary2@BJ")
	run(t, ctx, "马秘书's cases", chromedp.Navigate(base+"/inbox?tab=mine"), chromedp.WaitVisible(chromedp.CSS("table.inbox")))
	if mine := text(t, ctx, "table.inbox tbody"); strings.Contains(mine, number) {
		t.Errorf("马秘书's 我的 lists 李秘书's case: %s", mine)
	}
	wantIn(t, text(t, ctx, ".me"), "马秘书")
}

// TestBrowserAdminPages: the staff directory and the settings as CICPA's admin sees them, at
// desktop and phone widths (screenshots with WEIQUAN_WEB_SCREENSHOTS).
func TestBrowserAdminPages(t *testing.T) {
	ctx := chrome(t)
	sys := newSystem(t)
	base := sys.srv.URL
	signInAs(t, ctx, base, "admin", "CICPA", "")
	run(t, ctx, "staff", chromedp.Navigate(base+"/admin/staff?institute=BJ"), chromedp.WaitVisible(chromedp.CSS("table.staff")))
	wantIn(t, text(t, ctx, "table.staff"), "李秘书", "马秘书", "张处长")
	screenshot(t, ctx, "staff.png")
	run(t, ctx, "settings", chromedp.Navigate(base+"/admin/settings?institute=BJ"), chromedp.WaitVisible(chromedp.CSS("#form-settings")))
	wantIn(t, text(t, ctx, "#applies"), "修改只适用于此后收到的申请")
	screenshot(t, ctx, "settings.png")
	phone(t, ctx, base+"/admin/staff?institute=BJ", "staff-390.png")
	phone(t, ctx, base+"/admin/settings?institute=BJ", "settings-390.png")
	run(t, ctx, "desktop again", chromedp.EmulateViewport(1200, 900))

	run(t, ctx, "add with a wrong e-mail", chromedp.Navigate(base+"/admin/staff?institute=BJ"),
		chromedp.SendKeys(chromedp.CSS("#f-id"), "secretary3@BJ"), chromedp.SendKeys(chromedp.CSS("#f-name"), "赵秘书"),
		chromedp.SendKeys(chromedp.CSS("#f-email"), "zhao@"), chromedp.Click(chromedp.CSS("#form-add-staff button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#f-email-err")))
	wantIn(t, text(t, ctx, "#f-email-err"), "「zhao@」不是有效的电子邮件地址")
	screenshot(t, ctx, "staff-error.png")
	run(t, ctx, "save a decision period beyond Article 23", chromedp.Navigate(base+"/admin/settings?institute=BJ"),
		chromedp.SetValue(chromedp.CSS("#f-policy-decision_workdays"), "16"),
		chromedp.Click(chromedp.CSS("#form-settings button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#f-policy-decision_workdays-err")))
	wantIn(t, text(t, ctx, "#f-policy-decision_workdays-err"), "须为 1–15 个工作日（第二十三条）")
	screenshot(t, ctx, "settings-error.png")
}

// phone opens url at 390×844 (an iPhone's CSS pixels) and keeps a screenshot.
func phone(t *testing.T, ctx context.Context, url, name string) {
	t.Helper()
	run(t, ctx, "phone "+name, chromedp.EmulateViewport(390, 844), chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS("main")))
	if w := get(t, ctx, "page width", chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > 390 {
		t.Errorf("%s: the page is %d px wide at 390", name, w)
	}
	screenshot(t, ctx, name)
}

// TestBrowserInboxColours: an overdue case (red, first), one due within five working days
// (amber) and one in the queue, at desktop and phone widths; a hand-over in the timeline.
func TestBrowserInboxColours(t *testing.T) {
	ctx := chrome(t)
	sys := newSystem(t)
	base := sys.srv.URL
	early := submitAt(t, sys) // due 2026-12-18
	sys.setNow(shanghai("2026-12-04", 20, 0))
	soon := submitAt(t, sys) // due 2026-12-25
	sys.setNow(shanghai("2026-12-21", 9, 0))
	li := sys.browser()
	li.signIn("secretary", "BJ", "")
	li.get("/cases/" + early)
	li.post("/cases/"+early+"/claim", nil)
	li.post("/cases/"+early+"/assignment", url.Values{"secretary": {"secretary2@BJ"}}).must(t, http.StatusOK, "由李秘书转交给马秘书")

	signInAs(t, ctx, base, "secretary", "BJ", "")
	run(t, ctx, "inbox", chromedp.Navigate(base+"/inbox"), chromedp.WaitVisible(chromedp.CSS("#task-"+soon)))
	wantIn(t, text(t, ctx, "#task-"+early), "已超期 1 个工作日", "马秘书")
	wantIn(t, text(t, ctx, "#task-"+soon), "剩 4 个工作日", "待认领")
	screenshot(t, ctx, "inbox-colours.png")
	run(t, ctx, "case", chromedp.Navigate(base+"/cases/"+early), chromedp.WaitVisible(chromedp.CSS(".timeline")))
	wantIn(t, text(t, ctx, ".timeline"), "由李秘书转交给马秘书")
	screenshot(t, ctx, "case-handed-over.png")
	phone(t, ctx, base+"/inbox", "inbox-colours-390.png")
}
