package bench

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/cicpa/weiquan/activities"
	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/calendar"
	"github.com/cicpa/weiquan/store"
	"github.com/cicpa/weiquan/worker"
	"github.com/cicpa/weiquan/workflows"
)

// MaxOpenCases bounds a capacity run.
const MaxOpenCases = 20000

// Capacity is what holding many open cases costs one worker process (which, in `weiquan
// bench`, also runs the embedded Temporal server: the figures are for the whole process).
type Capacity struct {
	Cases         int     `json:"open_cases"`
	StartPerS     float64 `json:"start_per_s"`     // case workflows started directly (no HTTP)
	AllOpenS      float64 `json:"all_open_s"`      // until every case recorded its receipt
	IdleRSSMB     float64 `json:"idle_rss_mb"`     // resident memory once all wait on timers
	IdleCPUPct    float64 `json:"idle_cpu_pct"`    // CPU over 10 s of waiting (100 = one core)
	ReloadSignalS float64 `json:"reload_signal_s"` // signalling every case of a new calendar
	ReloadAllS    float64 `json:"reload_all_s"`    // until every case re-armed its clocks
	AfterRSSMB    float64 `json:"after_reload_rss_mb"`
}

// counting counts the events of one type the worker records.
type counting struct {
	activities.Recorder
	received, reloaded atomic.Int64
}

func (c *counting) Record(ctx context.Context, r article23.Record) (bool, error) {
	ok, err := c.Recorder.Record(ctx, r)
	if err == nil && ok {
		switch r.Event.Type {
		case article23.EventReceived:
			c.received.Add(1)
		case article23.EventCalendarUpdated:
			c.reloaded.Add(1)
		}
	}
	return ok, err
}

// RunCapacity opens n cases waiting on their timers with one worker, measures the process at
// idle, then reloads the calendar (a new version, as an admin's upload does) and times until
// every case has re-armed its clocks.
func RunCapacity(ctx context.Context, c client.Client, st *store.Store, n, concurrency int) (Capacity, error) {
	if n < 1 || n > MaxOpenCases {
		return Capacity{}, fmt.Errorf("--open-cases: want 1…%d, got %d", MaxOpenCases, n)
	}
	cal, err := calendar.Embedded()
	if err != nil {
		return Capacity{}, err
	}
	holder := activities.NewCalendarHolder(cal)
	rec := &counting{Recorder: st}
	w := worker.New(c, &activities.Activities{Recorder: rec, Calendar: holder}, worker.Options{})
	if err := w.Start(); err != nil {
		return Capacity{}, err
	}
	defer w.Stop()
	o, res := Options{Cases: n, Concurrency: concurrency}, Capacity{Cases: n}
	t0 := time.Now()
	started, err := phase(ctx, o, func(i int) error {
		in := workflows.CaseInput{Version: workflows.CaseInputVersion, Case: ceilingCase(i)}
		in.Case.Number = fmt.Sprintf("BJ-CAP-%06d", i)
		in.Case.ReceivedOn = calendar.DateOf(time.Now()).String()
		_, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: workflows.CaseWorkflowID(in.Case.Number), TaskQueue: workflows.TaskQueue}, workflows.CaseWorkflow, in)
		return err
	})
	if err != nil || started.errors > 0 {
		return res, fmt.Errorf("start cases: %v %v", err, started.firstErr)
	}
	res.StartPerS = started.rate()
	if err := waitCount(ctx, &rec.received, n); err != nil {
		return res, err
	}
	res.AllOpenS = time.Since(t0).Seconds()
	res.IdleRSSMB, res.IdleCPUPct = idle(ctx, 10*time.Second)
	next, err := cal.WithYearFile([]byte(`{"year":2099,"status":"official-unverified","source":"weiquan bench: a new calendar version","days":[{"name":"元旦","date":"2099-01-01","isOffDay":true}]}`))
	if err != nil {
		return res, fmt.Errorf("a new calendar version: %w", err)
	}
	holder.Swap(next)
	t1 := time.Now()
	signalled, err := phase(ctx, o, func(i int) error {
		return c.SignalWorkflow(ctx, workflows.CaseWorkflowID(fmt.Sprintf("BJ-CAP-%06d", i)), "", workflows.CalendarUpdatedSignal, workflows.CalendarUpdated{Version: next.Version()})
	})
	if err != nil || signalled.errors > 0 {
		return res, fmt.Errorf("signal cases: %v %v", err, signalled.firstErr)
	}
	res.ReloadSignalS = time.Since(t1).Seconds()
	if err := waitCount(ctx, &rec.reloaded, n); err != nil {
		return res, err
	}
	res.ReloadAllS = time.Since(t1).Seconds()
	res.AfterRSSMB = rssMB()
	return res, nil
}

func waitCount(ctx context.Context, v *atomic.Int64, n int) error {
	for v.Load() < int64(n) {
		select {
		case <-ctx.Done():
			return fmt.Errorf("%d of %d cases: %w", v.Load(), n, ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
	return nil
}

// idle waits d and returns the resident memory and the CPU the process used meanwhile.
func idle(ctx context.Context, d time.Duration) (rss, cpuPct float64) {
	before := cpuTime()
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
	return rssMB(), 100 * (cpuTime() - before).Seconds() / d.Seconds()
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// rssMB reads VmRSS from /proc (Linux); 0 elsewhere.
func rssMB() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024
		}
	}
	return 0
}
