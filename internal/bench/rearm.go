package bench

import (
	"context"
	"fmt"
	"sync"
	"time"

	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/cicpa/weiquan/workflows"
)

// RearmTaskQueue is the re-arm ceiling's own task queue.
const RearmTaskQueue = "weiquan-bench-rearm"

// rearmHorizon is how far the no-op cases' timers are set: a decision clock's length.
const rearmHorizon = 30 * 24 * time.Hour

// rearmWorkflowName is the no-op timer workflow's registered name.
const rearmWorkflowName = "NoopTimerCase"

// rearmCounter records which no-op timer workflows armed their timer ("") and re-armed it
// for a calendar version; it is written by workflow code outside replay only, so a replay
// after an eviction counts nothing twice.
type rearmCounter struct {
	mu   sync.Mutex
	seen map[string]map[string]bool // version ("" when armed at start) -> workflow IDs
}

func (r *rearmCounter) note(ctx workflow.Context, version string) {
	if workflow.IsReplaying(ctx) {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.seen[version] == nil {
		r.seen[version] = map[string]bool{}
	}
	r.seen[version][workflow.GetInfo(ctx).WorkflowExecution.ID] = true
}

func (r *rearmCounter) count(version string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.seen[version])
}

// noopTimerCase holds one timer, like a case waiting on its clock, and re-arms it on every
// calendar signal, as a case's sleep does: the timer is cancelled and a new one started. No
// activity, no store, no deadline computation: what Temporal alone costs for a case's re-arm.
func (r *rearmCounter) noopTimerCase(ctx workflow.Context, _ workflows.CaseInput) error {
	signals := workflow.GetSignalChannel(ctx, workflows.CalendarUpdatedSignal)
	at := workflow.Now(ctx).Add(rearmHorizon)
	r.note(ctx, "")
	for {
		woken, err := workflow.AwaitWithOptions(ctx, workflow.AwaitOptions{Timeout: at.Sub(workflow.Now(ctx))},
			func() bool { return signals.Len() > 0 })
		if err != nil || !woken {
			return err // the timer fired: never within a bench run
		}
		var u workflows.CalendarUpdated
		for signals.ReceiveAsync(&u) {
		}
		r.note(ctx, u.Version)
	}
}

// rearmCeiling is the re-arm ceiling of a capacity run: n no-op timer workflows, held by a
// worker in this process with the case worker's cache size, started and then signalled exactly
// as the cases are.
type rearmCeiling struct {
	SignalS float64 // signalling them all
	AllS    float64 // until every one re-armed its timer
}

// runRearmCeiling measures the re-arm ceiling on a fresh server, before any case exists. Its
// workflows stay open (timers a month away, nothing polls their queue afterwards); the worker
// and its cache are gone before the cases start.
func runRearmCeiling(ctx context.Context, c client.Client, o CapacityOptions) (rearmCeiling, error) {
	var res rearmCeiling
	counter := &rearmCounter{seen: map[string]map[string]bool{}}
	sdkworker.SetStickyWorkflowCacheSize(o.CacheSize) // process-global; no other worker runs here
	w := sdkworker.New(c, RearmTaskQueue, workerOptions())
	w.RegisterWorkflowWithOptions(counter.noopTimerCase, workflow.RegisterOptions{Name: rearmWorkflowName})
	if err := w.Start(); err != nil {
		return res, fmt.Errorf("start the re-arm ceiling worker: %w", err)
	}
	defer func() { w.Stop(); sdkworker.PurgeStickyWorkflowCache() }()
	run := fmt.Sprintf("%x", time.Now().UnixNano())
	id := func(i int) string { return fmt.Sprintf("bench-rearm-%s-%d", run, i) }
	po := Options{Cases: o.Cases, Concurrency: o.Concurrency}
	started, err := phase(ctx, po, "", func(i int) error {
		in := workflows.CaseInput{Version: workflows.CaseInputVersion, Case: ceilingCase(i)}
		_, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: id(i), TaskQueue: RearmTaskQueue}, rearmWorkflowName, in)
		return err
	})
	if err != nil || started.errors > 0 {
		return res, fmt.Errorf("re-arm ceiling: start: %v %v", err, started.firstErr)
	}
	if err := waitCount(ctx, func() int { return counter.count("") }, o.Cases, "no-op timers armed"); err != nil {
		return res, err
	}
	const version = "bench-rearm-ceiling"
	t := time.Now()
	signalled, err := phase(ctx, po, "", func(i int) error {
		return c.SignalWorkflow(ctx, id(i), "", workflows.CalendarUpdatedSignal, workflows.CalendarUpdated{Version: version})
	})
	if err != nil || signalled.errors > 0 {
		return res, fmt.Errorf("re-arm ceiling: signal: %v %v", err, signalled.firstErr)
	}
	res.SignalS = time.Since(t).Seconds()
	if err := waitCount(ctx, func() int { return counter.count(version) }, o.Cases, "no-op timers re-armed"); err != nil {
		return res, err
	}
	res.AllS = time.Since(t).Seconds()
	return res, nil
}

// waitCount polls count until it reaches n.
func waitCount(ctx context.Context, count func() int, n int, what string) error {
	for {
		got := count()
		if got >= n {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%d of %d %s: %w", got, n, what, ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
}
