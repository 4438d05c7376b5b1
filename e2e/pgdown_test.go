package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/cicpa/weiquan/api"
	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/internal/testenv"
	"github.com/cicpa/weiquan/store/storetest"
	"github.com/cicpa/weiquan/workflows"
)

// TestPostgresOutageUnderLoad stops the store's PostgreSQL (its own server) while cases are
// open and more arrive: reads fail fast with 503 "unavailable", submissions get 503 and are
// retried with their Idempotency-Key, actions get 503 (authorisation reads the store), the
// workflows' RecordEvent activities retry, and once the database is back nothing is lost.
func TestPostgresOutageUnderLoad(t *testing.T) {
	pg := storetest.StartServer(t)
	c := dialCodec(t, nsPGDown, nil)
	s, _ := startStack(t, c, storetest.Postgres(t, pg.URL()))
	member := s.token(article23.RoleMember, "BJ", "110000000001")
	secretary := s.token(article23.RoleSecretary, "BJ", "")
	today := time.Now().In(time.FixedZone("CST", 8*3600)).Format("2006-01-02")
	var numbers []string
	for i := range 3 {
		c := s.call(member, http.MethodPost, "/api/v1/cases", outageCase(i), http.StatusCreated)
		numbers = append(numbers, c.Number)
	}

	pg.Crash()
	t0 := time.Now()
	status, code := rawCall(t, s, member, http.MethodGet, "/api/v1/cases/"+numbers[0], "", nil)
	if status != http.StatusServiceUnavailable || code != "unavailable" || time.Since(t0) > 5*time.Second {
		t.Fatalf("read with the database down: %d %q after %s, want a fast 503 unavailable", status, code, time.Since(t0))
	}
	t.Logf("read failed in %s", time.Since(t0).Round(time.Millisecond))
	if status, code = rawCall(t, s, member, http.MethodPost, "/api/v1/cases", "outage-3", outageCase(3)); status != http.StatusServiceUnavailable {
		t.Fatalf("submit with the database down: %d %q, want 503", status, code)
	}
	// An action needs the store to authorise the caller: it fails fast too.
	decision := map[string]any{"decision": "accept", "notice_served_on": today}
	if status, code = rawCall(t, s, secretary, http.MethodPost, "/api/v1/cases/"+numbers[0]+"/decision", "d-0", decision); status != http.StatusServiceUnavailable {
		t.Fatalf("action with the database down: %d %q, want 503", status, code)
	}
	// Decisions that reached the workflows just before the outage (sent here straight to
	// Temporal) are decided now; their events wait in RecordEvent's retries for the database.
	eng := api.TemporalEngine{Client: c}
	for _, n := range numbers[:2] {
		d := workflows.Decide{Actor: article23.Actor{ID: "secretary@BJ", Role: article23.RoleSecretary, Institute: "BJ"}, Accept: true, NoticeServedOn: today}
		if _, err := eng.Update(t.Context(), n, workflows.DecideUpdate, d); err != nil {
			t.Fatalf("decide %s during the outage: %v", n, err)
		}
	}
	time.Sleep(2 * time.Second) // RecordEvent fails and backs off meanwhile

	pg.Start()
	if status, code = rawCall(t, s, member, http.MethodPost, "/api/v1/cases", "outage-3", outageCase(3)); status != http.StatusCreated {
		t.Fatalf("retried submit after the outage: %d %q", status, code)
	}
	for i, n := range numbers {
		want := article23.StageAccepted
		if i == 2 {
			want = article23.StageReceived
		}
		converged(t, s, eng, n, want)
	}
}

// converged waits until the store holds the workflow's whole event log, gapless, at stage want.
func converged(t *testing.T, s *stack, eng api.TemporalEngine, number string, want article23.Stage) {
	t.Helper()
	deadline := testenv.GiveUpAt(t) // the machine's speed only makes it wait longer
	for {
		v, err := s.st.Case(t.Context(), number)
		res, qerr := eng.Status(t.Context(), number)
		if err == nil && qerr == nil && v.Case.Stage == want && res.Case.Stage == want && len(v.Events) == len(res.Events) {
			for j, e := range v.Events {
				if e.Seq != int64(j+1) || res.Events[j].Type != e.Type {
					t.Fatalf("case %s: event %d is seq %d %s in the store, %s in the workflow", number, j, e.Seq, e.Type, res.Events[j].Type)
				}
			}
			return
		}
		if testenv.Past(deadline) {
			t.Fatalf("case %s did not converge: store %s (%d events, %v), workflow %s (%d events, %v)",
				number, v.Case.Stage, len(v.Events), err, res.Case.Stage, len(res.Events), qerr)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func outageCase(i int) map[string]any {
	return map[string]any{"institute": "BJ", "applicant": map[string]string{"member_no": "110000000001", "name": "王会计师", "kind": "practising"},
		"counterparty": "某所", "category": "labour", "summary": fmt.Sprintf("outage case %d", i), "claims": "x"}
}

// rawCall sends a request and returns the status and the problem code, whatever they are.
func rawCall(t *testing.T, s *stack, tok, method, path, idem string, body any) (int, string) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequestWithContext(t.Context(), method, s.url+path, rd)
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json")
	if idem != "" {
		req.Header.Set("Idempotency-Key", idem)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var p struct{ Code string }
	_ = json.NewDecoder(resp.Body).Decode(&p)
	return resp.StatusCode, p.Code
}
