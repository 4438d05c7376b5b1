package activities

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/store"
	"github.com/cicpa/weiquan/store/storetest"
	"github.com/cicpa/weiquan/telemetry"
)

// flakyStore refuses the first fails recordings and then records into the real store; on the
// call that succeeds it keeps the case's out-of-step mark as it stood before.
type flakyStore struct {
	*store.Store
	fails, calls int
	markBefore   store.RecordFailure
	markErr      error
}

func (f *flakyStore) Record(ctx context.Context, rs ...article23.Record) (int, error) {
	f.calls++
	if f.calls <= f.fails {
		return 0, errors.New("database refused the events")
	}
	f.markBefore, f.markErr = f.Store.CaseRecordFailure(ctx, rs[0].Case.Number)
	return f.Store.Record(ctx, rs...)
}

// TestFailedRecordingMarksTheCase: while a recording keeps failing the case is marked out of
// step in the store, counting attempts, and the worker's weiquan_record_failures_total counts
// each failed attempt; the retry that lands removes the mark.
func TestFailedRecordingMarksTheCase(t *testing.T) {
	st := &flakyStore{Store: storetest.SQLite(t), fails: 2}
	var s testsuite.WorkflowTestSuite
	reg := prometheus.NewRegistry()
	sdkMetrics, err := telemetry.SDKMetrics(reg, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	s.SetMetricsHandler(sdkMetrics)
	env := s.NewTestWorkflowEnvironment()
	acts := &Activities{Recorder: st, Marks: st.Store}
	env.RegisterActivity(acts)
	rec := article23.Record{
		Case:  article23.Case{Number: "BJ-2026-0001", Institute: "BJ", Stage: article23.StageReceived, Applicant: article23.Applicant{MemberNo: "110000010001", Name: "王"}},
		Event: article23.Event{Seq: 1, Type: article23.EventReceived, At: time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC), Data: []byte("{}")},
	}
	env.ExecuteWorkflow(func(ctx workflow.Context) error {
		ctx = workflow.WithLocalActivityOptions(ctx, workflow.LocalActivityOptions{StartToCloseTimeout: time.Minute,
			RetryPolicy: &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 1}})
		return workflow.ExecuteLocalActivity(ctx, acts.RecordEvents, []article23.Record{rec}).Get(ctx, nil)
	})
	require.NoError(t, env.GetWorkflowError())
	require.Equal(t, 3, st.calls)
	require.NoError(t, st.markErr, "the case was marked while its recording failed")
	require.Equal(t, 2, st.markBefore.Attempts)
	require.Contains(t, st.markBefore.LastError, "BJ-2026-0001/1 case_received: database refused the events")
	_, err = st.CaseRecordFailure(t.Context(), "BJ-2026-0001")
	require.ErrorIs(t, err, store.ErrNotFound, "the mark is gone once the events are recorded")
	failures, err := testutil.GatherAndCount(reg, RecordFailuresMetric+"_total")
	require.NoError(t, err)
	require.Equal(t, 1, failures, "one series")
	require.NoError(t, testutil.GatherAndCompare(reg, strings.NewReader(`
# HELP weiquan_record_failures_total 
# TYPE weiquan_record_failures_total counter
weiquan_record_failures_total 2
`), RecordFailuresMetric+"_total"))
	view, err := st.Case(t.Context(), "BJ-2026-0001")
	require.NoError(t, err)
	require.Len(t, view.Events, 1)
}
