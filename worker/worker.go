// Package worker is the only place that registers weiquan's workflows and activities with a
// Temporal worker.
package worker

import (
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/interceptor"
	sdkworker "go.temporal.io/sdk/worker"

	"github.com/cicpa/weiquan/activities"
	"github.com/cicpa/weiquan/workflows"
)

// Options tune the worker; the zero value suits one institute-sized deployment.
type Options struct {
	// WorkflowPollers is the number of workflow task pollers. More pollers cut the latency of
	// the first task when thousands of case timers fire together (see docs/BENCHMARKS.md).
	WorkflowPollers int
	// ActivityPollers is the number of activity task pollers.
	ActivityPollers int
	// CacheSize is how many case workflows stay in memory between their tasks (the SDK's
	// sticky cache; 0: DefaultCacheSize). A workflow evicted from it replays its history on
	// its next task: memory traded against replay work (see docs/BENCHMARKS.md, "Capacity").
	// The SDK shares one cache between the workers of a process and sizes it when the first
	// of them is created: a second New while another worker runs keeps the first one's size.
	CacheSize int
	// Interceptors wrap the worker's calls into workflow and activity code (the SDK's
	// worker interceptors: tracing, or a test's injected faults).
	Interceptors []interceptor.WorkerInterceptor
}

// DefaultCacheSize is the sticky cache of a worker whose Options leave CacheSize 0. The SDK's
// own default, 10,000, held 760 MiB with 10,000 open cases; 1,000 holds 234 MiB, and the
// replays it causes cost the worker less CPU than the larger heap's garbage collection
// (docs/BENCHMARKS.md, "Capacity").
const DefaultCacheSize = 1000

// New returns a worker on workflows.TaskQueue with the case and calendar reload workflows and
// acts registered.
// Stop drains it: pollers stop, in-flight activities get the SDK's stop timeout to finish.
func New(c client.Client, acts *activities.Activities, o Options) sdkworker.Worker {
	if o.WorkflowPollers == 0 {
		o.WorkflowPollers = 4
	}
	if o.ActivityPollers == 0 {
		o.ActivityPollers = 4
	}
	if o.CacheSize == 0 {
		o.CacheSize = DefaultCacheSize
	}
	sdkworker.SetStickyWorkflowCacheSize(o.CacheSize) // process-global: before the worker exists
	w := sdkworker.New(c, workflows.TaskQueue, sdkworker.Options{
		MaxConcurrentWorkflowTaskPollers: o.WorkflowPollers,
		MaxConcurrentActivityTaskPollers: o.ActivityPollers,
		WorkerStopTimeout:                10 * time.Second, // for in-flight activities on SIGTERM
		Interceptors:                     o.Interceptors,
	})
	w.RegisterWorkflow(workflows.CaseWorkflow)
	w.RegisterWorkflow(workflows.CalendarReloadWorkflow)
	w.RegisterActivity(acts)
	return w
}
