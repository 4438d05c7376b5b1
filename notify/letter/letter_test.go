package letter

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-pdf/fpdf"

	"github.com/cicpa/weiquan/internal/testenv"
)

const (
	testFont      = "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"
	testLatinFont = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
)

func renderer(t testing.TB) *Renderer {
	t.Helper()
	r, err := NewRenderer(testFont, testLatinFont)
	if err != nil {
		testenv.Missing(t, "no CJK font (apt-get install -y fonts-droid-fallback): %v", err)
	}
	return r
}

// pdfText extracts a PDF's text with pdftotext (poppler-utils), without line breaks or
// spaces, so wrapped text compares whole.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		testenv.Missing(t, "pdftotext not installed (apt-get install -y poppler-utils)")
	}
	path := filepath.Join(t.TempDir(), "l.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Join(strings.Fields(string(out)), "")
}

func sample(k Kind) Data {
	return Data{
		Kind: k, CaseNumber: "BJ-2026-0042", InstituteName: "北京注册会计师协会", MemberName: "王会计师", MemberNo: "110000000001",
		Counterparty: "北京某会计师事务所", IssuedOn: "2026-12-18", ReceivedOn: "2026-11-27", DecidedOn: "2026-12-18",
		Reasons: "申请事项不属于会员维权服务范围：所涉争议已由人民法院作出生效判决。",
		Deadlines: []Deadline{
			{Label: "召开法律援助与权益保护委员会会议并形成专家意见", Due: "2027-02-05", Workdays: 30, Explanation: "30 个工作日（2026-12-18 当日不计），不含 1月1–3日元旦"},
			{Label: "向您反馈意见", Due: "2027-03-22", Workdays: 60, Explanation: "60 个工作日，不含 2月5–13日春节；含 2月14日调休上班"},
		},
		ExtensionReason: "对方事务所所在地法院尚未开庭，需待庭审结束后形成意见", OldDue: "2027-03-22", NewDue: "2027-05-06",
		NewDueNote: "90 个工作日（2026-12-18 当日不计）", CommitteeHeldOn: "2027-01-20",
		ExpertOpinion: "事务所拖欠工资的行为违反劳动合同约定，建议申请劳动仲裁。", FeedbackGivenOn: "2027-02-01",
		FeedbackManner: "书面", FeedbackSummary: "本会已致函该事务所，要求其于十日内支付所欠工资。",
	}
}

func TestEveryDefaultLetterRenders(t *testing.T) {
	r := renderer(t)
	want := map[Kind][]string{
		Acceptance:    {"受理通知书", "2027年2月5日", "2027年3月22日", "不含1月1–3日元旦", "2026年11月27日"},
		NonAcceptance: {"不予受理通知书", "不予受理的理由", "所涉争议已由人民法院作出生效判决", "2026年12月18日"},
		Extension:     {"延期通知书", "延期理由：对方事务所所在地法院尚未开庭", "由2027年3月22日延长至2027年5月6日"},
		Feedback:      {"反馈意见书", "建议申请劳动仲裁", "2027年1月20日", "以书面方式反馈您"},
	}
	for _, k := range Kinds {
		t.Run(string(k), func(t *testing.T) {
			tpl, err := Templates{}.Lookup("BJ", k)
			if err != nil || tpl.ID != "default/"+string(k)+".v1" {
				t.Fatalf("lookup: %+v %v", tpl, err)
			}
			text, err := tpl.Execute(sample(k))
			if err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			pdf, err := r.Render(text, Meta{Title: k.Title(), CaseNumber: "BJ-2026-0042", InstituteName: "北京注册会计师协会", IssuedOn: "2026-12-18"})
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: %d bytes in %v", k, len(pdf), time.Since(start).Round(time.Millisecond))
			if dir := os.Getenv("WEIQUAN_LETTER_SAMPLES"); dir != "" {
				_ = os.WriteFile(filepath.Join(dir, string(k)+".pdf"), pdf, 0o644)
			}
			got := pdfText(t, pdf)
			for _, w := range append(want[k], "BJ-2026-0042", "王会计师", "北京注册会计师协会", "盖章处", "日期：2026年12月18日") {
				if !strings.Contains(got, strings.Join(strings.Fields(w), "")) {
					t.Errorf("PDF text lacks %q:\n%s", w, got)
				}
			}
		})
	}
}

func TestRenderIsDeterministic(t *testing.T) {
	r := renderer(t)
	m := Meta{Title: "受理通知书", CaseNumber: "BJ-2026-0042", IssuedOn: "2026-12-18", CreatedAt: time.Date(2026, 12, 18, 2, 0, 0, 0, time.UTC)}
	a, _ := r.Render("# 受理通知书\n正文", m)
	b, _ := r.Render("# 受理通知书\n正文", m)
	if !bytes.Equal(a, b) {
		t.Fatal("the same letter rendered twice differs: its SHA-256 would not identify it")
	}
}

func TestInstituteOverride(t *testing.T) {
	dir := t.TempDir()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(dir, "SH"), 0o755))
	must(os.WriteFile(filepath.Join(dir, "SH", "acceptance.v2.tmpl"), []byte("# 受理通知书\n上海 v2 {{.CaseNumber}}"), 0o644))
	must(os.WriteFile(filepath.Join(dir, "SH", "acceptance.v10.tmpl"), []byte("# 受理通知书\n上海 v10 {{.CaseNumber}}"), 0o644))
	must(os.WriteFile(filepath.Join(dir, "SH", "feedback.v1.tmpl"), []byte("{{.NoSuchField}}"), 0o644))
	ts := Templates{Dir: dir}
	tpl, err := ts.Lookup("SH", Acceptance)
	if err != nil || tpl.ID != "SH/acceptance.v10" || tpl.Version != 10 {
		t.Fatalf("override: %+v %v", tpl, err)
	}
	if text, _ := tpl.Execute(sample(Acceptance)); !strings.Contains(text, "上海 v10 BJ-2026-0042") {
		t.Fatalf("text %q", text)
	}
	if tpl, err := ts.Lookup("BJ", Acceptance); err != nil || tpl.ID != "default/acceptance.v1" {
		t.Fatalf("institute without overrides: %+v %v", tpl, err)
	}
	if tpl, err := ts.Lookup("SH", Extension); err != nil || tpl.ID != "default/extension.v1" {
		t.Fatalf("kind not overridden: %+v %v", tpl, err)
	}
	if tpl, err := ts.Lookup("SH", Feedback); err != nil {
		t.Fatal(err)
	} else if _, err := tpl.Execute(sample(Feedback)); err == nil || !strings.Contains(err.Error(), "SH/feedback.v1") {
		t.Fatalf("a broken override: %v", err)
	}
}

func TestMissingFont(t *testing.T) {
	_, err := NewRenderer(filepath.Join(t.TempDir(), "none.ttf"), "")
	if err == nil || !strings.Contains(err.Error(), "WEIQUAN_FONT") || !strings.Contains(err.Error(), "fonts-droid-fallback") {
		t.Fatalf("missing font: %v", err)
	}
	if _, err := os.Stat(testFont); err != nil {
		testenv.Missing(t, "the collection check needs a CJK font beside it (apt-get install -y fonts-droid-fallback): %v", err)
	}
	ttc := filepath.Join(t.TempDir(), "x.ttc")
	_ = os.WriteFile(ttc, []byte("ttcf...."), 0o644)
	if _, err := NewRenderer(testFont, ttc); err == nil || !strings.Contains(err.Error(), "not a TrueType") {
		t.Fatalf("collection: %v", err)
	}
}

func TestWrap(t *testing.T) {
	r := renderer(t)
	f := fpdf.New("P", "mm", "A4", "")
	f.AddUTF8FontFromBytes("cjk", "", r.cjk)
	f.AddUTF8FontFromBytes("latin", "", r.latin)
	p := &page{f: f, size: 12, layout: LayoutV1, cjkFam: "cjk", latinFam: "latin"}
	text := "您于2026年11月27日提交的维权服务申请，经审查，本会决定予以受理。unpaid salary for three months, counterparty Beijing。"
	lines := p.wrap(text, 60)
	for i, l := range lines {
		if i > 0 && strings.ContainsAny(l[:len(string([]rune(l)[0]))], closing) {
			t.Errorf("line %d starts with closing punctuation: %q", i, l)
		}
		if w := p.width(l); w > 60+p.width("。") {
			t.Errorf("line %d is %.1fmm wide: %q", i, w, l)
		}
	}
	if got := strings.ReplaceAll(strings.Join(lines, ""), " ", ""); got != strings.ReplaceAll(text, " ", "") {
		t.Fatalf("wrap lost or added characters:\n%q\n%q", got, text)
	}
}

func BenchmarkRender(b *testing.B) {
	r := renderer(b)
	tpl, _ := Templates{}.Lookup("BJ", Acceptance)
	text, _ := tpl.Execute(sample(Acceptance))
	for b.Loop() {
		if _, err := r.Render(text, Meta{Title: "受理通知书", CaseNumber: "BJ-2026-0042", IssuedOn: "2026-12-18"}); err != nil {
			b.Fatal(err)
		}
	}
}
