// Package bench is weiquan's load generator: it drives N cases at concurrency C through the
// real HTTP API, worker and store (submit, then accept), and measures the ceiling — the same
// Temporal calls intake makes, issued directly on a no-op workflow on the same server with
// the same worker settings, without HTTP, authentication or the store — so the ratio of the
// two is weiquan's own overhead. It only talks to loopback addresses it starts itself.
package bench

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"

	"github.com/cicpa/weiquan/activities"
	"github.com/cicpa/weiquan/api"
	"github.com/cicpa/weiquan/auth"
	"github.com/cicpa/weiquan/calendar"
	"github.com/cicpa/weiquan/store"
	"github.com/cicpa/weiquan/worker"
)

// Limits keep a run bounded.
const (
	MaxCases       = 20000
	MaxConcurrency = 256
	MaxWorkers     = 4
)

// Options size a run.
type Options struct {
	Cases       int           // cases submitted and decided (and no-op workflows for the ceiling)
	Concurrency int           // requests in flight at once
	Timeout     time.Duration // the whole run; 0 means 10 minutes
	Logger      *slog.Logger  // the API's log (nil: discarded)
	// Workers is how many case workers (and ceiling workers) poll, each with its own sticky
	// queue and cache as separate processes have; 0 means 1.
	Workers int
	// Profile, when set, is called as each measured phase starts (PhaseIntake, PhaseDecide,
	// PhaseCeilingIntake, PhaseCeilingDecide) and the stop it returns when the phase ends: a
	// CPU profile per phase. Every phase serves Cases requests, so a component's samples in
	// two phases compare per request (internal/bench/scripts/phases.py). An error fails the run.
	Profile func(phase string) (stop func(), err error)
}

// The measured phases, as Options.Profile names them.
const (
	PhaseIntake        = "intake"
	PhaseDecide        = "decide"
	PhaseCeilingIntake = "ceiling-intake"
	PhaseCeilingDecide = "ceiling-decide"
)

// Validate refuses a run outside the limits.
func (o Options) Validate() error {
	switch {
	case o.Cases < 1 || o.Cases > MaxCases:
		return fmt.Errorf("--cases: want 1…%d, got %d", MaxCases, o.Cases)
	case o.Concurrency < 1 || o.Concurrency > MaxConcurrency:
		return fmt.Errorf("--concurrency: want 1…%d, got %d", MaxConcurrency, o.Concurrency)
	case o.Workers < 0 || o.Workers > MaxWorkers:
		return fmt.Errorf("--workers: want 1…%d, got %d", MaxWorkers, o.Workers)
	}
	return nil
}

// Result is what a run measured. Rates are per second of wall time of their phase;
// latencies are per request, in milliseconds.
type Result struct {
	Cases             int     `json:"cases"`
	Concurrency       int     `json:"concurrency"`
	Errors            int     `json:"errors"`
	IntakePerS        float64 `json:"intake_per_s"`  // POST /cases answered 201 per second
	CeilingPerS       float64 `json:"ceiling_per_s"` // the same Temporal calls on a no-op workflow
	P50ms             float64 `json:"p50_ms"`        // POST /cases
	P99ms             float64 `json:"p99_ms"`
	DecidePerS        float64 `json:"decide_per_s"` // POST /cases/{n}/decision (accept)
	DecideP50ms       float64 `json:"decide_p50_ms"`
	DecideP99ms       float64 `json:"decide_p99_ms"`
	CeilingP50ms      float64 `json:"ceiling_p50_ms"`
	CeilingP99ms      float64 `json:"ceiling_p99_ms"`
	CeilingDecidePerS float64 `json:"ceiling_decide_per_s"`
	// CPU time of the whole process per request of each phase, in milliseconds (Linux; 0
	// elsewhere): steadier than the rates on a shared machine, and on a CPU-bound one their
	// ratio is the rates' ratio upside down. The store's PostgreSQL is another process: not in it.
	IntakeCPUms        float64 `json:"intake_cpu_ms"`
	DecideCPUms        float64 `json:"decide_cpu_ms"`
	CeilingCPUms       float64 `json:"ceiling_cpu_ms"`
	CeilingDecideCPUms float64 `json:"ceiling_decide_cpu_ms"`
	Accepted202        int     `json:"accepted_202"` // submits answered before the deadline was computed
	FirstError         string  `json:"first_error,omitempty"`
}

// Ratio is intake throughput as a share of the ceiling.
func (r Result) Ratio() float64 {
	if r.CeilingPerS == 0 {
		return 0
	}
	return r.IntakePerS / r.CeilingPerS
}

// Run starts weiquan's worker and API (on 127.0.0.1, a fresh signing key) over c and st,
// runs the load, then the ceiling, and returns the figures. c should carry the payload codec
// the production processes use, so encryption is part of both measurements.
func Run(ctx context.Context, c client.Client, st *store.Store, o Options) (Result, error) {
	if err := o.Validate(); err != nil {
		return Result{}, err
	}
	if o.Timeout <= 0 {
		o.Timeout = 10 * time.Minute
	}
	ctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()
	o.Workers = max(o.Workers, 1)
	base, stop, err := startWeiquan(c, st, o.Logger, o.Workers)
	if err != nil {
		return Result{}, err
	}
	defer stop()
	r := Result{Cases: o.Cases, Concurrency: o.Concurrency}
	if err := runLoad(ctx, base, o, &r); err != nil {
		return r, err
	}
	if err := runCeiling(ctx, c, o, &r); err != nil {
		return r, err
	}
	return r, nil
}

// startWeiquan runs workers case workers and the API on a loopback port; stop ends them.
func startWeiquan(c client.Client, st *store.Store, log *slog.Logger, workers int) (*target, func(), error) {
	cal, err := calendar.Embedded()
	if err != nil {
		return nil, nil, err
	}
	holder := calendar.NewHolder(cal)
	var ws []sdkworker.Worker
	stopWorkers := func() {
		for _, w := range ws {
			w.Stop()
		}
	}
	for range workers {
		w := worker.New(c, &activities.Activities{Recorder: st, Marks: st, Calendar: holder, Cases: st}, worker.Options{})
		if err := w.Start(); err != nil {
			stopWorkers()
			return nil, nil, fmt.Errorf("start worker: %w", err)
		}
		ws = append(ws, w)
	}
	key, err := randomKey()
	if err != nil {
		stopWorkers()
		return nil, nil, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	a := api.New(api.Deps{Logger: log, Store: st, Engine: api.TemporalEngine{Client: c}, Calendar: holder,
		Verifier: auth.HS256Verifier{Key: key}, RatePerSecond: 1e6, Burst: 1e6})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		stopWorkers()
		return nil, nil, err
	}
	srv := &http.Server{Handler: a.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := srv.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("bench API stopped", "error", err)
		}
	}()
	stop := func() { _ = srv.Close(); stopWorkers() }
	return &target{url: "http://" + l.Addr().String(), key: key, http: newHTTPClient()}, stop, nil
}

// workerOptions are the settings worker.New gives the case worker, so the ceiling's worker
// polls the same way (keep in step with worker/worker.go).
func workerOptions() sdkworker.Options {
	return sdkworker.Options{MaxConcurrentWorkflowTaskPollers: 4, MaxConcurrentActivityTaskPollers: 4, WorkerStopTimeout: 10 * time.Second}
}
