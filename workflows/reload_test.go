package workflows

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/cicpa/weiquan/activities"
)

// openCases lists a fixed set of open case numbers in pages, as the store does.
type openCases struct{ numbers []string }

func (o openCases) OpenCaseNumbers(_ context.Context, after string, limit int) ([]string, error) {
	i := sort.SearchStrings(o.numbers, after)
	if i < len(o.numbers) && o.numbers[i] == after {
		i++
	}
	return o.numbers[i:min(i+limit, len(o.numbers))], nil
}

func caseNumbers(n int) []string {
	var out []string
	for i := 1; i <= n; i++ {
		out = append(out, fmt.Sprintf("BJ-2026-%04d", i))
	}
	return out
}

// reloadEnv runs CalendarReloadWorkflow over numbers; signal answers each case's signal and
// the returned function lists the workflow IDs signalled, in order.
func reloadEnv(t *testing.T, numbers []string, signal func(workflowID string) error) (*testsuite.TestWorkflowEnvironment, func() []string) {
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestWorkflowEnvironment()
	env.RegisterWorkflow(CalendarReloadWorkflow)
	env.RegisterActivity(&activities.Activities{Cases: openCases{numbers}})
	env.SetTestTimeout(30 * time.Second)
	var mu sync.Mutex
	var got []string
	env.OnSignalExternalWorkflow(mock.Anything, mock.Anything, "", CalendarUpdatedSignal, CalendarUpdated{Version: "2027.1"}).Return(
		func(namespace, workflowID, runID, signalName string, arg any) error {
			mu.Lock()
			defer mu.Unlock()
			got = append(got, workflowID)
			return signal(workflowID)
		})
	return env, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(got)
	}
}

// TestCalendarReloadSignalsEveryOpenCase: 450 open cases, three pages; one case ended before
// its signal, one signal fails. Every other case is signalled exactly once.
func TestCalendarReloadSignalsEveryOpenCase(t *testing.T) {
	numbers := caseNumbers(450)
	ended, failing := CaseWorkflowID(numbers[17]), CaseWorkflowID(numbers[301])
	env, signalled := reloadEnv(t, numbers, func(id string) error {
		switch id {
		case ended:
			return &temporal.UnknownExternalWorkflowExecutionError{}
		case failing:
			return errors.New("namespace busy")
		}
		return nil
	})
	env.ExecuteWorkflow(CalendarReloadWorkflow, ReloadInput{Version: ReloadInputVersion, Calendar: CalendarUpdated{Version: "2027.1"}})
	require.True(t, env.IsWorkflowCompleted())
	require.NoError(t, env.GetWorkflowError())
	var p ReloadProgress
	require.NoError(t, env.GetWorkflowResult(&p))
	require.Equal(t, ReloadProgress{Calendar: "2027.1", Signalled: 448, Ended: 1, FailureCount: 1, Done: true,
		Failures: []ReloadFailure{{Number: numbers[301], Error: "namespace busy"}}}, p)
	var want []string
	for _, n := range numbers {
		want = append(want, CaseWorkflowID(n))
	}
	got := signalled()
	slices.Sort(got)
	require.Equal(t, want, got, "every open case signalled once")

	v, err := env.QueryWorkflow(ReloadProgressQuery)
	require.NoError(t, err)
	var q ReloadProgress
	require.NoError(t, v.Get(&q))
	require.Equal(t, p, q)
}

// TestCalendarReloadContinuesAsNew: more open cases than one run signals; the run continues
// as new after the last case it signalled, carrying its counts, and the next run finishes.
func TestCalendarReloadContinuesAsNew(t *testing.T) {
	numbers := caseNumbers(reloadPage*reloadPagesPerRun + 50)
	ok := func(string) error { return nil }
	env, signalled := reloadEnv(t, numbers, ok)
	env.ExecuteWorkflow(CalendarReloadWorkflow, ReloadInput{Version: ReloadInputVersion, Calendar: CalendarUpdated{Version: "2027.1"}})
	var can *workflow.ContinueAsNewError
	require.ErrorAs(t, env.GetWorkflowError(), &can)
	var next ReloadInput
	require.NoError(t, converter.GetDefaultDataConverter().FromPayloads(can.Input, &next))
	first := reloadPage * reloadPagesPerRun
	require.Equal(t, numbers[first-1], next.After)
	require.Equal(t, ReloadProgress{Calendar: "2027.1", Signalled: first}, next.Progress)
	require.Len(t, signalled(), first)

	env2, signalled2 := reloadEnv(t, numbers, ok)
	env2.ExecuteWorkflow(CalendarReloadWorkflow, next)
	require.NoError(t, env2.GetWorkflowError())
	var p ReloadProgress
	require.NoError(t, env2.GetWorkflowResult(&p))
	require.Equal(t, ReloadProgress{Calendar: "2027.1", Signalled: len(numbers), Done: true}, p)
	var rest []string
	for _, n := range numbers[first:] {
		rest = append(rest, CaseWorkflowID(n))
	}
	got := signalled2() // each signal's mock runs on a goroutine of its own: any order
	slices.Sort(got)
	require.Equal(t, rest, got, "the second run signals the cases after the first's, once each")
}

// TestCalendarReloadSmallPagesContinue: page sizes set in the input replace the defaults and
// are carried to the continued run, which finishes the cases the first left.
func TestCalendarReloadSmallPagesContinue(t *testing.T) {
	numbers := caseNumbers(5)
	ok := func(string) error { return nil }
	env, signalled := reloadEnv(t, numbers, ok)
	env.ExecuteWorkflow(CalendarReloadWorkflow, ReloadInput{Version: ReloadInputVersion, Calendar: CalendarUpdated{Version: "2027.1"},
		PageSize: 2, PagesPerRun: 2})
	var can *workflow.ContinueAsNewError
	require.ErrorAs(t, env.GetWorkflowError(), &can)
	var next ReloadInput
	require.NoError(t, converter.GetDefaultDataConverter().FromPayloads(can.Input, &next))
	require.Equal(t, ReloadInput{Version: ReloadInputVersion, Calendar: CalendarUpdated{Version: "2027.1"}, After: numbers[3],
		Progress: ReloadProgress{Calendar: "2027.1", Signalled: 4}, PageSize: 2, PagesPerRun: 2}, next)
	require.Len(t, signalled(), 4)

	env2, signalled2 := reloadEnv(t, numbers, ok)
	env2.ExecuteWorkflow(CalendarReloadWorkflow, next)
	var p ReloadProgress
	require.NoError(t, env2.GetWorkflowResult(&p))
	require.Equal(t, ReloadProgress{Calendar: "2027.1", Signalled: 5, Done: true}, p)
	require.Equal(t, []string{CaseWorkflowID(numbers[4])}, signalled2())
}

func TestCalendarReloadRefusesBadInput(t *testing.T) {
	env, _ := reloadEnv(t, nil, func(string) error { return nil })
	env.ExecuteWorkflow(CalendarReloadWorkflow, ReloadInput{Version: 99, Calendar: CalendarUpdated{Version: "2027.1"}})
	var app *temporal.ApplicationError
	require.ErrorAs(t, env.GetWorkflowError(), &app)
	require.Equal(t, CodeInvalidArgument, app.Type())
}
