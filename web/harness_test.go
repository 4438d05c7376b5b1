package web

import (
	"bytes"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cicpa/weiquan/api"
	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/auth"
	"github.com/cicpa/weiquan/calendar"
	"github.com/cicpa/weiquan/internal/enginetest"
	"github.com/cicpa/weiquan/notify"
	"github.com/cicpa/weiquan/store"
)

var testKey = []byte("0123456789abcdef0123456789abcdef")

// system is the real API (SQLite store, calendar, HS256 tokens) with the fake engine, and
// the console on top, served over HTTP with a pinned, movable clock.
type system struct {
	t       *testing.T
	st      *store.Store
	engine  *enginetest.Engine
	console *Console
	srv     *httptest.Server
	blobs   string // attachments and letters
	mu      sync.Mutex
	now     time.Time
	calls   []string // the API paths the console called, in order
}

// counting passes the console's API calls to api, keeping their paths.
func (s *system) counting(api http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.calls = append(s.calls, r.URL.Path)
		s.mu.Unlock()
		api.ServeHTTP(w, r)
	})
}

// apiCalls returns and forgets the API paths called since the last time.
func (s *system) apiCalls() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.calls
	s.calls = nil
	return out
}

// shanghai is a wall-clock instant in Asia/Shanghai.
func shanghai(date string, hh, mm int) time.Time {
	d, err := calendar.ParseDate(date)
	if err != nil {
		panic(err)
	}
	return d.Start().Add(time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute)
}

func newSystem(t *testing.T) *system {
	t.Helper()
	return newLimitedSystem(t, 1000, 1000)
}

// newLimitedSystem is newSystem with the API's rate limit at rate per second and burst.
func newLimitedSystem(t *testing.T, rate float64, burst int) *system {
	t.Helper()
	st, err := store.Open(t.Context(), "sqlite://"+filepath.Join(t.TempDir(), "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	if err := st.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	for _, m := range journeyStaff {
		if _, err := st.AddStaff(t.Context(), m); err != nil {
			t.Fatal(err)
		}
	}
	cal, err := calendar.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	s := &system{t: t, st: st, blobs: t.TempDir(), now: shanghai("2026-11-27", 20, 0)} // a Friday evening
	holder := calendar.NewHolder(cal)
	s.engine = enginetest.New(enginetest.Config{Store: st, Calendar: holder.Current, Now: s.clock,
		Unavailable: api.ErrEngineUnavailable, NotReady: api.ErrStartedNotReady})
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	apiSrv := api.New(api.Deps{Logger: quiet, Store: st, Engine: s.engine, Calendar: holder,
		Verifier: auth.HS256Verifier{Key: testKey, Now: s.clock}, Now: s.clock, BlobDir: s.blobs,
		Documents: &notify.Letters{Store: st, BlobDir: s.blobs}, RatePerSecond: rate, Burst: burst, SubmitWait: time.Second})
	s.console = New(Deps{API: s.counting(apiSrv.Handler()), SessionKey: testKey, Logger: quiet, Now: s.clock,
		Mint: func(o auth.MintOptions) (string, error) { return auth.Mint(testKey, o) }})
	s.srv = httptest.NewServer(s.console.Handler())
	t.Cleanup(s.srv.Close)
	return s
}

// journeyStaff are the people of the journeys in the staff directory, as `weiquan dev` seeds
// them: 李秘书 and 马秘书 (secretary2@BJ) of Beijing, 张处长, CICPA's supervisors and admin.
var journeyStaff = []store.StaffMember{
	{ID: "secretary@BJ", Institute: "BJ", Role: article23.RoleSecretary, Name: "李秘书", Email: "li@bj.example", Active: true},
	{ID: "secretary2@BJ", Institute: "BJ", Role: article23.RoleSecretary, Name: "马秘书", Email: "ma@bj.example", Active: true},
	{ID: "supervisor@BJ", Institute: "BJ", Role: article23.RoleSupervisor, Name: "张处长", Email: "zhang@bj.example", Active: true},
	{ID: "supervisor@CICPA", Institute: "CICPA", Role: article23.RoleSupervisor, Name: "注册管理部", Active: true},
	{ID: "admin@CICPA", Institute: "CICPA", Role: article23.RoleAdmin, Name: "系统管理员", Active: true},
}

// deliver drains the outbox once into the in-app inboxes, as the notify dispatcher does
// (outside working hours it delivers in-app at once and defers e-mail, which there is none of).
func (s *system) deliver() {
	s.t.Helper()
	d := notify.Dispatcher{Store: s.st, Channels: []notify.Channel{notify.InApp{Store: s.st}}, Recipients: notify.StoreRecipients{Store: s.st},
		Clock: s.clock, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	for {
		n, err := d.RunOnce(s.t.Context())
		if err != nil {
			s.t.Fatal(err)
		}
		if n == 0 {
			return
		}
	}
}

func (s *system) clock() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.now
}

func (s *system) setNow(t time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.now = t
}

// browser is an HTTP client with its own cookies: one person's browser.
type browser struct {
	t    *testing.T
	sys  *system
	c    *http.Client
	last string // the last page's HTML
}

func (s *system) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: s.t, sys: s, c: &http.Client{Jar: jar}}
}

// page is a response with its body read.
type page struct {
	status int
	url    string
	body   string
	header http.Header
}

func (b *browser) do(req *http.Request) page {
	b.t.Helper()
	res, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	b.last = string(body)
	return page{status: res.StatusCode, url: res.Request.URL.Path + "?" + res.Request.URL.RawQuery, body: string(body), header: res.Header}
}

func (b *browser) get(path string) page {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.sys.srv.URL+path, nil)
	return b.do(req)
}

// post submits the form whose action is action on the last page, with its form token and
// the given fields; files are attached as "file" when given.
func (b *browser) post(action string, fields url.Values, files ...string) page {
	b.t.Helper()
	return b.postToken(action, b.formToken(action), fields, files...)
}

func (b *browser) postToken(action, token string, fields url.Values, files ...string) page {
	b.t.Helper()
	contents := make(map[string][]byte, len(files))
	for _, f := range files {
		contents[f] = []byte("%PDF-1.4\n% test attachment\n")
	}
	return b.postContents(action, token, fields, files, contents)
}

// postFile submits the form posting to action with one file of the given content.
func (b *browser) postFile(action string, fields url.Values, name string, content []byte) page {
	b.t.Helper()
	return b.postContents(action, b.formToken(action), fields, []string{name}, map[string][]byte{name: content})
}

func (b *browser) postContents(action, token string, fields url.Values, files []string, contents map[string][]byte) page {
	b.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	if token != "" {
		_ = mw.WriteField("csrf", token)
	}
	for k, vs := range fields {
		for _, v := range vs {
			_ = mw.WriteField(k, v)
		}
	}
	for _, f := range files {
		w, _ := mw.CreateFormFile("file", f)
		_, _ = w.Write(contents[f])
	}
	_ = mw.Close()
	req, _ := http.NewRequest(http.MethodPost, b.sys.srv.URL+action, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return b.do(req)
}

var csrfInput = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// formToken is the form token of the first form on the last page posting to action.
func (b *browser) formToken(action string) string {
	b.t.Helper()
	i := strings.Index(b.last, `action="`+action+`"`)
	if i < 0 {
		b.t.Fatalf("no form posting to %s on the page:\n%s", action, b.last)
	}
	m := csrfInput.FindStringSubmatch(b.last[i:])
	if m == nil {
		b.t.Fatalf("form %s has no token", action)
	}
	return m[1]
}

// signIn uses the development sign-in as role at institute (member: with member number).
func (b *browser) signIn(role article23.Role, institute, member string) page {
	b.t.Helper()
	return b.signInAccount(role, institute, member, "")
}

// signInAccount signs in with an account (subject) of its own, e.g. secretary2@BJ.
func (b *browser) signInAccount(role article23.Role, institute, member, subject string) page {
	b.t.Helper()
	b.get("/signin")
	p := b.post("/signin", url.Values{"role": {string(role)}, "institute": {institute}, "member_no": {member}, "subject": {subject}})
	if p.status != http.StatusOK {
		b.t.Fatalf("sign in: %d %s", p.status, p.body)
	}
	return p
}

// submitCase submits a request as the signed-in member and returns the case page.
func (b *browser) submitCase() page {
	b.t.Helper()
	b.get("/cases/new")
	p := b.post("/cases", url.Values{"applicant.name": {"王会计师"}, "applicant.kind": {"practising"},
		"counterparty": {"某会计师事务所"}, "category": {"labour"}, "summary": {"前雇主拖欠三个月工资"}, "claims": {"支付拖欠工资"}}, "劳动合同.pdf")
	if p.status != http.StatusOK || !strings.HasPrefix(p.url, "/cases/") || p.caseNumber() == "new" {
		b.t.Fatalf("submit: %d at %s\n%s", p.status, p.url, p.body)
	}
	return p
}

// caseNumber is the case number of a case page's URL.
func (p page) caseNumber() string {
	path, _, _ := strings.Cut(p.url, "?")
	return strings.TrimPrefix(path, "/cases/")
}

func (p page) must(t *testing.T, status int, texts ...string) page {
	t.Helper()
	if p.status != status {
		t.Fatalf("status %d, want %d at %s\n%s", p.status, status, p.url, p.body)
	}
	for _, s := range texts {
		if !strings.Contains(p.body, s) {
			t.Fatalf("page %s lacks %q\n%s", p.url, s, p.body)
		}
	}
	return p
}

// escalate raises an escalation of case number's decision clock at level, as a breach would.
func escalate(t *testing.T, e *enginetest.Engine, number string, level int) {
	t.Helper()
	if err := e.Escalate(t.Context(), number, level); err != nil {
		t.Fatal(err)
	}
}
