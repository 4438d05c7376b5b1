package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/auth"
	"github.com/cicpa/weiquan/calendar"
	"github.com/cicpa/weiquan/store"
	"github.com/cicpa/weiquan/workflows"
)

// TestCrashKill9UnderLoad kills `weiquan dev` with SIGKILL at random points while clients
// submit cases and accept half of them, retrying each request with its Idempotency-Key until
// it is answered. After the last restart every request has exactly one case, each case
// reaches the stage its actions imply, the store and the workflow agree, and every event log
// is gapless with no duplicate.
func TestCrashKill9UnderLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("kills and restarts the whole system")
	}
	const cases, clients, kills = 20, 4, 2
	seed := time.Now().UnixNano()
	rng := rand.New(rand.NewPCG(uint64(seed), 1))
	t.Logf("seed %d", seed)
	dir := t.TempDir()
	port, tport := freePort(t), freePort(t)
	p := startDev(t, dir, port, tport)
	p.waitReady(t, time.Now())
	key, err := readDevKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	load := &crashLoad{api: p.api, key: key, numbers: make([]string, cases), http: &http.Client{Timeout: 20 * time.Second}}
	ctx, cancel := context.WithTimeout(t.Context(), 80*time.Second)
	defer cancel()
	done := make(chan struct{})
	go func() { defer close(done); load.run(ctx, cases, clients) }()
	// kill at random points of the load: after a random number of answered requests
	total := cases + cases/2
	for k := range kills {
		at := (k*total)/kills + 1 + rng.IntN(total/kills-1)
		for load.answered() < at && ctx.Err() == nil {
			time.Sleep(5 * time.Millisecond)
		}
		time.Sleep(time.Duration(rng.IntN(150)) * time.Millisecond) // land inside a request
		if err := p.cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		<-p.waited
		t.Logf("kill %d after %d of %d requests answered", k+1, load.answered(), total)
		p = startDev(t, dir, port, tport)
		p.waitReady(t, time.Now())
	}
	<-done
	if ctx.Err() != nil {
		t.Fatalf("load did not finish: %v (answered %d)", ctx.Err(), load.answered())
	}
	checkConverged(t, dir, tport, load.numbers)
}

// crashLoad is the clients: request i submits case i, and even cases are then accepted.
type crashLoad struct {
	api     string
	key     []byte
	http    *http.Client
	numbers []string
	mu      sync.Mutex
	acks    int
}

func (l *crashLoad) answered() int { l.mu.Lock(); defer l.mu.Unlock(); return l.acks }

func (l *crashLoad) run(ctx context.Context, cases, clients int) {
	next := make(chan int, cases)
	for i := range cases {
		next <- i
	}
	close(next)
	var wg sync.WaitGroup
	for range clients {
		wg.Go(func() {
			for i := range next {
				l.submitAndDecide(ctx, i)
			}
		})
	}
	wg.Wait()
}

func (l *crashLoad) submitAndDecide(ctx context.Context, i int) {
	member := fmt.Sprintf("8%011d", i)
	tok, _ := auth.Mint(l.key, auth.MintOptions{Role: article23.RoleMember, Institute: "BJ", MemberNo: member, Now: time.Now()})
	body := map[string]any{"institute": "BJ", "applicant": map[string]string{"member_no": member, "name": "崩溃测试", "kind": "practising"},
		"counterparty": "某所", "category": "labour", "summary": fmt.Sprintf("case %d", i), "claims": "x"}
	var out struct{ Number string }
	l.retry(ctx, tok, "/api/v1/cases", fmt.Sprintf("crash-submit-%d", i), body, &out)
	l.numbers[i] = out.Number
	if i%2 == 0 && out.Number != "" {
		sec, _ := auth.Mint(l.key, auth.MintOptions{Role: article23.RoleSecretary, Institute: "BJ", Now: time.Now()})
		today := calendar.DateOf(time.Now()).String()
		l.retry(ctx, sec, "/api/v1/cases/"+out.Number+"/decision", fmt.Sprintf("crash-decide-%d", i),
			map[string]any{"decision": "accept", "notice_served_on": today}, nil)
	}
}

// retry posts until the API answers 200, 201 or 202: a connection refused by a dead process,
// a 503 or a timeout is retried with the same Idempotency-Key, as a careful client does.
func (l *crashLoad) retry(ctx context.Context, tok, path, idem string, body, out any) {
	b, _ := json.Marshal(body)
	for ctx.Err() == nil {
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, l.api+path, bytes.NewReader(b))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Idempotency-Key", idem)
		resp, err := l.http.Do(req)
		if err == nil {
			ok := resp.StatusCode/100 == 2
			if ok && out != nil {
				ok = json.NewDecoder(resp.Body).Decode(out) == nil
			}
			resp.Body.Close()
			if ok {
				l.mu.Lock()
				l.acks++
				l.mu.Unlock()
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// checkConverged waits until every case's store record and workflow agree on the stage its
// actions imply, with the same gapless event log; and the store holds no extra case.
func checkConverged(t *testing.T, dir string, tport int, numbers []string) {
	t.Helper()
	ctx := t.Context()
	st, err := store.Open(ctx, "sqlite://"+filepath.Join(dir, "weiquan.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c := dialDev(t, dir, tport)
	seen := map[string]int{}
	for i, n := range numbers {
		if prev, dup := seen[n]; dup || n == "" {
			t.Fatalf("requests %d and %d share case %q", prev, i, n)
		}
		seen[n] = i
		want := article23.StageReceived
		if i%2 == 0 {
			want = article23.StageAccepted
		}
		var last string
		deadline := time.Now().Add(30 * time.Second)
		for {
			v, err := st.Case(ctx, n)
			var res workflows.StatusResult
			if err == nil {
				var q interface{ Get(any) error }
				if q, err = c.QueryWorkflow(ctx, workflows.CaseWorkflowID(n), "", workflows.StatusQuery); err == nil {
					err = q.Get(&res)
				}
			}
			if last = agree(v, res, want, err); last == "" {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("case %s (request %d) did not converge: %s", n, i, last)
			}
			time.Sleep(200 * time.Millisecond)
		}
	}
	page, err := st.ListCases(ctx, store.CaseFilter{Institutes: []string{"BJ"}, Limit: 500})
	if err != nil || len(page.Cases) != len(numbers) {
		t.Fatalf("store holds %d cases for %d requests (%v)", len(page.Cases), len(numbers), err)
	}
}

// agree returns "" when store and workflow both show stage want with the same gapless log.
func agree(v store.CaseView, res workflows.StatusResult, want article23.Stage, err error) string {
	switch {
	case err != nil:
		return err.Error()
	case v.Case.Stage != want || res.Case.Stage != want:
		return fmt.Sprintf("store %s, workflow %s, want %s", v.Case.Stage, res.Case.Stage, want)
	case len(v.Events) != len(res.Events):
		return fmt.Sprintf("store has %d events, workflow %d", len(v.Events), len(res.Events))
	}
	for i, e := range v.Events {
		if e.Seq != int64(i+1) || res.Events[i].Seq != e.Seq || res.Events[i].Type != e.Type {
			return fmt.Sprintf("event %d: store seq %d %s, workflow seq %d %s", i, e.Seq, e.Type, res.Events[i].Seq, res.Events[i].Type)
		}
	}
	return ""
}
