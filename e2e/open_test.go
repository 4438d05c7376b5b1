package e2e

import (
	"context"
	"errors"
	"maps"
	"net"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/operatorservice/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"

	"github.com/cicpa/weiquan/api"
	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/calendar"
	"github.com/cicpa/weiquan/workflows"
)

// TestOpenTellsSlowFromDown: when Open runs out of time, a case whose workflow started (no
// worker picked it up yet) is ErrStartedNotReady — the API's 202 — and a Temporal that
// cannot be reached is ErrEngineUnavailable — the API's 503, never a 202 for a case that
// does not exist.
func TestOpenTellsSlowFromDown(t *testing.T) {
	in := workflows.CaseInput{Version: workflows.CaseInputVersion, Case: article23.Case{Number: "E2E-OPEN-1", Institute: "BJ",
		Applicant: article23.Applicant{MemberNo: "M-1", Kind: article23.MemberPractising}, ReceivedOn: calendar.DateOf(time.Now()).String(),
		Channel: article23.ChannelOnline, Policy: article23.DefaultPolicy(), SubmittedBy: article23.Actor{ID: "u-wang", Role: article23.RoleMember, Institute: "BJ", MemberNo: "M-1"}}}

	t.Run("no worker: started, not ready", func(t *testing.T) {
		c := dial(t, nsNoWorker) // nothing polls the case task queue in this namespace
		// The answer is given up only once the start is persisted (the workflow is seen to
		// exist): the signal waited for, not a deadline the machine's speed could miss (a 1 s,
		// then a 5 s deadline failed on a loaded machine with a 503, correct for a start that
		// had not happened yet).
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error, 1)
		go func() {
			_, err := api.TemporalEngine{Client: c}.Open(ctx, in)
			done <- err
		}()
		for {
			_, err := c.DescribeWorkflowExecution(t.Context(), workflows.CaseWorkflowID(in.Case.Number), "")
			if err == nil {
				break
			}
			var notFound *serviceerror.NotFound
			require.ErrorAs(t, err, &notFound)
			time.Sleep(20 * time.Millisecond)
		}
		cancel()
		require.ErrorIs(t, <-done, api.ErrStartedNotReady)
	})

	// refused: nothing listens; silent: something accepts and never answers, so the start
	// runs into the deadline (an early version of Open answered 202 for it)
	for _, silent := range []bool{false, true} {
		t.Run(map[bool]string{false: "Temporal refuses: unavailable", true: "Temporal silent: unavailable"}[silent], func(t *testing.T) {
			l, err := net.Listen("tcp", "127.0.0.1:0")
			require.NoError(t, err)
			addr := l.Addr().String()
			if silent {
				defer l.Close()
				go func() {
					for {
						conn, err := l.Accept()
						if err != nil {
							return
						}
						defer conn.Close() // held open, never answered
					}
				}()
			} else {
				require.NoError(t, l.Close())
			}
			c, err := client.NewLazyClient(client.Options{HostPort: addr, Namespace: nsNoWorker})
			require.NoError(t, err)
			defer c.Close()
			ctx, cancel := context.WithTimeout(t.Context(), time.Second)
			defer cancel()
			_, err = api.TemporalEngine{Client: c}.Open(ctx, in)
			require.ErrorIs(t, err, api.ErrEngineUnavailable)
			require.False(t, errors.Is(err, api.ErrStartedNotReady), "202 for a case that was never started: %v", err)
		})
	}
}

// TestOpenWithoutRegisteredAttributes: a namespace that does not know the case's search
// attributes yet (no worker has registered them) refuses a start that carries them; Open then
// starts the case without them, its input saying so (no DecisionDue), so that the workflow
// sets them itself once a worker, which registers them first, runs it.
func TestOpenWithoutRegisteredAttributes(t *testing.T) {
	ctx := t.Context()
	c := dial(t, nsBare) // nothing polls the case task queue in this namespace
	_, err := c.OperatorService().RemoveSearchAttributes(ctx, &operatorservice.RemoveSearchAttributesRequest{
		Namespace: nsBare, SearchAttributes: slices.Sorted(maps.Keys(workflows.SearchAttributes))})
	require.NoError(t, err)
	in := workflows.NewCaseInput(article23.Case{Number: "E2E-BARE-1", Institute: "BJ",
		Applicant: article23.Applicant{MemberNo: "M-1", Kind: article23.MemberPractising}, ReceivedOn: calendar.DateOf(time.Now()).String(),
		Channel: article23.ChannelOnline, Policy: article23.DefaultPolicy(), SubmittedBy: article23.Actor{ID: "u-wang", Role: article23.RoleMember, Institute: "BJ", MemberNo: "M-1"}})
	in.DecisionDue = time.Now().Add(72 * time.Hour).Truncate(time.Second)

	_, err = c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: "E2E-BARE-control", TaskQueue: workflows.TaskQueue,
		TypedSearchAttributes: in.StartAttributes()}, workflows.CaseWorkflow, in)
	var invalid *serviceerror.InvalidArgument
	require.ErrorAs(t, err, &invalid, "a start carrying the attributes is refused here")

	id := workflows.CaseWorkflowID(in.Case.Number)
	octx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		_, err := api.TemporalEngine{Client: c}.Open(octx, in)
		done <- err
	}()
	for {
		_, err := c.DescribeWorkflowExecution(ctx, id, "")
		if err == nil {
			break
		}
		var notFound *serviceerror.NotFound
		require.ErrorAs(t, err, &notFound)
		select {
		case err := <-done:
			t.Fatalf("Open answered before the case started: %T %v", errors.Unwrap(errors.Unwrap(err)), err)
		case <-time.After(20 * time.Millisecond):
		}
	}
	cancel()
	require.ErrorIs(t, <-done, api.ErrStartedNotReady, "started without the attributes, waiting for a worker")

	first, err := c.GetWorkflowHistory(ctx, id, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT).Next()
	require.NoError(t, err)
	started := first.GetWorkflowExecutionStartedEventAttributes()
	require.Empty(t, started.GetSearchAttributes().GetIndexedFields())
	var got workflows.CaseInput
	require.NoError(t, converter.GetDefaultDataConverter().FromPayloads(started.GetInput(), &got))
	require.True(t, got.DecisionDue.IsZero(), "the input says the start wrote no attributes")
	require.Equal(t, int(workflows.PathsLatest), got.Paths)
}
