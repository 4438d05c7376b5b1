package e2e

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/cicpa/weiquan/activities"
	"github.com/cicpa/weiquan/api"
	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/auth"
	"github.com/cicpa/weiquan/calendar"
	"github.com/cicpa/weiquan/config"
	"github.com/cicpa/weiquan/notify"
	"github.com/cicpa/weiquan/store/storetest"
	"github.com/cicpa/weiquan/worker"
)

// TestActAnswerListsItsNotice: a secretary rejects a paper case with its notice served on a
// Sunday (no working hours for days: the member's e-mail waits, and no dispatcher runs
// here at all). The act's own HTTP answer already lists the 不予受理通知书 dated that
// Sunday, and the PDF it names is served with the same SHA-256.
func TestActAnswerListsItsNotice(t *testing.T) {
	st := storetest.SQLite(t)
	letters, err := notify.NewLetters(st, config.Config{BlobDir: t.TempDir(), Font: config.DefaultFont, LatinFont: config.DefaultLatinFont})
	if err != nil {
		t.Skip("letters need the fonts:", err)
	}
	c := dial(t, nsNotice)
	cal, err := calendar.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	holder := calendar.NewHolder(cal)
	w := worker.New(c, &activities.Activities{Recorder: st, Marks: st, Calendar: holder, Cases: st, Notices: letters}, worker.Options{})
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Stop)
	a := api.New(api.Deps{Logger: slog.New(slog.DiscardHandler), Store: st, Engine: api.TemporalEngine{Client: c}, Calendar: holder,
		Verifier: auth.HS256Verifier{Key: signingKey}, BlobDir: t.TempDir(), Documents: letters, RatePerSecond: 1000, Burst: 1000})
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(srv.Close)
	s := &stack{t: t, url: srv.URL, cal: cal, st: st, c: c}

	sunday := calendar.DateOf(time.Now())
	for sunday.Weekday() != time.Sunday {
		sunday = sunday.AddDays(-1)
	}
	secretary := s.token(article23.RoleSecretary, "BJ", "")
	kase := s.call(secretary, http.MethodPost, "/api/v1/cases", map[string]any{"institute": "BJ",
		"received_on":  sunday.AddDays(-2).String(),
		"applicant":    map[string]string{"member_no": "110000000001", "name": "王会计师", "kind": "practising"},
		"counterparty": "某会计师事务所", "category": "labour", "summary": "离职后被拖欠三个月工资", "claims": "支付欠薪"}, http.StatusCreated)
	raw := s.raw(secretary, http.MethodPost, "/api/v1/cases/"+kase.Number+"/decision", map[string]any{"decision": "reject",
		"reasons": "申请事项不属于本会维权服务范围。", "notice_served_on": sunday.String()}, http.StatusOK)
	var answer struct {
		Stage     article23.Stage `json:"stage"`
		Documents []struct {
			ID       string `json:"id"`
			Kind     string `json:"kind"`
			IssuedOn string `json:"issued_on"`
			ServedOn string `json:"served_on"`
			SHA256   string `json:"sha256"`
		} `json:"documents"`
	}
	if err := json.Unmarshal(raw, &answer); err != nil {
		t.Fatal(err)
	}
	if answer.Stage != article23.StageNotAccepted || len(answer.Documents) != 1 {
		t.Fatalf("the act's answer: %s", raw)
	}
	d := answer.Documents[0]
	if d.Kind != "non_acceptance" || d.IssuedOn != sunday.String() || d.ServedOn != sunday.String() {
		t.Fatalf("notice %+v, want non_acceptance issued and served %s", d, sunday)
	}
	pdf := s.raw(secretary, http.MethodGet, "/api/v1/cases/"+kase.Number+"/documents/"+d.ID, nil, http.StatusOK)
	if sum := sha256.Sum256(pdf); hex.EncodeToString(sum[:]) != d.SHA256 || string(pdf[:5]) != "%PDF-" {
		t.Fatalf("document %s: %d bytes, SHA-256 %x, listed %s", d.ID, len(pdf), sum, d.SHA256)
	}
}

// raw makes a call and returns the body once the status is want.
func (s *stack) raw(tok, method, path string, body any, want int) []byte {
	s.t.Helper()
	status, b := s.send(tok, method, path, body)
	if status != want {
		s.t.Fatalf("%s %s: status %d, want %d: %s", method, path, status, want, b)
	}
	return b
}

// send makes a call and returns its status and body.
func (s *stack) send(tok, method, path string, body any) (int, []byte) {
	s.t.Helper()
	return s.sendKeyed(tok, method, path, "", body)
}

// sendKeyed is send with an Idempotency-Key (none when key is empty).
func (s *stack) sendKeyed(tok, method, path, key string, body any) (int, []byte) {
	s.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, s.url+path, rd)
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}
