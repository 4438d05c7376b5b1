// Package worker is the only place that registers weiquan's workflows and activities with a
// Temporal worker.
package worker

import (
	"time"

	"go.temporal.io/sdk/client"
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
}

// New returns a worker on workflows.TaskQueue with the case workflow and acts registered.
// Stop drains it: pollers stop, in-flight activities get the SDK's stop timeout to finish.
func New(c client.Client, acts *activities.Activities, o Options) sdkworker.Worker {
	if o.WorkflowPollers == 0 {
		o.WorkflowPollers = 4
	}
	if o.ActivityPollers == 0 {
		o.ActivityPollers = 4
	}
	w := sdkworker.New(c, workflows.TaskQueue, sdkworker.Options{
		MaxConcurrentWorkflowTaskPollers: o.WorkflowPollers,
		MaxConcurrentActivityTaskPollers: o.ActivityPollers,
		WorkerStopTimeout:                10 * time.Second, // for in-flight activities on SIGTERM
	})
	w.RegisterWorkflow(workflows.CaseWorkflow)
	w.RegisterActivity(acts)
	return w
}
