package web

import (
	"regexp"
	"testing"

	"github.com/chromedp/chromedp"
)

// The member reads on her case page what was decided and why: the committee's date,
// attendees and opinion, the feedback's manner and summary, in Chinese dates and punctuation,
// on a desktop and on a phone; the timeline says what each entry changed.
func TestBrowserMemberSeesEveryFact(t *testing.T) {
	ctx := chrome(t)
	sys := newSystem(t)
	caseURL := memberSubmits(t, ctx, sys.srv.URL)
	signInAs(t, ctx, sys.srv.URL, "secretary", "BJ", "")
	run(t, ctx, "accept, committee, feedback",
		chromedp.Navigate(caseURL),
		chromedp.Click(chromedp.CSS("#form-decision button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#form-committee")),
		chromedp.SendKeys(chromedp.CSS("#f-members_present"), "张委员\n李委员"),
		chromedp.SendKeys(chromedp.CSS("#f-expert_opinion"), "建议申请劳动仲裁"),
		chromedp.Click(chromedp.CSS("#form-committee button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#committee")),
		chromedp.SendKeys(chromedp.CSS("#f-summary"), "已致函该事务所要求支付工资"),
		chromedp.Click(chromedp.CSS(`form[action$="/feedback"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("#feedback")))
	screenshot(t, ctx, "secretary-case-facts.png")
	signInAs(t, ctx, sys.srv.URL, "member", "BJ", "110000000001")
	run(t, ctx, "member reads the case", chromedp.EmulateViewport(1280, 900), chromedp.Navigate(caseURL), chromedp.WaitVisible(chromedp.CSS("#committee")))
	wantIn(t, text(t, ctx, "#committee"), "出席：张委员、李委员", "专家意见：建议申请劳动仲裁", "年")
	wantIn(t, text(t, ctx, "#feedback"), "以书面方式反馈", "反馈意见：已致函该事务所要求支付工资")
	wantIn(t, text(t, ctx, "#clock-feedback"), "截至", "（含当日）24:00")
	wantIn(t, text(t, ctx, ".timeline"), "召开委员会会议 日期：2026年11月27日")
	wantIn(t, get(t, ctx, "ics link", chromedp.AttributeValue(chromedp.CSS("#ics-link"), "href")).Value, "/deadlines.ics")
	if page := text(t, ctx, "main"); regexp.MustCompile(`[\p{Han}][:;,.] |理由:|system`).MatchString(page) {
		t.Errorf("ASCII punctuation or English in the Chinese page:\n%s", page)
	}
	screenshot(t, ctx, "member-case-facts-1280.png")
	run(t, ctx, "phone", chromedp.EmulateViewport(390, 844), chromedp.Navigate(caseURL), chromedp.WaitVisible(chromedp.CSS("#committee")))
	screenshot(t, ctx, "member-case-facts-390.png")
}
