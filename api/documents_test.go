package api

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/config"
	"github.com/cicpa/weiquan/internal/testenv"
	"github.com/cicpa/weiquan/notify"
	"github.com/cicpa/weiquan/store"
	"github.com/cicpa/weiquan/wire"
)

// *notify.Letters is what production passes as Deps.Documents.
var _ DocumentSource = (*notify.Letters)(nil)

var letterTitles = map[string]string{"acceptance": "受理通知书", "extension": "延期通知书"}

// letter stores a small stand-in PDF as the case's letter of kind for event seq, as
// notify.Letters would (blob under sha256/, a documents row), without needing fonts.
func (a *testAPI) letter(number, kind string, seq int64, at time.Time) store.Document {
	a.t.Helper()
	pdf := []byte("%PDF-1.4\n% " + number + " " + kind + "\n%%EOF\n")
	sum := sha256.Sum256(pdf)
	hexSum := hex.EncodeToString(sum[:])
	loc := "sha256/" + hexSum[:2] + "/" + hexSum + ".pdf"
	path := filepath.Join(a.blobs, filepath.FromSlash(loc))
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		a.t.Fatal(err)
	}
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		a.t.Fatal(err)
	}
	d, err := a.st.AddDocument(a.t.Context(), store.Document{CaseNumber: number, ID: kind + "-" + strconv.FormatInt(seq, 10), Kind: kind, EventSeq: seq,
		Template: "default/" + kind + ".v1", Name: letterTitles[kind] + ".pdf", MediaType: "application/pdf", Size: int64(len(pdf)),
		SHA256: hexSum, Location: loc, CreatedAt: at})
	if err != nil {
		a.t.Fatal(err)
	}
	return d
}

type documentList struct {
	Documents []wire.Document `json:"documents"`
}

func TestDocumentsListAndDownload(t *testing.T) {
	a := newTestAPI(t)
	c := a.accepted()
	n := "/api/v1/cases/" + c.Number + "/documents"
	acc := a.letter(c.Number, "acceptance", 3, shanghai("2026-12-03", 10, 0))
	a.letter(c.Number, "extension", 9, shanghai("2026-12-10", 9, 30))
	var l documentList
	a.do(memberWang, "GET", n, nil).want(http.StatusOK).decode(&l)
	if len(l.Documents) != 2 || l.Documents[0].ID != acc.ID || l.Documents[0].Title != "受理通知书" || l.Documents[1].Kind != "extension" {
		t.Fatalf("documents %+v", l.Documents)
	}
	if got := l.Documents[0]; got.SHA256 != acc.SHA256 || got.Size != acc.Size || got.CreatedAt.Format(time.RFC3339) != "2026-12-03T10:00:00+08:00" {
		t.Errorf("document %+v", got)
	}
	res := a.do(memberWang, "GET", n+"/"+acc.ID, nil).want(http.StatusOK)
	if ct := res.Header().Get("Content-Type"); ct != "application/pdf" {
		t.Errorf("content type %q", ct)
	}
	want := `attachment; filename="` + c.Number + `-acceptance-3.pdf"; filename*=UTF-8''` + c.Number + `-%E5%8F%97%E7%90%86%E9%80%9A%E7%9F%A5%E4%B9%A6.pdf`
	if cd := res.Header().Get("Content-Disposition"); cd != want {
		t.Errorf("Content-Disposition\n got %s\nwant %s", cd, want)
	}
	if !strings.HasPrefix(res.Body.String(), "%PDF-") || int64(res.Body.Len()) != acc.Size {
		t.Errorf("body %q", res.Body.String())
	}
	a.do(memberWang, "GET", n+"/acceptance-99", nil).problem(http.StatusNotFound, "not_found")
	a.do(memberOther, "GET", n, nil).problem(http.StatusNotFound, "not_found")
	a.do(memberOther, "GET", n+"/"+acc.ID, nil).problem(http.StatusNotFound, "not_found")
	a.do(secretarySH, "GET", n+"/"+acc.ID, nil).problem(http.StatusNotFound, "not_found")
}

func TestDocumentIntegrityIsChecked(t *testing.T) {
	a := newTestAPI(t)
	c := a.accepted()
	d := a.letter(c.Number, "acceptance", 3, shanghai("2026-12-03", 10, 0))
	if err := os.WriteFile(filepath.Join(a.blobs, filepath.FromSlash(d.Location)), []byte("%PDF-1.4 tampered"), 0o600); err != nil {
		t.Fatal(err)
	}
	a.do(memberWang, "GET", "/api/v1/cases/"+c.Number+"/documents/"+d.ID, nil).problem(http.StatusInternalServerError, "internal")
}

func TestMarkServed(t *testing.T) {
	a := newTestAPI(t)
	c := a.accepted() // now 2026-12-03 10:00
	ext := a.letter(c.Number, "extension", 9, shanghai("2026-12-02", 9, 30))
	path := "/api/v1/cases/" + c.Number + "/documents/" + ext.ID + "/served"
	for _, tc := range []struct {
		name, on, detail string
	}{
		{"not a date", "3 Dec", "must be a date"},
		{"future", "2026-12-04", "is after today"},
		{"before issue", "2026-12-01", "before the notice was issued (2026-12-02)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := a.do(secretaryBJ, "POST", path, map[string]any{"served_on": tc.on}).problem(http.StatusUnprocessableEntity, "invalid")
			if len(p.Errors) != 1 || p.Errors[0].Field != "served_on" || !strings.Contains(p.Errors[0].Detail, tc.detail) {
				t.Errorf("errors %+v", p.Errors)
			}
		})
	}
	body := map[string]any{"served_on": "2026-12-02"}
	a.do(memberWang, "POST", path, body).problem(http.StatusForbidden, "forbidden")
	a.do(national, "POST", path, body).problem(http.StatusForbidden, "forbidden")
	a.do(secretarySH, "POST", path, body).problem(http.StatusNotFound, "not_found")
	a.do(secretaryBJ, "POST", "/api/v1/cases/"+c.Number+"/documents/feedback-1/served", body).problem(http.StatusNotFound, "not_found")
	var d wire.Document
	a.do(secretaryBJ, "POST", path, body).want(http.StatusOK).decode(&d)
	if d.ServedOn != "2026-12-02" {
		t.Fatalf("served %+v", d)
	}
	a.do(supervisorBJ, "POST", path, body).want(http.StatusOK) // the same date again
	p := a.do(secretaryBJ, "POST", path, map[string]any{"served_on": "2026-12-03"}).problem(http.StatusConflict, "already_served")
	if !strings.Contains(p.Detail, "2026-12-02") {
		t.Errorf("detail %q", p.Detail)
	}
}

func TestDocumentsWithoutSource(t *testing.T) {
	a := newTestAPI(t)
	c := a.accepted()
	d := a.srv.deps
	d.Documents = nil // letters off: cmd/weiquan's documentSource passes no source, not a nil *notify.Letters
	a.srv = New(d)
	a.do(memberWang, "GET", "/api/v1/cases/"+c.Number+"/documents", nil).problem(http.StatusServiceUnavailable, "letters_unavailable")
	a.do(secretaryBJ, "POST", "/api/v1/cases/"+c.Number+"/documents/acceptance-3/served", map[string]any{"served_on": "2026-12-03"}).
		problem(http.StatusServiceUnavailable, "letters_unavailable")
}

// TestIssuedLetterDownloads issues a real acceptance letter (fonts needed) and downloads it.
func TestIssuedLetterDownloads(t *testing.T) {
	a := newTestAPI(t)
	c := a.accepted()
	cfg, _ := config.FromEnv(func(string) string { return "" })
	cfg.BlobDir = a.blobs
	letters, err := notify.NewLetters(a.st, cfg)
	if err != nil {
		testenv.Missing(t, "letters need the fonts (apt-get install -y fonts-droid-fallback fonts-dejavu-core): %v", err)
	}
	var seq int64
	a.do(memberWang, "GET", "/api/v1/cases/"+c.Number, nil).want(http.StatusOK).decode(&c)
	for _, e := range c.Events {
		if e.Type == article23.EventAccepted {
			seq = e.Seq
		}
	}
	d, err := letters.Issue(t.Context(), c.Number, seq)
	if err != nil {
		t.Fatal(err)
	}
	res := a.do(memberWang, "GET", "/api/v1/cases/"+c.Number+"/documents/"+d.ID, nil).want(http.StatusOK)
	if !strings.HasPrefix(res.Body.String(), "%PDF-") || int64(res.Body.Len()) != d.Size {
		t.Fatalf("letter of %d bytes, want %d", res.Body.Len(), d.Size)
	}
	var l documentList
	a.do(memberWang, "GET", "/api/v1/cases/"+c.Number+"/documents", nil).want(http.StatusOK).decode(&l)
	if len(l.Documents) != 1 || l.Documents[0].ServedOn != "2026-12-03" {
		t.Fatalf("documents %+v", l.Documents) // served with the decision's notice
	}
}
