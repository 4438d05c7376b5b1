package e2e

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/cicpa/weiquan/activities"
	"github.com/cicpa/weiquan/api"
	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/auth"
	"github.com/cicpa/weiquan/calendar"
	"github.com/cicpa/weiquan/internal/testenv"
	"github.com/cicpa/weiquan/store"
	"github.com/cicpa/weiquan/store/storetest"
	"github.com/cicpa/weiquan/worker"
)

var signingKey = []byte("e2e-signing-key-0123456789abcdef0123")

// stack is the whole system in-process on the package's Temporal server: real store, real
// worker and activities, the real API over HTTP.
type stack struct {
	t   *testing.T
	url string
	cal *calendar.Calendar
	st  *store.Store
	c   client.Client
}

func newStack(t *testing.T, ns string, st *store.Store) *stack {
	t.Helper()
	c := dial(t, ns)
	cal, err := calendar.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	holder := calendar.NewHolder(cal)
	w := worker.New(c, &activities.Activities{Recorder: st, Marks: st, Calendar: holder, Cases: st}, worker.Options{})
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Stop)
	a := api.New(api.Deps{Logger: slog.New(slog.DiscardHandler), Store: st, Engine: api.TemporalEngine{Client: c},
		Calendar: holder, Verifier: auth.HS256Verifier{Key: signingKey}, BlobDir: t.TempDir(), RatePerSecond: 1000, Burst: 1000})
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(srv.Close)
	return &stack{t: t, url: srv.URL, cal: cal, st: st, c: c}
}

func (s *stack) token(role article23.Role, institute, member string) string {
	tok, err := auth.Mint(signingKey, auth.MintOptions{Role: role, Institute: institute, MemberNo: member, Now: time.Now()})
	if err != nil {
		s.t.Fatal(err)
	}
	return tok
}

type caseJSON struct {
	Number string          `json:"number"`
	Stage  article23.Stage `json:"stage"`
	Clocks []struct {
		Name        article23.ClockName  `json:"name"`
		DueDate     string               `json:"due_date"`
		DeadlineAt  time.Time            `json:"deadline_at"`
		State       article23.ClockState `json:"state"`
		Explanation string               `json:"explanation"`
	} `json:"clocks"`
	Events []article23.Event `json:"events"`
}

func (s *stack) call(tok, method, path string, body any, want int) caseJSON {
	s.t.Helper()
	var c caseJSON
	_ = json.Unmarshal(s.raw(tok, method, path, body, want), &c)
	return c
}

// due asserts that the case's clock is due exactly when the calendar says.
func (s *stack) due(c caseJSON, name article23.ClockName, start string, n int) {
	s.t.Helper()
	d, _ := calendar.ParseDate(start)
	want, err := s.cal.Due(d, n)
	if err != nil {
		s.t.Fatal(err)
	}
	for _, k := range c.Clocks {
		if k.Name == name {
			if k.DueDate != want.Due.String() || !k.DeadlineAt.Equal(want.DeadlineAt) || k.Explanation == "" {
				s.t.Fatalf("%s clock due %s at %s, calendar says %s at %s", name, k.DueDate, k.DeadlineAt, want.Due, want.DeadlineAt)
			}
			return
		}
	}
	s.t.Fatalf("case has no %s clock: %+v", name, c.Clocks)
}

// waitStage polls the read model (the store) until the case reaches stage.
func (s *stack) waitStage(tok, number string, stage article23.Stage) caseJSON {
	s.t.Helper()
	var c caseJSON
	testenv.WaitFor(s.t, 100*time.Millisecond, func() bool {
		c = s.call(tok, http.MethodGet, "/api/v1/cases/"+number, nil, http.StatusOK)
		return c.Stage == stage
	}, "case %s never reached %s in the read model", number, stage)
	return c
}

// fullCase: a member submits, the secretary accepts, records the committee meeting and the
// feedback and closes; every due date equals the calendar's and the store agrees.
func fullCase(t *testing.T, s *stack) {
	member := s.token(article23.RoleMember, "BJ", "110000000001")
	secretary := s.token(article23.RoleSecretary, "BJ", "")
	other := s.token(article23.RoleMember, "BJ", "110000000002")
	today := calendar.DateOf(time.Now()).String()
	c := s.call(member, http.MethodPost, "/api/v1/cases", map[string]any{
		"institute": "BJ", "applicant": map[string]string{"member_no": "110000000001", "name": "王会计师", "kind": "practising"},
		"counterparty": "某会计师事务所", "category": "labour", "summary": "离职后被拖欠三个月工资", "claims": "支付欠薪",
	}, http.StatusCreated)
	s.due(c, article23.ClockDecision, today, 15)
	s.call(other, http.MethodGet, "/api/v1/cases/"+c.Number, nil, http.StatusNotFound)

	// The action answers with the workflow's state at once; the read model follows.
	c = s.call(secretary, http.MethodPost, "/api/v1/cases/"+c.Number+"/decision", map[string]any{"decision": "accept", "notice_served_on": today}, http.StatusOK)
	s.due(c, article23.ClockCommittee, today, 30)
	s.due(c, article23.ClockFeedback, today, 60)
	s.due(c, article23.ClockCap, today, 90)
	s.call(secretary, http.MethodPost, "/api/v1/cases/"+c.Number+"/decision", map[string]any{"decision": "accept", "notice_served_on": today}, http.StatusConflict)

	s.call(secretary, http.MethodPost, "/api/v1/cases/"+c.Number+"/committee-meeting",
		map[string]any{"held_on": today, "members_present": []string{"张委员", "刘委员"}, "expert_opinion": "支持会员主张"}, http.StatusOK)
	s.call(secretary, http.MethodPost, "/api/v1/cases/"+c.Number+"/feedback",
		map[string]any{"given_on": today, "manner": "letter", "summary": "已书面反馈专家意见"}, http.StatusOK)
	s.call(secretary, http.MethodPost, "/api/v1/cases/"+c.Number+"/closure", map[string]any{}, http.StatusOK)
	c = s.waitStage(member, c.Number, article23.StageClosed)
	s.due(c, article23.ClockFeedback, today, 60)
	for _, k := range c.Clocks {
		if k.Name != article23.ClockCap && k.State != article23.ClockMet {
			t.Errorf("clock %s is %s after an on-time case", k.Name, k.State)
		}
	}
	v, err := s.st.Case(t.Context(), c.Number)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int64]bool{}
	for i, e := range v.Events {
		if seen[e.Seq] || e.Seq != int64(i+1) {
			t.Fatalf("event log not gapless and unique: %d at %d", e.Seq, i)
		}
		seen[e.Seq] = true
	}
	if v.Events[len(v.Events)-1].Type != article23.EventClosed {
		t.Fatalf("last event %s", v.Events[len(v.Events)-1].Type)
	}
}

func TestCaseThroughAPIOnSQLite(t *testing.T) {
	fullCase(t, newStack(t, nsSQLite, storetest.SQLite(t)))
}

func TestCaseThroughAPIOnPostgres(t *testing.T) {
	url := storetest.PostgresURL()
	if url == "" {
		t.Skip("WEIQUAN_TEST_DATABASE_URL not set (.ci/run sets it)")
	}
	fullCase(t, newStack(t, nsPostgres, storetest.Postgres(t, url)))
}
