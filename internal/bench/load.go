package bench

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/auth"
	"github.com/cicpa/weiquan/calendar"
	"github.com/cicpa/weiquan/internal/cputime"
)

// target is the API under load.
type target struct {
	url  string
	key  []byte
	http *http.Client
}

func newHTTPClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = MaxConcurrency
	return &http.Client{Transport: t, Timeout: time.Minute}
}

func randomKey() ([]byte, error) {
	b := make([]byte, 32)
	_, err := rand.Read(b)
	return b, err
}

// runLoad submits o.Cases cases at o.Concurrency, then accepts each, and records both.
func runLoad(ctx context.Context, t *target, o Options, r *Result) error {
	secretary, err := t.token(article23.RoleSecretary, "")
	if err != nil {
		return err
	}
	run := fmt.Sprintf("%x", time.Now().UnixNano()) // Idempotency-Keys unique per run
	numbers := make([]string, o.Cases)
	var mu sync.Mutex
	submit, err := phase(ctx, o, PhaseIntake, func(i int) error {
		tok, err := t.token(article23.RoleMember, memberNo(i))
		if err != nil {
			return err
		}
		var out struct{ Number string }
		status, err := t.post(ctx, tok, "/api/v1/cases", fmt.Sprintf("%s-submit-%d", run, i), caseBody(i), &out)
		if err == nil && status == http.StatusAccepted {
			mu.Lock()
			r.Accepted202++
			mu.Unlock()
		}
		numbers[i] = out.Number
		return err
	})
	if err != nil {
		return err
	}
	today := calendar.DateOf(time.Now()).String()
	decide, err := phase(ctx, o, PhaseDecide, func(i int) error {
		if numbers[i] == "" {
			return fmt.Errorf("case %d was not submitted", i)
		}
		body := map[string]any{"decision": "accept", "notice_served_on": today}
		_, err := t.post(ctx, secretary, "/api/v1/cases/"+numbers[i]+"/decision", fmt.Sprintf("%s-decide-%d", run, i), body, nil)
		return err
	})
	if err != nil {
		return err
	}
	r.Errors += submit.errors + decide.errors
	r.noteError(submit.firstErr, decide.firstErr)
	r.IntakePerS, r.P50ms, r.P99ms = submit.rate(), submit.pct(50), submit.pct(99)
	r.DecidePerS, r.DecideP50ms, r.DecideP99ms = decide.rate(), decide.pct(50), decide.pct(99)
	r.IntakeCPUms, r.DecideCPUms = submit.cpuPerOp(), decide.cpuPerOp()
	return nil
}

func memberNo(i int) string { return fmt.Sprintf("9%011d", i) }

func caseBody(i int) map[string]any {
	return map[string]any{
		"institute": "BJ", "applicant": map[string]string{"member_no": memberNo(i), "name": fmt.Sprintf("压测会员%d", i), "kind": "practising"},
		"counterparty": "某会计师事务所", "category": "labour", "summary": "离职后被拖欠三个月工资（压测）", "claims": "支付欠薪",
	}
}

func (t *target) token(role article23.Role, member string) (string, error) {
	return auth.Mint(t.key, auth.MintOptions{Role: role, Institute: "BJ", MemberNo: member, Now: time.Now()})
}

// post sends body as JSON with an Idempotency-Key; a non-2xx answer is an error.
func (t *target) post(ctx context.Context, tok, path, key string, body, out any) (int, error) {
	b, _ := json.Marshal(body)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.url+path, bytes.NewReader(b))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", key)
	resp, err := t.http.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 != 2 {
		return resp.StatusCode, fmt.Errorf("POST %s: %d %s", path, resp.StatusCode, raw)
	}
	if out != nil {
		return resp.StatusCode, json.Unmarshal(raw, out)
	}
	return resp.StatusCode, nil
}

// measured is one phase: its wall time, the CPU time the process used in it, each request's
// latency and the failures.
type measured struct {
	wall      time.Duration
	cpu       time.Duration
	latencies []time.Duration
	errors    int
	firstErr  error
}

// cpuPerOp is the phase's CPU time per request in milliseconds, 0 when not measured. The
// whole process's, including the work an earlier phase left running (timers, notifications).
func (m measured) cpuPerOp() float64 {
	if len(m.latencies) == 0 {
		return 0
	}
	return float64(m.cpu.Microseconds()) / 1000 / float64(len(m.latencies))
}

func (m measured) rate() float64 {
	ok := len(m.latencies) - m.errors
	if m.wall <= 0 {
		return 0
	}
	return float64(ok) / m.wall.Seconds()
}

// pct is the p-th percentile latency in milliseconds (nearest rank).
func (m measured) pct(p int) float64 {
	if len(m.latencies) == 0 {
		return 0
	}
	s := slices.Clone(m.latencies)
	slices.Sort(s)
	i := (p*len(s) + 99) / 100
	return float64(s[max(i, 1)-1].Microseconds()) / 1000
}

// phase runs do(0…Cases-1) on Concurrency goroutines and times each call. A failed call is
// counted, not fatal; the phase fails only when the run's context ends. name is the phase's
// for o.Profile ("" for one not profiled).
func phase(ctx context.Context, o Options, name string, do func(i int) error) (measured, error) {
	if o.Profile != nil && name != "" {
		stop, err := o.Profile(name)
		if err != nil {
			return measured{}, fmt.Errorf("profile of %s: %w", name, err)
		}
		defer stop()
	}
	var m measured
	var mu sync.Mutex
	next := make(chan int)
	var wg sync.WaitGroup
	start, cpu0 := time.Now(), cputime.Process()
	for range o.Concurrency {
		wg.Go(func() {
			for i := range next {
				t0 := time.Now()
				err := do(i)
				d := time.Since(t0)
				mu.Lock()
				m.latencies = append(m.latencies, d)
				if err != nil {
					m.errors++
					m.firstErr = cmpErr(m.firstErr, err)
				}
				mu.Unlock()
			}
		})
	}
	for i := range o.Cases {
		select {
		case next <- i:
		case <-ctx.Done():
		}
	}
	close(next)
	wg.Wait()
	m.wall, m.cpu = time.Since(start), cputime.Process()-cpu0
	if ctx.Err() != nil {
		return m, fmt.Errorf("bench did not finish in time: %w (first failure: %v)", ctx.Err(), m.firstErr)
	}
	return m, nil
}

func cmpErr(first, err error) error {
	if first != nil {
		return first
	}
	return err
}

// noteError keeps the first failure of a run, so a report with errors says what they were.
func (r *Result) noteError(errs ...error) {
	for _, err := range errs {
		if err != nil && r.FirstError == "" {
			r.FirstError = err.Error()
		}
	}
}
