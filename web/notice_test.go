package web

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/calendar"
)

// notice2026 is the 2026 notice with one more day off, 1 December (line 12), which moves the
// decision deadline of a case received on 2026-11-27 from 2026-12-18 to 2026-12-21.
func notice2026(t *testing.T) string {
	t.Helper()
	raw, err := os.ReadFile("../calendar/testdata/notice-2026.txt")
	if err != nil {
		t.Fatal(err)
	}
	return strings.Replace(string(raw), "节假日期间", "八、测试日：12月1日放假，共1天。\n节假日期间", 1)
}

var (
	versionLine  = regexp.MustCompile(`当前版本：(cal-[0-9a-f]+)`)
	hiddenNotice = regexp.MustCompile(`<input type="hidden" name="notice" value="([^"]*)">`)
)

func (p page) version(t *testing.T) string {
	t.Helper()
	m := versionLine.FindStringSubmatch(p.body)
	if m == nil {
		t.Fatalf("no version on the page:\n%s", p.body)
	}
	return m[1]
}

// TestNoticePreviewThenLoadThroughConsole: the operator pastes the notice, sees its days and
// the member's deadline it would move with nothing changed, then confirms and it is in force.
func TestNoticePreviewThenLoadThroughConsole(t *testing.T) {
	sys := newSystem(t)
	member := sys.browser()
	member.signIn(article23.RoleMember, "BJ", "110000000001")
	number := member.submitCase().caseNumber()
	text := notice2026(t)

	op := sys.browser()
	op.signIn(article23.RoleAdmin, article23.NationalInstitute, "")
	before := op.get("/calendar").must(t, http.StatusOK, "粘贴国务院通知正文").version(t)
	p := op.post("/calendar/notice#preview", url.Values{"notice": {text}}).must(t, http.StatusOK,
		"预览：2026 年通知列出的 40 天", "<td class=\"date\">2026-12-01</td><td>星期二</td>", "测试日", "第 12 行", "调休上班",
		"有 1 天的安排会改变", "2026-12-01（星期二）：放假（测试日，第 12 行）", "1 件进行中的案件里，有 1 个期限会变动",
		`<a href="/cases/`+number+`" class="number">`, "受理决定", "2026-12-18", "2026-12-21", "确认载入 2026 年安排",
		">"+html.EscapeString(text)+"</textarea>")
	if p.version(t) != before {
		t.Fatalf("the preview changed the calendar: %s, was %s", p.version(t), before)
	}
	m := hiddenNotice.FindStringSubmatch(p.body)
	if m == nil || html.UnescapeString(m[1]) != text {
		t.Fatalf("the confirm form does not carry the text: %q", m)
	}
	confirm := url.Values{"notice": {html.UnescapeString(m[1])}, "notice_year": {"2026"}, "confirm": {"1"}}
	sys.engine.FailReload(1)
	down := op.post("/calendar/notice", confirm).must(t, http.StatusServiceUnavailable, "系统暂时繁忙", ">"+html.EscapeString(text)+"</textarea>")
	if down.version(t) != before {
		t.Fatalf("a load whose reload did not start changed the calendar")
	}
	loaded := op.post("/calendar/notice#preview", confirm).
		must(t, http.StatusOK, "已载入：版本", number, "2026-12-18", "2026-12-21", "已将此版本通知全部未结案件")
	if after := loaded.version(t); after == before {
		t.Fatalf("the calendar version is still %s after loading", after)
	}
	if len(sys.engine.Signals()) != 1 || !strings.HasPrefix(sys.engine.Signals()[0], number+" ") {
		t.Fatalf("signals %v, want one for %s", sys.engine.Signals(), number)
	}
}

// TestNoticeRefusedKeepsText: what the reader refuses is said in Chinese beside the text,
// which stays as pasted; nothing changes.
func TestNoticeRefusedKeepsText(t *testing.T) {
	sys := newSystem(t)
	op := sys.browser()
	op.signIn(article23.RoleAdmin, article23.NationalInstitute, "")
	before := op.get("/calendar").version(t)
	text := notice2026(t)
	bad := strings.Replace(text, "4月4日（周六）", "4月31日", 1)
	for _, tc := range []struct {
		name, text, year, want string
	}{
		{"another year", text, "2027", "第 1 行：这是 2026 年的通知，不是 2027 年的。"},
		{"no such date", bad, "", "第 7 行（清明节）：「4月31日」不是一个存在的日期。</p>\n<blockquote class=\"bad-line\" id=\"f-notice-line\">三、清明节：4月31日至6日（周一）放假，共3天。</blockquote>"},
		{"a year that is not one", text, "26", "请填写四位年份"},
		{"nothing pasted", " ", "", "此项必填"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			op.get("/calendar")
			p := op.post("/calendar/notice#preview", url.Values{"notice": {tc.text}, "notice_year": {tc.year}}).
				must(t, http.StatusUnprocessableEntity, tc.want, ">"+html.EscapeString(tc.text)+"</textarea>", `aria-invalid="true"`)
			if strings.Contains(p.body, `id="preview"`) || p.version(t) != before {
				t.Fatalf("a refused notice shows a preview or changed the calendar:\n%s", p.body)
			}
		})
	}
}

// TestNoticeAdminOnly: a secretary with a valid form token is refused, and nothing changes.
func TestNoticeAdminOnly(t *testing.T) {
	sys := newSystem(t)
	sec := sys.browser()
	sec.signIn(article23.RoleSecretary, "BJ", "")
	sec.get("/calendar").must(t, http.StatusForbidden)
	sec.get("/inbox")
	sec.postToken("/calendar/notice", sec.formToken("/signout"), url.Values{"notice": {notice2026(t)}, "confirm": {"1"}}).
		must(t, http.StatusForbidden, "您无权进行此操作")
	if len(sys.engine.Signals()) != 0 {
		t.Fatalf("a secretary's notice started a reload: %v", sys.engine.Signals())
	}
}

// TestNoticeMessages: each refusal of the reader is re-framed in Chinese, without its English,
// and an unknown one is shown after a Chinese lead.
func TestNoticeMessages(t *testing.T) {
	c := &Console{cat: mustCatalogue()}
	for _, frames := range [][]noticeFrame{noticeFrames, innerFrames} {
		for _, f := range frames {
			for _, l := range languages {
				if _, ok := c.cat[l][f.key]; !ok {
					t.Errorf("%s: not in %s.json", f.key, l)
				}
			}
		}
	}
	base := notice2026(t)
	eighth := func(line string) string {
		return strings.Replace(base, "八、测试日：12月1日放假，共1天。", line, 1)
	}
	for _, tc := range []struct {
		name, text string
		year       int
		want       string
	}{
		{"no festival line", "国务院办公厅关于2026年部分节假日安排的通知\n另行通知。", 0, "没有找到节日行"},
		{"another year", base, 2027, "第 1 行：这是 2026 年的通知，不是 2027 年的。"},
		{"no year", strings.Replace(base, "关于2026年", "关于", 1), 0, "正文中没有写明年份"},
		{"not a festival line", eighth("另外，12月1日放假。"), 0, "第 12 行写有放假或上班的日期，但不是带编号的节日行"},
		{"no day off", eighth("八、测试日：12月5日（周六）上班。"), 0, "第 12 行（测试日）：没有找到放假的日期。"},
		{"total", eighth("八、测试日：12月1日放假，共2天。"), 0, "第 12 行（测试日）：写的是「共2天」，列出的放假日却有 1 天。"},
		{"range", eighth("八、测试日：12月3日至1日放假，共3天。"), 0, "第 12 行（测试日）：读不懂「12月3日至1日放假」中的日期范围。"},
		{"off or work", eighth("八、测试日：12月1日休息，共1天。"), 0, "第 12 行（测试日）：无法判断「12月1日休息」说的是放假还是上班。"},
		{"weekday", eighth("八、测试日：12月1日（周五）放假，共1天。"), 0, "第 12 行（测试日）：12月1日(周五)：2026年12月1日 是星期二，括号里却写「周五」。"},
		{"no month", eighth("八、测试日：1日放假，共1天。"), 0, "第 12 行（测试日）：「1日」没有写月份。"},
		{"not a date", eighth("八、测试日：12月32日放假，共1天。"), 0, "第 12 行（测试日）：「12月32日」不是一个存在的日期。"},
		{"out of year", eighth("八、测试日：2028年3月1日放假，共1天。"), 0, "第 12 行（测试日）：2028年3月1日 不在 2026 年及其前后（年份写错了？）。"},
		{"make-up weekday", eighth("八、测试日：12月1日放假，共1天。12月2日上班。"), 0, "第 12 行（测试日）：调休上班日 2026年12月2日 是星期三，不是周末。"},
		{"both", eighth("八、测试日：12月5日（周六）放假，共1天。12月5日（周六）上班。"), 0, "第 12 行（测试日）：2026年12月5日 既列为放假，又列为上班（第 12 行）。"},
		{"overlap", eighth("八、测试日：10月1日放假，共1天。"), 0, "第 12 行（测试日）：2026年10月1日 已是国庆节的放假日（第 11 行）：两个节日的假期重叠。"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := calendar.ReadNotice(tc.text, tc.year)
			if err == nil {
				t.Fatal("the reader read it")
			}
			got := c.noticeMessage("zh", err.Error())
			if !strings.Contains(got, tc.want) || regexp.MustCompile(`[A-Za-z]`).MatchString(got) {
				t.Fatalf("%q\nbecame %q, want %q", err, got, tc.want)
			}
			if en := c.noticeMessage("en", err.Error()); strings.Contains(en, "notice.err") {
				t.Fatalf("en: %q", en)
			}
		})
	}
	for detail, want := range map[string]string{
		"is 20001 characters; at most 20000":                      "正文有 20001 字，超过 20000 字的上限：请只粘贴通知本身。",
		"must be a year 2007–2099":                                "年份须在 2007–2099 之间。",
		"is required":                                             "此项必填",
		"calendar: notice not understood: line 3 (x): a new kind": "无法读取通知正文：line 3 (x): a new kind",
		"calendar: 2026: something else":                          "无法读取通知正文：calendar: 2026: something else",
	} {
		if got := c.noticeMessage("zh", detail); got != want {
			t.Errorf("%q became %q, want %q", detail, got, want)
		}
	}
}

// TestLateDecemberNote: the calendar page names the weekend days of the calendar's uncertain
// window, as the API reports them.
func TestLateDecemberNote(t *testing.T) {
	cal, err := calendar.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	from, _, ok := cal.UncertainWindow()
	if !ok {
		t.Fatal("the embedded calendar has no uncertain window")
	}
	op := newSystem(t).browser()
	op.signIn(article23.RoleAdmin, article23.NationalInstitute, "")
	body := op.get("/calendar").must(t, http.StatusOK).body
	for _, d := range cal.UncertainWeekends() {
		if !strings.Contains(body, fmt.Sprintf("12月%d日", d.Day)) {
			t.Errorf("the note lacks %s", d)
		}
	}
	if !strings.Contains(body, fmt.Sprintf("%d年12月20日", from.Year)) {
		t.Errorf("the note does not name the window's start:\n%s", body)
	}
}
