package bench

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/calendar"
	"github.com/cicpa/weiquan/store"
	"github.com/cicpa/weiquan/workflows"
)

// MaxOpenCases bounds a capacity run.
const MaxOpenCases = 20000

// CapacityOptions size a capacity run.
type CapacityOptions struct {
	Cases       int            // open cases
	Concurrency int            // starts and signals in flight
	Idle        time.Duration  // the idle measurement; 0 means 10 s
	Worker      *WorkerProcess // the `weiquan worker` holding the cases, measured on its own
	CalendarDir string         // the worker's WEIQUAN_CALENDAR_DIR: the reload's year file goes here
	CacheSize   int            // the worker's workflow cache, which the re-arm ceiling's worker gets too
}

// Capacity is what holding many open cases costs: the worker process on its own, and the
// bench process (embedded Temporal server, store, the client starting and signalling cases).
type Capacity struct {
	Cases          int     `json:"open_cases"`
	StartPerS      float64 `json:"start_per_s"`      // case workflows started directly (no HTTP)
	AllOpenS       float64 `json:"all_open_s"`       // until every case recorded its receipt
	OutboxSettledS float64 `json:"outbox_settled_s"` // then until the worker's dispatcher had nothing due
	OutboxPending  int64   `json:"outbox_pending"`   // notifications still due or in flight at idle (0 once settled)
	IdleS          float64 `json:"idle_s"`           // length of the idle measurement
	ReloadSignalS  float64 `json:"reload_signal_s"`  // the reload workflow signalling every case, until it ended
	ReloadAllS     float64 `json:"reload_all_s"`     // until every case re-armed its clocks
	// The re-arm ceiling: as many no-op workflows holding one timer, started the same way on the
	// fresh server before the cases and signalled by this process's client (--concurrency in
	// flight), each re-arming its timer (no activity, no store, no reload workflow): what
	// Temporal alone takes for the reload on this machine.
	CeilingReloadSignalS float64 `json:"ceiling_reload_signal_s"`
	CeilingReloadAllS    float64 `json:"ceiling_reload_all_s"`
	Worker               Figures `json:"worker"`        // the `weiquan worker` child
	Server               Figures `json:"bench_process"` // this process: Temporal server, store, client
}

// Figures are one process's memory and CPU over the phases of a capacity run. CPU is
// utime + stime; 100 % is one core.
type Figures struct {
	OpenCPUS     float64 `json:"open_cpu_s"`           // CPU seconds while the cases opened
	IdleRSSMiB   float64 `json:"idle_rss_mib"`         // VmRSS at the end of the idle measurement
	IdleAnonMiB  float64 `json:"idle_anon_mib"`        // RssAnon then: VmRSS less mapped files (the binary's pages)
	IdlePeakMiB  float64 `json:"idle_peak_mib"`        // VmHWM then: the most it had held so far
	IdleCPUPct   float64 `json:"idle_cpu_pct"`         // CPU over the idle measurement
	ReloadCPUS   float64 `json:"reload_cpu_s"`         // CPU seconds from the first signal to the last re-arm
	AfterRSSMiB  float64 `json:"after_reload_rss_mib"` // VmRSS once every case re-armed
	AfterPeakMiB float64 `json:"after_reload_peak_mib"`
}

// capNumber is the case number of the i-th case of a capacity run.
func capNumber(i int) string { return fmt.Sprintf("BJ-CAP-%06d", i) }

// RunCapacity first measures the re-arm ceiling (runRearmCeiling), then opens o.Cases cases
// waiting on their timers, held by the worker child
// o.Worker; waits until every case recorded its receipt (counted in the store) and the
// worker's dispatcher has settled the notifications they queued; measures both processes at
// idle; then reloads the calendar as an admin's upload does (a new year file in the shared
// calendar directory, then the CalendarReloadWorkflow that signals every open case with its
// version) and times until every case recorded its calendar_updated event (clocks
// recomputed, timers re-armed).
func RunCapacity(ctx context.Context, c client.Client, st *store.Store, o CapacityOptions) (Capacity, error) {
	if o.Cases < 1 || o.Cases > MaxOpenCases {
		return Capacity{}, fmt.Errorf("--open-cases: want 1…%d, got %d", MaxOpenCases, o.Cases)
	}
	if o.Idle <= 0 {
		o.Idle = 10 * time.Second
	}
	if o.CacheSize < 1 {
		return Capacity{}, fmt.Errorf("capacity: the worker's cache size is %d", o.CacheSize)
	}
	res := Capacity{Cases: o.Cases}
	ceiling, err := runRearmCeiling(ctx, c, o)
	if err != nil {
		return res, err
	}
	res.CeilingReloadSignalS, res.CeilingReloadAllS = ceiling.SignalS, ceiling.AllS
	p := pair{worker: o.Worker.PID()}
	if err := p.mark(); err != nil {
		return res, err
	}
	po := Options{Cases: o.Cases, Concurrency: o.Concurrency}
	t0 := time.Now()
	started, err := phase(ctx, po, "", func(i int) error {
		in := workflows.NewCaseInput(ceilingCase(i))
		in.Case.Number = capNumber(i)
		in.Case.ReceivedOn = calendar.DateOf(time.Now()).String()
		_, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: workflows.CaseWorkflowID(in.Case.Number), TaskQueue: workflows.TaskQueue,
			TypedSearchAttributes: in.StartAttributes()}, workflows.CaseWorkflow, in)
		return err
	})
	if err != nil || started.errors > 0 {
		return res, fmt.Errorf("start cases: %v %v", err, started.firstErr)
	}
	res.StartPerS = started.rate()
	if err := waitEvents(ctx, st, o.Worker, article23.EventReceived, o.Cases); err != nil {
		return res, err
	}
	res.AllOpenS = time.Since(t0).Seconds()
	t1 := time.Now()
	if res.OutboxPending, err = waitOutbox(ctx, st, o.Worker, 3*time.Minute); err != nil {
		return res, err
	}
	res.OutboxSettledS = time.Since(t1).Seconds()
	if err := p.open(&res); err != nil {
		return res, err
	}
	if err := p.idle(ctx, o.Idle, &res); err != nil {
		return res, err
	}
	res.IdleS = o.Idle.Seconds()

	version, err := writeYearFile(o.CalendarDir)
	if err != nil {
		return res, err
	}
	t2 := time.Now()
	run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: workflows.CalendarReloadWorkflowID(version), TaskQueue: workflows.TaskQueue},
		workflows.CalendarReloadWorkflow, workflows.ReloadInput{Version: workflows.ReloadInputVersion, Calendar: workflows.CalendarUpdated{Version: version}})
	var reload workflows.ReloadProgress
	if err == nil {
		err = run.Get(ctx, &reload) // through every run the reload continued as
	}
	if err != nil || reload.Signalled != o.Cases {
		return res, fmt.Errorf("calendar reload: %d of %d cases signalled, %d failed: %v", reload.Signalled, o.Cases, reload.FailureCount, err)
	}
	res.ReloadSignalS = time.Since(t2).Seconds()
	if err := waitEvents(ctx, st, o.Worker, article23.EventCalendarUpdated, o.Cases); err != nil {
		return res, err
	}
	res.ReloadAllS = time.Since(t2).Seconds()
	return res, p.reloaded(&res)
}

// reloadYear is the year file of the bench's calendar reload: a far year, so no case's dates
// move, but a new calendar version every case must recompute its clocks with.
const reloadYear = `{"year":2099,"status":"official-unverified","source":"weiquan bench: a new calendar version","days":[{"name":"元旦","date":"2099-01-01","isOffDay":true}]}`

// writeYearFile does what the API's year upload does to the shared directory (a temp file
// renamed into place) and returns the version a worker loading that directory gets.
func writeYearFile(dir string) (string, error) {
	tmp := filepath.Join(dir, ".2099.json.tmp")
	if err := os.WriteFile(tmp, []byte(reloadYear), 0o640); err != nil {
		return "", fmt.Errorf("reload: %w", err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, "2099.json")); err != nil {
		return "", fmt.Errorf("reload: %w", err)
	}
	base, err := calendar.Embedded()
	if err != nil {
		return "", err
	}
	next, err := base.WithDir(dir)
	if err != nil {
		return "", fmt.Errorf("reload: %w", err)
	}
	return next.Version(), nil
}

// pair reads /proc for the worker child and this process, and keeps the last reading.
type pair struct {
	worker     int
	lastWorker ProcStat
	lastSelf   ProcStat
}

// delta reads both processes and returns the CPU each used since the previous reading.
func (p *pair) delta() (w, s ProcStat, dw, ds time.Duration, err error) {
	if w, err = readProc(p.worker); err != nil {
		return w, s, 0, 0, fmt.Errorf("read the worker's /proc: %w", err)
	}
	if s, err = readProc(0); err != nil {
		return w, s, 0, 0, fmt.Errorf("read /proc/self: %w", err)
	}
	dw, ds = w.CPU-p.lastWorker.CPU, s.CPU-p.lastSelf.CPU
	p.lastWorker, p.lastSelf = w, s
	return w, s, dw, ds, nil
}

// mark starts a measurement.
func (p *pair) mark() error {
	_, _, _, _, err := p.delta()
	return err
}

func (p *pair) open(r *Capacity) error {
	_, _, dw, ds, err := p.delta()
	r.Worker.OpenCPUS, r.Server.OpenCPUS = dw.Seconds(), ds.Seconds()
	return err
}

func (p *pair) idle(ctx context.Context, d time.Duration, r *Capacity) error {
	if err := p.mark(); err != nil {
		return err
	}
	t := time.Now()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(d):
	}
	elapsed := time.Since(t).Seconds()
	w, s, dw, ds, err := p.delta()
	r.Worker.IdleRSSMiB, r.Worker.IdleAnonMiB, r.Worker.IdlePeakMiB, r.Worker.IdleCPUPct = w.RSSMiB, w.AnonMiB, w.PeakMiB, 100*dw.Seconds()/elapsed
	r.Server.IdleRSSMiB, r.Server.IdleAnonMiB, r.Server.IdlePeakMiB, r.Server.IdleCPUPct = s.RSSMiB, s.AnonMiB, s.PeakMiB, 100*ds.Seconds()/elapsed
	return err
}

func (p *pair) reloaded(r *Capacity) error {
	w, s, dw, ds, err := p.delta()
	r.Worker.ReloadCPUS, r.Worker.AfterRSSMiB, r.Worker.AfterPeakMiB = dw.Seconds(), w.RSSMiB, w.PeakMiB
	r.Server.ReloadCPUS, r.Server.AfterRSSMiB, r.Server.AfterPeakMiB = ds.Seconds(), s.RSSMiB, s.PeakMiB
	return err
}

// waitEvents waits until the store holds n events of type t, failing early if the worker
// exits.
func waitEvents(ctx context.Context, st *store.Store, w *WorkerProcess, t article23.EventType, n int) error {
	var got int64
	var lastErr error
	for {
		got, lastErr = st.CountEvents(ctx, t)
		if lastErr == nil && got >= int64(n) {
			return nil
		}
		if err := w.Exited(); err != nil {
			return fmt.Errorf("%d of %d %s events recorded: %w", got, n, t, err)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%d of %d %s events recorded: %w (last count error: %v)", got, n, t, ctx.Err(), lastErr)
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// waitOutbox waits, at most limit, until no notification is due, claimed or retrying within
// the claim lease: the worker's dispatcher has caught up with what the new cases queued
// (delivered, given up, or deferred to working hours). It returns how many were still
// pending when it stopped waiting.
func waitOutbox(ctx context.Context, st *store.Store, w *WorkerProcess, limit time.Duration) (int64, error) {
	deadline := time.Now().Add(limit)
	for {
		n, err := st.CountPendingBefore(ctx, time.Now().Add(store.DefaultClaimLease))
		if err != nil {
			return 0, err
		}
		if n == 0 || time.Now().After(deadline) {
			return n, nil
		}
		if err := w.Exited(); err != nil {
			return n, err
		}
		select {
		case <-ctx.Done():
			return n, ctx.Err()
		case <-time.After(250 * time.Millisecond):
		}
	}
}
