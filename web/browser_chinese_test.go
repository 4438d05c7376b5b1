package web

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/cicpa/weiquan/article23"
)

// The Chinese console reads as Chinese: every page of every role, on a desktop and on a
// phone, holds no Latin word but user data and the allow-list, and no ASCII punctuation
// next to a Chinese character.

var (
	// latinWords are words in Latin letters (with digits and hyphens inside, as SHA-256).
	latinWords = regexp.MustCompile(`[A-Za-z][A-Za-z0-9-]*`)
	// asciiNextToHan is ASCII punctuation written against a Chinese character.
	asciiNextToHan = regexp.MustCompile(`\p{Han}[,.:;!?()\[\]"]|[,.:;!?()\[\]"]\p{Han}`)
	// userData are what the walk's people typed or the system numbered: case numbers, the
	// staff's sign-in ids, the calendar version, institute codes in ids.
	userData = regexp.MustCompile(`\b[A-Z]{2,5}-\d{4}-\d+\b|\b[a-z0-9]+@[A-Za-z.]+\b|\bcal-[0-9a-f]+\b|https?://\S*`)
)

// allowedLatin are the words a Chinese page may hold: names of formats and standards.
var allowedLatin = map[string]bool{"PDF": true, "ICS": true, "SHA-256": true, "CSV": true, "JPEG": true,
	"PNG": true, "Office": true, "KB": true, "MB": true, "MiB": true, "HTTPS": true, "Webhook": true, "HMAC-SHA256": true, "JSON": true,
	"Excel": true, "English": true, // English: the switch to the English pages
	"holiday-cn": true} // the name of the project whose year files the calendar reads

// chineseFaults lists what on a Chinese page is not Chinese.
func chineseFaults(s string) []string {
	s = userData.ReplaceAllString(s, "")
	var out []string
	for _, w := range latinWords.FindAllString(s, -1) {
		if !allowedLatin[w] {
			out = append(out, fmt.Sprintf("word %q", w))
		}
	}
	for _, m := range asciiNextToHan.FindAllStringIndex(s, -1) {
		lo, hi := max(m[0]-12, 0), min(m[1]+12, len(s))
		out = append(out, fmt.Sprintf("punctuation in %q", strings.ToValidUTF8(s[lo:hi], "")))
	}
	return out
}

func TestChineseFaults(t *testing.T) {
	for s, want := range map[string]int{
		"已批准. 理由: 无": 2, "截至 2026年12月25日（含当日）24:00": 0, "系统 · system": 1,
		"案件 BJ-2026-0001 的 PDF": 0, "文书：feedback-15": 1, "下载 (PDF)": 0,
	} {
		if got := chineseFaults(s); len(got) != want {
			t.Errorf("%q: %v, want %d faults", s, got, want)
		}
	}
}

// walkPage reads a page's visible text, title and labels at the current viewport and
// reports what is not Chinese.
func walkPage(t *testing.T, ctx context.Context, base, path, width string) {
	t.Helper()
	run(t, ctx, "open "+path, chromedp.Navigate(base+path), chromedp.WaitReady(chromedp.CSS("footer")))
	walkText(t, ctx, path, width)
}

// walkText reports what is not Chinese on the page the browser shows.
func walkText(t *testing.T, ctx context.Context, path, width string) {
	t.Helper()
	lang := get(t, ctx, "lang", chromedp.Evaluate[string](`document.documentElement.lang`))
	body := get(t, ctx, "text of "+path, chromedp.Evaluate[string](`document.title + "\n" + document.body.innerText + "\n" +
		[...document.querySelectorAll("[placeholder],[aria-label],[title],img[alt]")].map(e =>
			[e.placeholder, e.getAttribute("aria-label"), e.title, e.alt].filter(Boolean).join(" ")).join("\n")`))
	if !strings.HasPrefix(lang, "zh") {
		t.Errorf("%s: lang %q", path, lang)
	}
	for _, f := range chineseFaults(body) {
		t.Errorf("%s at %s: %s", path, width, f)
	}
}

// TestBrowserEveryPageInChinese walks every page of every role over a case that went
// through its acts, at 1200 px and on a 390×844 phone.
func TestBrowserEveryPageInChinese(t *testing.T) {
	ctx := chrome(t)
	sys := newSystem(t)
	base := sys.srv.URL
	open, rejected, closed := walkCases(t, ctx, base)
	sys.deliver()
	correctLastEntry(t, sys, closed[strings.LastIndex(closed, "/")+1:]) // staff see the correction's note
	signInAs(t, ctx, base, "admin", "CICPA", "")
	run(t, ctx, "paste what is not a notice", chromedp.Navigate(base+"/calendar"),
		chromedp.SetValue(chromedp.CSS("#f-notice"), "各省、自治区、直辖市人民政府：\n经国务院批准，现将有关事项通知如下。"),
		chromedp.Click(chromedp.CSS(`#form-notice button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("#f-notice-err")))
	wantIn(t, text(t, ctx, "#f-notice-err"), "正文中没有写明年份")
	walkText(t, ctx, "/calendar (refused notice)", "1200×900")
	pages := []struct {
		role, institute, member string
		paths                   []string
	}{
		{"member", "BJ", "110000000001", []string{"/cases", "/cases/new", open, open + "/withdraw", rejected, closed, "/notifications", "/no-such-page"}},
		{"secretary", "BJ", "", []string{"/cases", "/paper", open, rejected, closed, "/inbox", "/notifications"}},
		{"supervisor", "BJ", "", []string{"/dashboard", "/cases", open, closed, "/inbox", "/reports/compliance", "/notifications"}},
		{"supervisor", "CICPA", "", []string{"/dashboard", "/reports/compliance"}},
		{"admin", "CICPA", "", []string{"/calendar", "/admin/staff", "/admin/settings", "/cases", "/dashboard"}},
	}
	run(t, ctx, "sign out", chromedp.Navigate(base+"/signin"))
	for _, vp := range []struct {
		name string
		w, h int64
	}{{"1200×900", 1200, 900}, {"390×844", 390, 844}} {
		run(t, ctx, "viewport", chromedp.EmulateViewport(vp.w, vp.h))
		walkPage(t, ctx, base, "/signin", vp.name)
		for _, p := range pages {
			signInAs(t, ctx, base, p.role, p.institute, p.member)
			for _, path := range p.paths {
				walkPage(t, ctx, base, path, vp.name)
				if vp.w == 390 {
					screenshot(t, ctx, p.role+"-"+p.institute+strings.ReplaceAll(path, "/", "_")+"-390.png")
				}
			}
		}
	}
}

// walkCases makes the walk's cases, returning their paths: one open (accepted, an extension
// approved, the committee held), one not accepted with reasons, one closed by its feedback.
func walkCases(t *testing.T, ctx context.Context, base string) (open, rejected, closed string) {
	t.Helper()
	openURL := memberSubmits(t, ctx, base)
	rejectedURL := memberSubmits(t, ctx, base)
	closedURL := memberSubmits(t, ctx, base)
	signInAs(t, ctx, base, "secretary", "BJ", "")
	run(t, ctx, "accept",
		chromedp.Navigate(openURL),
		chromedp.Click(chromedp.CSS("#form-decision button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#form-extension")))
	capDue := get(t, ctx, "the latest date", chromedp.AttributeValue(chromedp.CSS("#f-until"), "max")).Value
	run(t, ctx, "ask for an extension",
		chromedp.SetValue(chromedp.CSS("#f-until"), capDue),
		chromedp.SendKeys(chromedp.CSS("#f-reason"), "需委托司法鉴定"),
		chromedp.Click(chromedp.CSS("#form-extension button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#extension-1")))
	held := []chromedp.Action[chromedp.Void]{
		chromedp.SendKeys(chromedp.CSS("#f-members_present"), "张委员\n李委员"),
		chromedp.SendKeys(chromedp.CSS("#f-expert_opinion"), "建议申请劳动仲裁"),
		chromedp.Click(chromedp.CSS("#form-committee button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#committee"))}
	run(t, ctx, "record the committee", held...)
	run(t, ctx, "not accept, with reasons",
		chromedp.Navigate(rejectedURL),
		chromedp.Click(chromedp.CSS("#decision-reject")),
		chromedp.SendKeys(chromedp.CSS("#f-reasons"), "不属于会员服务事项"),
		chromedp.Click(chromedp.CSS("#form-decision button[type=submit]")),
		chromedp.WaitNotPresent(chromedp.CSS("#form-decision")))
	run(t, ctx, "accept the third", chromedp.Navigate(closedURL),
		chromedp.Click(chromedp.CSS("#form-decision button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#form-committee")))
	run(t, ctx, "its committee", held...)
	run(t, ctx, "its feedback",
		chromedp.SendKeys(chromedp.CSS("#f-summary"), "已致函该事务所要求支付工资"),
		chromedp.Click(chromedp.CSS(`form[action$="/feedback"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("#feedback")))
	signInAs(t, ctx, base, "supervisor", "BJ", "")
	run(t, ctx, "approve the extension", chromedp.Navigate(base+"/dashboard"),
		chromedp.Click(chromedp.CSS(`#h-ext ~ form button[value="true"]`)),
		chromedp.WaitVisible(chromedp.CSS(".flash")))
	return strings.TrimPrefix(openURL, base), strings.TrimPrefix(rejectedURL, base), strings.TrimPrefix(closedURL, base)
}

// correctLastEntry replaces the case's last log entry with the same a second later, as a
// step redone after a crash does, so its page carries the correction's note for staff.
func correctLastEntry(t *testing.T, sys *system, number string) {
	t.Helper()
	view, err := sys.st.Case(t.Context(), number)
	if err != nil {
		t.Fatal(err)
	}
	last := view.Events[len(view.Events)-1]
	last.At = last.At.Add(time.Second)
	if err := sys.st.Replace(t.Context(), article23.Record{Event: last, Case: view.Case}); err != nil {
		t.Fatal(err)
	}
}
