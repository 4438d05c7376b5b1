package notify

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/config"
	"github.com/cicpa/weiquan/internal/testenv"
)

func newLetters(t *testing.T, f *caseFile) *Letters {
	t.Helper()
	cfg, _ := config.FromEnv(func(string) string { return "" })
	cfg.BlobDir = filepath.Join(t.TempDir(), "blobs")
	l, err := NewLetters(f.st, cfg)
	if err != nil {
		testenv.Missing(t, "letters need the fonts (apt-get install -y fonts-droid-fallback fonts-dejavu-core): %v", err)
	}
	return l
}

func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		testenv.Missing(t, "pdftotext not installed (apt-get install -y poppler-utils)")
	}
	path := filepath.Join(t.TempDir(), "l.pdf")
	_ = os.WriteFile(path, pdf, 0o600)
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(strings.Fields(string(out)), "")
}

// One accepted case (acceptance, extension, feedback letters) and one refused case: each
// letter is issued from the recorded events, stored once, and says what the case says.
func TestLettersFromTheCase(t *testing.T) {
	st := openStore(t)
	f := newCaseFile(t, st, "BJ-2026-0042", at(2026, 12, 18, 10, 0))
	f.received()
	accepted := f.record(article23.EventAccepted, article23.EventData{Date: "2026-12-18"}, false, func(c *article23.Case) {
		c.Stage = article23.StageAccepted
		c.Decision = &article23.Decision{Accepted: true, DecidedOn: "2026-12-18", NoticeServedOn: "2026-12-18"}
		c.Clocks = append(c.Clocks,
			article23.Clock{Name: article23.ClockCommittee, Start: "2026-12-18", Workdays: 30, Due: "2027-02-05", State: article23.ClockRunning, Explanation: "30 个工作日，不含 1月1–3日元旦"},
			article23.Clock{Name: article23.ClockFeedback, Start: "2026-12-18", Workdays: 60, Due: "2027-03-22", State: article23.ClockRunning, Explanation: "60 个工作日，不含 2月5–13日春节"})
	}, article23.AudienceMember)
	extended := f.record(article23.EventExtensionApproved, article23.EventData{ExtensionID: 1, OldDue: "2027-03-22", NewDue: "2027-05-06"}, false, func(c *article23.Case) {
		c.Extensions = []article23.Extension{{ID: 1, Reason: "对方所在地法院尚未开庭", Workdays: 90, NewDue: "2027-05-06", OldDue: "2027-03-22", State: article23.ExtensionApproved}}
	})
	fed := f.record(article23.EventFeedbackGiven, article23.EventData{Date: "2027-04-20"}, false, func(c *article23.Case) {
		c.Stage = article23.StageFeedbackGiven
		c.Committee = &article23.Committee{HeldOn: "2027-01-20", ExpertOpinion: "建议申请劳动仲裁"}
		c.Feedback = &article23.Feedback{GivenOn: "2027-04-20", Manner: article23.MannerLetter, Summary: "已致函该事务所要求支付工资"}
	})
	g := newCaseFile(t, st, "BJ-2026-0043", at(2026, 12, 18, 10, 0))
	g.c.Applicant.MemberNo = "110000000002"
	g.received()
	refused := g.record(article23.EventNotAccepted, article23.EventData{Date: "2026-12-17", Reason: "所涉争议已由人民法院作出生效判决"}, false, func(c *article23.Case) {
		c.Stage = article23.StageNotAccepted
		c.Decision = &article23.Decision{Reasons: "所涉争议已由人民法院作出生效判决", DecidedOn: "2026-12-17", NoticeServedOn: "2026-12-17"}
	})
	l := newLetters(t, f)
	tests := []struct {
		number string
		seq    int64
		id     string
		served string
		want   []string
	}{
		{"BJ-2026-0042", accepted, "acceptance-2", "2026-12-18", []string{"受理通知书", "2027年2月5日", "2027年3月22日", "不含1月1–3日元旦", "2026年11月27日"}},
		{"BJ-2026-0042", extended, "extension-3", "", []string{"延期通知书", "对方所在地法院尚未开庭", "由2027年3月22日延长至2027年5月6日"}},
		{"BJ-2026-0042", fed, "feedback-4", "", []string{"反馈意见书", "建议申请劳动仲裁", "已致函该事务所要求支付工资", "2027年4月20日"}},
		{"BJ-2026-0043", refused, "non_acceptance-2", "2026-12-17", []string{"不予受理通知书", "所涉争议已由人民法院作出生效判决", "2026年12月17日"}},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			start := time.Now()
			doc, err := l.Issue(t.Context(), tt.number, tt.seq)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: %d bytes, issued in %v", tt.id, doc.Size, time.Since(start).Round(time.Millisecond))
			if doc.ID != tt.id || doc.ServedOn != tt.served || doc.Template != "default/"+strings.Split(tt.id, "-")[0]+".v1" {
				t.Fatalf("document %+v", doc)
			}
			again, err := l.Issue(t.Context(), tt.number, tt.seq)
			if err != nil || again != doc {
				t.Fatalf("issued twice: %+v %v", again, err)
			}
			_, pdf, err := l.Document(t.Context(), tt.number, tt.id)
			if err != nil {
				t.Fatal(err)
			}
			text := pdfText(t, pdf)
			for _, w := range append(tt.want, tt.number, "北京注册会计师协会", "盖章处") {
				if !strings.Contains(text, w) {
					t.Errorf("letter lacks %q:\n%s", w, text)
				}
			}
		})
	}
	if _, err := l.Issue(t.Context(), "BJ-2026-0042", 1); !errors.Is(err, ErrNoLetter) {
		t.Fatalf("a receipt calls for no letter: %v", err)
	}
	if err := l.MarkServed(t.Context(), "BJ-2026-0042", "extension-3", "2027-03-01"); err != nil {
		t.Fatal(err)
	}
	docs, _ := l.Letters(t.Context(), "BJ-2026-0042")
	if len(docs) != 3 || docs[1].ServedOn != "2027-03-01" {
		t.Fatalf("letters %+v", docs)
	}
}

// The member's message about a decision carries the letter: e-mailed as a PDF, named in the
// in-app item, and the delivery records the date served when none was recorded.
func TestDispatcherSendsTheLetter(t *testing.T) {
	st := openStore(t)
	ms := startMailServer(t, false, nil)
	clock := &testClock{t: at(2027, 3, 2, 10, 0)}
	f := newCaseFile(t, st, "BJ-2026-0042", clock.Now())
	if err := st.SetMemberContact(t.Context(), storeMember("110000000001", "member@BJ/110000000001", "wang@example.com")); err != nil {
		t.Fatal(err)
	}
	f.received()
	f.record(article23.EventExtensionApproved, article23.EventData{ExtensionID: 1, OldDue: "2027-03-22", NewDue: "2027-05-06"}, false, func(c *article23.Case) {
		c.Extensions = []article23.Extension{{ID: 1, Reason: "对方所在地法院尚未开庭", State: article23.ExtensionApproved}}
	}, article23.AudienceMember)
	d := dispatcher(st, clock, embedded(t), InApp{Store: st}, &Email{Addr: ms.Addr, From: "weiquan@bicpa.example", TLS: config.SMTPNoTLS})
	d.Letters = newLetters(t, f)
	if _, err := d.RunOnce(t.Context()); err != nil {
		t.Fatal(err)
	}
	mails := ms.received()
	if len(mails) != 1 || !strings.Contains(string(mails[0].Data), "BJ-2026-0042-extension-2.pdf") {
		t.Fatalf("mails %d", len(mails))
	}
	items, _ := st.InboxFor(t.Context(), "member@BJ/110000000001")
	doc, err := st.Document(t.Context(), "BJ-2026-0042", "extension-2")
	if err != nil || doc.ServedOn != "2027-03-02" || len(items) != 1 || !strings.Contains(items[0].Text, "书面通知：延期通知书") {
		t.Fatalf("doc %+v %v, inbox %+v", doc, err, items)
	}
}
