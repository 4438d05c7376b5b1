package api

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/auth"
	"github.com/cicpa/weiquan/calendar"
	"github.com/cicpa/weiquan/internal/enginetest"
	"github.com/cicpa/weiquan/notify"
	"github.com/cicpa/weiquan/store"
	"github.com/cicpa/weiquan/wire"
)

var testKey = []byte("0123456789abcdef0123456789abcdef")

// testAPI is the API over a real SQLite store, the fake engine and a pinned clock.
type testAPI struct {
	t      *testing.T
	srv    *Server
	st     *store.Store
	engine *enginetest.Engine
	cal    *calendar.Holder
	blobs  string // attachments and letters
	mu     sync.Mutex
	now    time.Time
}

// shanghai is a wall-clock instant in Asia/Shanghai.
func shanghai(date string, hh, mm int) time.Time {
	d, err := calendar.ParseDate(date)
	if err != nil {
		panic(err)
	}
	return d.Start().Add(time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute)
}

func newTestAPI(t *testing.T) *testAPI {
	t.Helper()
	a := buildTestAPI(t)
	a.t = t
	return a
}

// buildTestAPI is newTestAPI for any test or fuzz target; its do needs a *testing.T (a.t).
func buildTestAPI(t testing.TB) *testAPI {
	t.Helper()
	st, err := store.Open(t.Context(), "sqlite://"+filepath.Join(t.TempDir(), "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	if err := st.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	cal, err := calendar.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	a := &testAPI{st: st, cal: calendar.NewHolder(cal), blobs: t.TempDir(), now: shanghai("2026-11-27", 20, 0)}
	a.engine = enginetest.New(enginetest.Config{Store: st, Calendar: a.cal.Current, Now: a.clock, UpdateID: updateIDFrom,
		Unavailable: ErrEngineUnavailable, NotReady: ErrStartedNotReady})
	a.srv = New(Deps{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Store: st, Engine: a.engine, Calendar: a.cal,
		Verifier: auth.HS256Verifier{Key: testKey, Now: a.clock}, Now: a.clock, BlobDir: a.blobs,
		Documents:     &notify.Letters{Store: st, BlobDir: a.blobs},
		RatePerSecond: 1000, Burst: 1000, SubmitWait: time.Second})
	return a
}

func (a *testAPI) clock() time.Time {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.now
}

func (a *testAPI) setNow(t time.Time) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.now = t
}

// principal is one kind of caller.
type principal struct {
	role      article23.Role
	institute string
	member    string
	sub, name string // "" for role@institute[/member] and no name
}

var (
	memberWang   = principal{article23.RoleMember, "BJ", "110000000001", "", ""}
	memberOther  = principal{article23.RoleMember, "BJ", "110000000002", "", ""}
	secretaryBJ  = principal{article23.RoleSecretary, "BJ", "", "", ""}
	secretarySH  = principal{article23.RoleSecretary, "SH", "", "", ""}
	supervisorBJ = principal{article23.RoleSupervisor, "BJ", "", "", ""}
	supervisorSH = principal{article23.RoleSupervisor, "SH", "", "", ""}
	national     = principal{article23.RoleSupervisor, article23.NationalInstitute, "", "", ""}
	admin        = principal{article23.RoleAdmin, article23.NationalInstitute, "", "", ""}
)

func (a *testAPI) token(p principal) string {
	tok, err := auth.Mint(testKey, auth.MintOptions{Subject: p.sub, Role: p.role, Institute: p.institute, MemberNo: p.member,
		Name: p.name, Now: a.clock()})
	if err != nil {
		a.t.Fatal(err)
	}
	return tok
}

// response is a recorded response with helpers.
type response struct {
	*httptest.ResponseRecorder
	t *testing.T
}

// do sends a request as p (zero principal: no token); a non-string, non-nil body is JSON.
func (a *testAPI) do(p principal, method, path string, body any, headers ...string) response {
	a.t.Helper()
	var r io.Reader
	ct := ""
	switch b := body.(type) {
	case nil:
	case string:
		r, ct = strings.NewReader(b), "application/json"
	case []byte:
		r = bytes.NewReader(b)
	default:
		j, _ := json.Marshal(b)
		r, ct = bytes.NewReader(j), "application/json"
	}
	var raw []byte
	if r != nil {
		raw, _ = io.ReadAll(r)
		r = bytes.NewReader(raw)
	}
	req := httptest.NewRequest(method, path, r)
	if r != nil {
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(raw)), nil }
	}
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	if p.role != "" {
		req.Header.Set("Authorization", "Bearer "+a.token(p))
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	a.srv.Handler().ServeHTTP(rec, req)
	checkOpenAPI(a.t, req, rec)
	return response{rec, a.t}
}

// want fails unless the status is status; it returns the response for chaining.
func (r response) want(status int) response {
	r.t.Helper()
	if r.Code != status {
		r.t.Fatalf("status %d, want %d: %s", r.Code, status, r.Body.String())
	}
	return r
}

// problem decodes a problem document and checks its code.
func (r response) problem(status int, code string) wire.Problem {
	r.t.Helper()
	r.want(status)
	var p wire.Problem
	if err := json.Unmarshal(r.Body.Bytes(), &p); err != nil {
		r.t.Fatal(err)
	}
	if ct := r.Header().Get("Content-Type"); ct != "application/problem+json" {
		r.t.Errorf("content type %q", ct)
	}
	if p.Code != code {
		r.t.Fatalf("code %q, want %q: %s", p.Code, code, r.Body.String())
	}
	if p.RequestID == "" {
		r.t.Errorf("problem without request_id: %s", r.Body.String())
	}
	return p
}

// decode decodes the JSON body into v.
func (r response) decode(v any) {
	r.t.Helper()
	if err := json.Unmarshal(r.Body.Bytes(), v); err != nil {
		r.t.Fatalf("%v: %s", err, r.Body.String())
	}
}

// caseBody is a valid submission by memberWang.
func caseBody() map[string]any {
	return map[string]any{
		"institute":    "BJ",
		"applicant":    map[string]any{"member_no": "110000000001", "name": "王会计师", "kind": "practising"},
		"counterparty": "某会计师事务所", "category": "labour", "summary": "前雇主拖欠三个月工资", "claims": "支付拖欠工资",
	}
}

// submit opens a case as memberWang and returns it.
func (a *testAPI) submit() wire.Case {
	a.t.Helper()
	var c wire.Case
	a.do(memberWang, "POST", "/api/v1/cases", caseBody()).want(http.StatusCreated).decode(&c)
	return c
}

// accepted opens a case and accepts it on the day of receipt.
func (a *testAPI) accepted() wire.Case {
	a.t.Helper()
	c := a.submit()
	a.setNow(shanghai("2026-12-03", 10, 0))
	a.do(secretaryBJ, "POST", "/api/v1/cases/"+c.Number+"/decision", map[string]any{"decision": "accept", "notice_served_on": "2026-12-03"}).want(http.StatusOK).decode(&c)
	return c
}

// addStaff puts an active person in the staff directory.
func (a *testAPI) addStaff(id, institute string, role article23.Role, name string) {
	a.t.Helper()
	if _, err := a.st.AddStaff(a.t.Context(), store.StaffMember{ID: id, Institute: institute, Role: role, Name: name, Active: true}); err != nil {
		a.t.Fatal(err)
	}
}

// escalate raises an escalation of case number's decision clock at level, as a breach would.
func escalate(t *testing.T, e *enginetest.Engine, number string, level int) {
	t.Helper()
	if err := e.Escalate(t.Context(), number, level); err != nil {
		t.Fatal(err)
	}
}
