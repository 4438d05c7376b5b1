package notify

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/notify/letter"
	"github.com/cicpa/weiquan/store"
)

// recordsOf reads the case's recorded events back as the recorder hands them over.
func recordsOf(t *testing.T, st *store.Store, number string) []article23.Record {
	t.Helper()
	view, err := st.Case(t.Context(), number)
	if err != nil {
		t.Fatal(err)
	}
	var rs []article23.Record
	for _, ev := range view.Events {
		rs = append(rs, article23.Record{Event: ev, Case: view.Case})
	}
	return rs
}

// TestNoticesIssuedFromTheAct: the letters are issued from the notices the events carry, at
// the act: the acceptance states the feedback date of the acceptance day although an approved
// extension has moved it since, and is served on its decision date. Rendering a stored letter
// again from its event, with a fresh renderer and a newer template in place, gives the same
// bytes: the letter pins its template version and its page layout.
func TestNoticesIssuedFromTheAct(t *testing.T) {
	st := openStore(t)
	f := newCaseFile(t, st, "BJ-2026-0042", at(2026, 12, 18, 21, 0))
	f.received()
	acceptance := article23.Notice{Version: 1, MemberName: "王会计师", MemberNo: "110000000001", Counterparty: "北京某会计师事务所",
		ReceivedOn: "2026-11-27", IssuedOn: "2026-12-18", DecidedOn: "2026-12-18", Deadlines: []article23.NoticeDeadline{
			{Clock: article23.ClockCommittee, Due: "2027-02-05", Workdays: 30, Explanation: "30 个工作日"},
			{Clock: article23.ClockFeedback, Due: "2027-03-22", Workdays: 60, Explanation: "60 个工作日"}}}
	f.record(article23.EventAccepted, article23.EventData{Date: "2026-12-18", Notice: &acceptance}, false, func(c *article23.Case) {
		c.Stage = article23.StageAccepted
		c.Decision = &article23.Decision{Accepted: true, DecidedOn: "2026-12-18", NoticeServedOn: "2026-12-18"}
		c.Clocks = append(c.Clocks, article23.Clock{Name: article23.ClockFeedback, Workdays: 75, Due: "2027-04-12", State: article23.ClockRunning})
	})
	extension := article23.Notice{Version: 1, MemberName: "王会计师", IssuedOn: "2027-02-01", ExtensionReason: "证人在境外",
		OldDue: "2027-03-22", NewDue: "2027-04-12", NewDueNote: "75 个工作日"}
	f.record(article23.EventExtensionApproved, article23.EventData{ExtensionID: 1, Notice: &extension}, false, nil)

	l := newLetters(t, f)
	l.Templates.Dir = t.TempDir()
	if err := l.IssueNotices(t.Context(), recordsOf(t, st, f.c.Number)); err != nil {
		t.Fatal(err)
	}
	docs, err := l.Letters(t.Context(), f.c.Number)
	if err != nil || len(docs) != 2 {
		t.Fatalf("letters %+v %v", docs, err)
	}
	acc, pdf := docs[0], readLetter(t, l, docs[0])
	if acc.ID != "acceptance-2" || acc.IssuedOn != "2026-12-18" || acc.ServedOn != "2026-12-18" || docs[1].IssuedOn != "2027-02-01" {
		t.Fatalf("documents %+v", docs)
	}
	text := pdfText(t, pdf)
	if !strings.Contains(text, "2027年3月22日") || strings.Contains(text, "2027年4月12日") {
		t.Fatalf("the acceptance states the date of the acceptance day:\n%s", text)
	}
	if text := pdfText(t, readLetter(t, l, docs[1])); !strings.Contains(text, "证人在境外") || !strings.Contains(text, "由2027年3月22日延长至2027年4月12日") {
		t.Fatalf("extension letter:\n%s", text)
	}

	newer := filepath.Join(l.Templates.Dir, "BJ", "acceptance.v2.tmpl")
	_ = os.MkdirAll(filepath.Dir(newer), 0o750)
	if err := os.WriteFile(newer, []byte("# 受理通知书\n新版本\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	fresh := newLetters(t, f)
	fresh.Templates = l.Templates
	again, err := fresh.Reproduce(t.Context(), acc)
	if err != nil || !bytes.Equal(again, pdf) {
		t.Fatalf("re-rendered letter differs (%d vs %d bytes): %v", len(again), len(pdf), err)
	}

	// a letter issued under the first layout re-renders under it, not under the current one
	if acc.Layout != letter.CurrentLayout {
		t.Fatalf("the letter records layout %d, rendered in %d", acc.Layout, letter.CurrentLayout)
	}
	old := acc
	old.Layout = letter.LayoutV1
	v1, err := fresh.Reproduce(t.Context(), old)
	if err != nil || bytes.Equal(v1, pdf) || !bytes.Contains(v1, []byte("/BaseFont /utf8cjk")) || bytes.Contains(pdf, []byte("/utf8cjk")) {
		t.Fatalf("layout 1 re-rendered as layout 1 (%d bytes, %v)? %v", len(v1), bytes.Contains(v1, []byte("/utf8cjk")), err)
	}
}

func readLetter(t *testing.T, l *Letters, d store.Document) []byte {
	t.Helper()
	_, b, err := l.Document(t.Context(), d.CaseNumber, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
