package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"

	"github.com/cicpa/weiquan/api"
	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/auth"
	"github.com/cicpa/weiquan/calendar"
	"github.com/cicpa/weiquan/internal/testenv"
	"github.com/cicpa/weiquan/reconcile"
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
	rng := seededRand(t)
	dir := t.TempDir()
	port, tport := freePort(t), freePort(t)
	p := startDev(t, dir, port, tport)
	p.waitReady(t, time.Now())
	key, err := readDevKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	load := newCrashLoad(key, cases, p.api)
	ctx, cancel := context.WithTimeout(t.Context(), 80*time.Second)
	defer cancel()
	done := make(chan struct{})
	go func() { defer close(done); load.run(ctx, clients) }()
	load.killDuring(ctx, rng, kills, func(k int) {
		answered := load.answered()
		if err := p.cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		<-p.waited
		t.Logf("kill %d after %d of %d requests answered", k+1, answered, load.total())
		p = startDev(t, dir, port, tport)
		p.waitReady(t, time.Now())
	})
	<-done
	load.check(t, ctx.Err())
	st, err := store.Open(t.Context(), "sqlite://"+filepath.Join(dir, "weiquan.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	checkConverged(t, st, dialDev(t, dir, tport), load)
	// and the operator's tool, run as the operator runs it, finds nothing to report
	var out bytes.Buffer
	if err := runReconcile(t.Context(), []string{"--data-dir", dir, "--temporal-address", fmt.Sprintf("127.0.0.1:%d", tport)}, &out, io.Discard); err != nil {
		t.Fatalf("weiquan reconcile after the kills: %v\n%s", err, out.String())
	}
	if last := strings.TrimSpace(out.String()); last != fmt.Sprintf(`{"checked":%d,"differ":0,"repaired":0}`, cases) {
		t.Fatalf("weiquan reconcile after the kills printed %s", last)
	}
}

// seededRand is the random source of a test's kill points; its seed is logged so that a
// failure can be replayed.
func seededRand(t *testing.T) *rand.Rand {
	t.Helper()
	seed := time.Now().UnixNano()
	t.Logf("seed %d", seed)
	return rand.New(rand.NewPCG(uint64(seed), 1))
}

// crashLoad is the clients: request i submits case i, and even cases are then accepted.
// Every attempt goes to the next of apis in turn, as a round-robin load balancer sends it.
type crashLoad struct {
	apis    []string
	turn    atomic.Uint64
	key     []byte
	http    *http.Client
	numbers []string
	paperOn string // "YYYY-MM-DD": see paper
	mu      sync.Mutex
	acks    int
	refused []string       // definitive answers other than success: each one a failure
	seen    map[string]int // answers by status ("error" for no answer), for the log
}

func newCrashLoad(key []byte, cases int, apis ...string) *crashLoad {
	return &crashLoad{apis: apis, key: key, numbers: make([]string, cases), http: &http.Client{Timeout: 20 * time.Second},
		seen: map[string]int{}}
}

// paper reports whether request i registers paper materials received on paperOn (every
// third case from the second, when paperOn is set): their decision deadline and its
// escalation have passed, so the breach and both escalation levels fire at once.
func (l *crashLoad) paper(i int) bool { return l.paperOn != "" && i%3 == 1 }

// decides reports whether case i is accepted after its submission: the even ones. A paper
// case's acceptance may reach the workflow in its first task, together with the alarms that
// are long due; when that task's worker is killed after it recorded, the retried task may
// take the acceptance first and number the events differently: the store then supersedes
// what the discarded task recorded (store.Record), which checkConverged proves.
func (l *crashLoad) decides(i int) bool { return i%2 == 0 }

func (l *crashLoad) answered() int { l.mu.Lock(); defer l.mu.Unlock(); return l.acks }

// total is the number of requests the load makes: a submission per case and a decision per
// case it decides.
func (l *crashLoad) total() int {
	n := len(l.numbers)
	for i := range l.numbers {
		if l.decides(i) {
			n++
		}
	}
	return n
}

func (l *crashLoad) run(ctx context.Context, clients int) {
	next := make(chan int, len(l.numbers))
	for i := range l.numbers {
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

// killDuring calls kill(k) kills times at random points of the load: kill k after a random
// number of answered requests within the k-th equal share of them, then up to 150 ms more
// so that it lands inside a request. kill kills and restarts; the load goes on meanwhile.
func (l *crashLoad) killDuring(ctx context.Context, rng *rand.Rand, kills int, kill func(k int)) {
	total := l.total()
	for k := range kills {
		at := (k*total)/kills + 1 + rng.IntN(total/kills-1)
		for l.answered() < at && ctx.Err() == nil {
			time.Sleep(5 * time.Millisecond)
		}
		time.Sleep(time.Duration(rng.IntN(150)) * time.Millisecond)
		kill(k)
	}
}

// check fails the test unless the load finished (ctxErr is its context's error) with every
// request acknowledged.
func (l *crashLoad) check(t *testing.T, ctxErr error) {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.refused) > 0 {
		t.Fatalf("%d requests refused:\n%s", len(l.refused), strings.Join(l.refused, "\n"))
	}
	if ctxErr != nil || l.acks != l.total() {
		t.Fatalf("load did not finish: %v (answered %d of %d)", ctxErr, l.acks, l.total())
	}
	t.Logf("answers by status: %v", l.seen)
}

func (l *crashLoad) submitAndDecide(ctx context.Context, i int) {
	member := fmt.Sprintf("8%011d", i)
	tok, _ := auth.Mint(l.key, auth.MintOptions{Role: article23.RoleMember, Institute: "BJ", MemberNo: member, Now: time.Now()})
	body := map[string]any{"institute": "BJ", "applicant": map[string]string{"member_no": member, "name": "崩溃测试", "kind": "practising"},
		"counterparty": "某所", "category": "labour", "summary": fmt.Sprintf("case %d", i), "claims": "x"}
	if l.paper(i) { // paper materials a secretary registers, received long ago
		tok, _ = auth.Mint(l.key, auth.MintOptions{Role: article23.RoleSecretary, Institute: "BJ", Now: time.Now()})
		body["received_on"] = l.paperOn
	}
	var out struct{ Number string }
	l.retry(ctx, tok, "/api/v1/cases", fmt.Sprintf("crash-submit-%d", i), body, &out)
	l.mu.Lock()
	l.numbers[i] = out.Number
	l.mu.Unlock()
	if l.decides(i) && out.Number != "" {
		sec, _ := auth.Mint(l.key, auth.MintOptions{Role: article23.RoleSecretary, Institute: "BJ", Now: time.Now()})
		today := calendar.DateOf(time.Now()).String()
		l.retry(ctx, sec, "/api/v1/cases/"+out.Number+"/decision", fmt.Sprintf("crash-decide-%d", i),
			map[string]any{"decision": "accept", "notice_served_on": today}, nil)
	}
}

// retryable are the answers a client retries besides a failed connection or a timeout: a
// dependency unavailable, a 404 for an action on a case whose first record the store has
// not taken yet, and a 429 (after its Retry-After) when the retries of one subject's requests
// during an outage exceed the API's rate limit.
var retryable = map[int]bool{http.StatusNotFound: true, http.StatusTooManyRequests: true, http.StatusBadGateway: true,
	http.StatusServiceUnavailable: true, http.StatusGatewayTimeout: true}

// retry posts until the API answers 200, 201 or 202, retrying with the same Idempotency-Key
// every 100 ms (or after a 429's Retry-After) as a careful client does. Any other answer is
// final and a failure: a 409 or 422 is what a retry applied twice gets, a 500 a crash the API
// does not understand.
func (l *crashLoad) retry(ctx context.Context, tok, path, idem string, body, out any) {
	b, _ := json.Marshal(body)
	for ctx.Err() == nil {
		api := l.apis[l.turn.Add(1)%uint64(len(l.apis))]
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, api+path, bytes.NewReader(b))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Idempotency-Key", idem)
		resp, err := l.http.Do(req)
		l.mu.Lock()
		if err != nil {
			l.seen["error"]++
		} else {
			l.seen[strconv.Itoa(resp.StatusCode)]++
		}
		l.mu.Unlock()
		pause := 100 * time.Millisecond
		if err == nil {
			if resp.StatusCode == http.StatusTooManyRequests {
				secs, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
				pause = time.Duration(max(1, secs)) * time.Second
			}
			var msg []byte
			ok := resp.StatusCode/100 == 2
			if ok && out != nil {
				ok = json.NewDecoder(resp.Body).Decode(out) == nil
			} else if !ok {
				msg, _ = io.ReadAll(io.LimitReader(resp.Body, 500))
			}
			resp.Body.Close()
			final := !ok && !retryable[resp.StatusCode]
			if ok || final {
				l.mu.Lock()
				if ok {
					l.acks++
				} else {
					l.refused = append(l.refused, fmt.Sprintf("%s (%s): %s %s", path, idem, resp.Status, msg))
				}
				l.mu.Unlock()
				return
			}
		}
		time.Sleep(pause)
	}
}

// checkConverged waits until every case's store record and workflow agree on the stage its
// actions imply, with the same gapless event log; the store holds no extra case and
// Temporal no extra case workflow.
func checkConverged(t *testing.T, st *store.Store, c client.Client, load *crashLoad) {
	numbers := load.numbers
	t.Helper()
	ctx := t.Context()
	// What a killed worker held is retried once Temporal times it out: a workflow task (and
	// the recording inside it) after 10 s, a RecordEvent activity of a case started before
	// local recording after 10 s; the last cases may take that long to converge.
	deadline := testenv.GiveUpAt(t) // the machine's speed only makes it wait longer
	seen := map[string]int{}
	for i, n := range numbers {
		if prev, dup := seen[n]; dup || n == "" {
			t.Fatalf("requests %d and %d share case %q", prev, i, n)
		}
		seen[n] = i
		want := article23.StageReceived
		if load.decides(i) {
			want = article23.StageAccepted
		}
		var last string
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
			if testenv.Past(deadline) {
				t.Fatalf("case %s (request %d) did not converge: %s", n, i, last)
			}
			time.Sleep(200 * time.Millisecond)
		}
	}
	page, err := st.ListCases(ctx, store.CaseFilter{Institutes: []string{"BJ"}, Limit: 500})
	if err != nil || len(page.Cases) != len(numbers) {
		t.Fatalf("store holds %d cases for %d requests (%v)", len(page.Cases), len(numbers), err)
	}
	// visibility is eventually consistent: wait for it to list exactly the cases' workflows
	for {
		ids, err := caseWorkflowIDs(ctx, c)
		missing := 0
		for _, n := range numbers {
			if !ids[workflows.CaseWorkflowID(n)] {
				missing++
			}
		}
		if err == nil && missing == 0 && len(ids) == len(numbers) {
			break
		}
		if testenv.Past(deadline) {
			t.Fatalf("Temporal lists %d case workflows for %d requests, %d of them missing (%v)", len(ids), len(numbers), missing, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	requireReconciled(t, st, c)
}

// requireReconciled fails the test unless reconcile finds the store and every workflow in
// step: what `weiquan reconcile` would print after a crash or an outage.
func requireReconciled(t *testing.T, st *store.Store, c client.Client) {
	t.Helper()
	running, err := reconcile.Running(t.Context(), c)
	if err != nil {
		t.Fatal(err)
	}
	r, err := reconcile.Check(t.Context(), st, api.TemporalEngine{Client: c}, running)
	if err != nil || r.Differ != 0 {
		t.Fatalf("reconcile: %+v %+v %v", r, r.Differences, err)
	}
}

// caseWorkflowIDs lists the IDs of every case workflow, running or closed.
func caseWorkflowIDs(ctx context.Context, c client.Client) (map[string]bool, error) {
	ids := map[string]bool{}
	var token []byte
	for {
		resp, err := c.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{
			PageSize: 100, NextPageToken: token, Query: "WorkflowType = 'CaseWorkflow'"})
		if err != nil {
			return ids, err
		}
		for _, e := range resp.Executions {
			ids[e.GetExecution().GetWorkflowId()] = true
		}
		if token = resp.NextPageToken; len(token) == 0 {
			return ids, nil
		}
	}
}

// agree returns "" when store and workflow both show stage want with the same gapless log,
// in which the case was received once and, if accepted, accepted once.
func agree(v store.CaseView, res workflows.StatusResult, want article23.Stage, err error) string {
	switch {
	case err != nil:
		return err.Error()
	case v.Case.Stage != want || res.Case.Stage != want:
		return fmt.Sprintf("store %s, workflow %s, want %s", v.Case.Stage, res.Case.Stage, want)
	case len(v.Events) != len(res.Events):
		return fmt.Sprintf("store has %d events, workflow %d", len(v.Events), len(res.Events))
	}
	count := map[article23.EventType]int{}
	for i, e := range v.Events {
		if e.Seq != int64(i+1) || res.Events[i].Seq != e.Seq || res.Events[i].Type != e.Type {
			return fmt.Sprintf("event %d: store seq %d %s, workflow seq %d %s", i, e.Seq, e.Type, res.Events[i].Seq, res.Events[i].Type)
		}
		count[e.Type]++
	}
	accepted := 0
	if want == article23.StageAccepted {
		accepted = 1
	}
	if count[article23.EventReceived] != 1 || count[article23.EventAccepted] != accepted {
		return fmt.Sprintf("received %d times and accepted %d times, want 1 and %d", count[article23.EventReceived], count[article23.EventAccepted], accepted)
	}
	return ""
}

// firstNumber is the number of the first case a submission was answered with, or "".
func (l *crashLoad) firstNumber() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, n := range l.numbers {
		if n != "" {
			return n
		}
	}
	return ""
}
