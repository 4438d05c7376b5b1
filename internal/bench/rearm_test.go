package bench

import (
	"testing"
	"time"

	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/cicpa/weiquan/workflows"
)

// TestNoopTimerCaseCountsEachRearmOnce: the ceiling's workflow counts itself armed at start
// and once per calendar version it was signalled with, and keeps waiting on its timer.
func TestNoopTimerCaseCountsEachRearmOnce(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	counter := &rearmCounter{seen: map[string]map[string]bool{}}
	env.RegisterWorkflowWithOptions(counter.noopTimerCase, workflow.RegisterOptions{Name: rearmWorkflowName})
	signal := func(v string) func() {
		return func() { env.SignalWorkflow(workflows.CalendarUpdatedSignal, workflows.CalendarUpdated{Version: v}) }
	}
	env.RegisterDelayedCallback(signal("v1"), time.Hour)
	env.RegisterDelayedCallback(signal("v2"), 2*time.Hour)
	env.RegisterDelayedCallback(signal("v2"), 3*time.Hour) // the same version again: still one workflow
	var armedAt2Days int
	env.RegisterDelayedCallback(func() { armedAt2Days = counter.count("") }, 48*time.Hour)
	start := env.Now()
	env.ExecuteWorkflow(rearmWorkflowName, workflows.CaseInput{Version: workflows.CaseInputVersion, Case: ceilingCase(1)})

	if !env.IsWorkflowCompleted() || env.GetWorkflowError() != nil {
		t.Fatalf("completed %v, error %v", env.IsWorkflowCompleted(), env.GetWorkflowError())
	}
	if armedAt2Days != 1 || counter.count("v1") != 1 || counter.count("v2") != 1 || counter.count("v3") != 0 {
		t.Fatalf("armed %d, v1 %d, v2 %d, v3 %d", armedAt2Days, counter.count("v1"), counter.count("v2"), counter.count("v3"))
	}
	// each re-armed timer keeps the instant set at start, like an unmoved clock: it fires then
	if got := env.Now().Sub(start); got < rearmHorizon || got > rearmHorizon+time.Minute {
		t.Fatalf("the timer fired %v after the start, want %v", got, rearmHorizon)
	}
}
