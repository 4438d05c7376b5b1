package api

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"go.temporal.io/api/serviceerror"

	"github.com/cicpa/weiquan/store"
)

// TestEngineErrorsAreRetryableWhereTheyAre: a workflow whose task is failing (a worker died
// in it: Temporal refuses updates and queries until a retry of the task completes) is a
// dependency not answering, retried with the same key (503), not an internal error (500).
func TestEngineErrorsAreRetryableWhereTheyAre(t *testing.T) {
	for _, c := range []struct {
		err  error
		want error
	}{
		{serviceerror.NewWorkflowNotReady("Unable to perform workflow execution update due to Workflow Task in failed state."), ErrEngineUnavailable},
		{fmt.Errorf("update: %w", serviceerror.NewUnavailable("down")), ErrEngineUnavailable},
		{serviceerror.NewDeadlineExceeded("slow"), ErrEngineUnavailable},
		{context.DeadlineExceeded, ErrEngineUnavailable},
		{serviceerror.NewNotFound("no such workflow"), store.ErrNotFound},
	} {
		got := engineError("decide BJ-2026-0001", c.err)
		if !errors.Is(got, c.want) {
			t.Errorf("%v: mapped to %v, want %v", c.err, got, c.want)
		}
		if p := toProblem(got); p.Status != statusOf(c.want) {
			t.Errorf("%v: answered %d, want %d", c.err, p.Status, statusOf(c.want))
		}
	}
}

func statusOf(err error) int {
	if errors.Is(err, store.ErrNotFound) {
		return 404
	}
	return 503
}
