package web

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/store"
)

// letter stores a small stand-in PDF as the case's letter id, as notify.Letters would.
func (s *system) letter(number, id, title string, at time.Time, servedOn string) {
	s.t.Helper()
	pdf := []byte("%PDF-1.4\n% " + number + " " + id + "\n%%EOF\n")
	sum := sha256.Sum256(pdf)
	hexSum := hex.EncodeToString(sum[:])
	loc := "sha256/" + hexSum[:2] + "/" + hexSum + ".pdf"
	path := filepath.Join(s.blobs, filepath.FromSlash(loc))
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		s.t.Fatal(err)
	}
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		s.t.Fatal(err)
	}
	kind, seq, _ := strings.Cut(id, "-")
	n, _ := strconv.ParseInt(seq, 10, 64)
	_, err := s.st.AddDocument(s.t.Context(), store.Document{CaseNumber: number, ID: id, Kind: kind, EventSeq: n, Name: title + ".pdf",
		MediaType: "application/pdf", Size: int64(len(pdf)), SHA256: hexSum, Location: loc, ServedOn: servedOn, CreatedAt: at})
	if err != nil {
		s.t.Fatal(err)
	}
}

func TestCaseShowsWrittenNotices(t *testing.T) {
	sys := newSystem(t)
	number, li := accepted(t, sys) // now 2026-12-03 10:00
	sys.letter(number, "acceptance-3", "受理通知书", shanghai("2026-12-03", 9, 0), "2026-12-03")
	sys.letter(number, "extension-9", "延期通知书", shanghai("2026-12-02", 9, 0), "")
	served := "/cases/" + number + "/documents/extension-9/served"
	li.get("/cases/"+number).must(t, http.StatusOK, "书面通知", "受理通知书", "2026年12月3日 送达", "尚未送达",
		`href="/cases/`+number+`/documents/acceptance-3"`, `action="`+served+`"`, `min="2026-12-02"`)
	if strings.Contains(li.last, `/documents/acceptance-3/served"`) {
		t.Error("a served notice offers the served form again")
	}
	li.post(served, url.Values{"document": {"extension-9"}, "served_on": {"2026-12-04"}}).
		must(t, http.StatusUnprocessableEntity, `id="f-served-extension-9-err"`, "不能晚于今天")
	li.get("/cases/" + number)
	li.post(served, url.Values{"document": {"extension-9"}, "served_on": {"2026-12-03"}}).
		must(t, http.StatusOK, "送达日期已记录")
	if strings.Contains(li.last, "尚未送达") {
		t.Error("the extension notice still shows as not served")
	}

	wang := sys.browser()
	wang.signIn(article23.RoleMember, "BJ", "110000000001")
	wang.get("/cases/"+number+"?lang=en").must(t, http.StatusOK, "Written notices", "Notice of acceptance")
	if strings.Contains(wang.last, "/served\"") {
		t.Error("the member is offered the served form")
	}
	p := wang.get("/cases/"+number+"/documents/acceptance-3").must(t, http.StatusOK, "%PDF-")
	if ct, cd := p.header.Get("Content-Type"), p.header.Get("Content-Disposition"); ct != "application/pdf" || !strings.Contains(cd, "filename*=UTF-8''"+number+"-%E5%8F%97") {
		t.Errorf("download headers %q %q", ct, cd)
	}
	other := sys.browser()
	other.signIn(article23.RoleMember, "BJ", "110000000002")
	other.get("/cases/"+number+"/documents/acceptance-3").must(t, http.StatusNotFound)
}

func TestNotificationsPageMarksReadOnOpen(t *testing.T) {
	sys := newSystem(t)
	wang := sys.browser()
	wang.signIn(article23.RoleMember, "BJ", "110000000001")
	number := wang.submitCase().caseNumber()
	for i, text := range []string{"申请已收到", "申请已受理"} {
		it := store.InboxItem{UserID: "member@BJ/110000000001", DedupKey: "k" + strconv.Itoa(i), CaseNumber: number, Kind: "accepted",
			Text: text, CreatedAt: shanghai("2026-11-27", 20, i)}
		if err := sys.st.AddInboxItem(t.Context(), it); err != nil {
			t.Fatal(err)
		}
	}
	wang.get("/cases").must(t, http.StatusOK, `href="/notifications" id="nav-notifications"`, `aria-label="2 条未读通知">2</span>`)
	p := wang.get("/notifications").must(t, http.StatusOK, "2 条未读", "申请已受理", "申请已收到")
	if strings.Index(p.body, "申请已受理") > strings.Index(p.body, "申请已收到") {
		t.Error("not newest first")
	}
	first := between(p.body, `<form method="post" action="/notifications/`, `"`)
	wang.post("/notifications/"+first, url.Values{"next": {"/cases/" + number}}).
		must(t, http.StatusOK, number, `aria-label="1 条未读通知">1</span>`)
	li := sys.browser()
	li.signIn(article23.RoleSecretary, "BJ", "")
	li.get("/notifications").must(t, http.StatusOK, "暂无通知")
	if strings.Contains(li.last, `class="count"`) {
		t.Error("the secretary has a badge without notifications")
	}
	li.get("/notifications")
	li.postToken("/notifications/"+first, li.formToken("/signout"), nil).must(t, http.StatusNotFound)
}
