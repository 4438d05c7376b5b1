package api

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/store"
	"github.com/cicpa/weiquan/workflows"
)

// Engine is the Temporal side of the API: it starts case workflows and sends them queries,
// updates and signals. TemporalEngine is the real one; tests use an in-memory engine.
type Engine interface {
	// Open starts the case workflow (or attaches to it when a retried request already
	// started it) and returns its status once the decision clock runs. When ctx ends first it
	// returns ErrStartedNotReady if the workflow exists, ErrEngineUnavailable if it does not.
	Open(ctx context.Context, in workflows.CaseInput) (workflows.StatusResult, error)
	// Status asks the workflow for the case, its log and pending alarms.
	Status(ctx context.Context, number string) (workflows.StatusResult, error)
	// Update applies an action (a workflow update) and returns the case after it, or the
	// workflow's refusal (a *temporal.ApplicationError typed with a workflows code). The
	// update ID comes from WithUpdateID on ctx, so a retried action is applied once.
	Update(ctx context.Context, number, name string, arg any) (article23.Case, error)
	// StartCalendarReload starts the workflow that tells every open case of the calendar
	// version u (workflows.CalendarReloadWorkflow), or attaches to the one running for it.
	StartCalendarReload(ctx context.Context, u workflows.CalendarUpdated) error
	// CalendarReload reports the progress of the reload to version; store.ErrNotFound when
	// none ran for it (or it ended longer ago than Temporal's retention).
	CalendarReload(ctx context.Context, version string) (workflows.ReloadProgress, error)
}

// ErrEngineUnavailable means Temporal (or its workers) did not answer in time: a 503 the
// client retries with the same Idempotency-Key.
var ErrEngineUnavailable = errors.New("case engine unavailable")

// ErrStartedNotReady means the case workflow exists but has not answered Open in time (its
// worker is slow or down): the case is safe; the client follows its Location.
var ErrStartedNotReady = errors.New("case started; deadline not yet computed")

type updateIDKey struct{}

// WithUpdateID carries the update ID of the action being handled (from Idempotency-Key).
func WithUpdateID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, updateIDKey{}, id)
}

// updateIDFrom returns the update ID on ctx, or "" (Temporal then generates one).
func updateIDFrom(ctx context.Context) string {
	id, _ := ctx.Value(updateIDKey{}).(string)
	return id
}

// TemporalEngine is the Engine over a Temporal client.
type TemporalEngine struct {
	Client client.Client
}

// Open starts the case workflow together with its OpenedUpdate (Update-With-Start) and waits
// for the update's answer: one round trip, answered in the workflow's first task. USE_EXISTING
// makes a retry after a lost response (or a crash between numbering and starting) attach to
// the running workflow, and REJECT_DUPLICATE keeps a finished case's ID from ever starting a
// second workflow: for such a case the status is queried instead. Every call gets a fresh
// update ID, so a retry reads the case as it is now; OpenedUpdate changes nothing.
//
// A case whose input carries its decision's deadline starts with its search attributes
// (workflows.CaseInput.StartAttributes). A namespace that does not know them yet (no worker
// has registered them: `weiquan worker` does before it polls) refuses such a start; the case
// is then started without them, its input saying so, and its workflow sets them itself.
func (e TemporalEngine) Open(ctx context.Context, in workflows.CaseInput) (workflows.StatusResult, error) {
	number := in.Case.Number
	res, err := e.open(ctx, in)
	if unknownSearchAttribute(err) && !in.DecisionDue.IsZero() {
		in.DecisionDue = time.Time{}
		res, err = e.open(ctx, in)
	}
	var started *serviceerror.WorkflowExecutionAlreadyStarted
	if errors.As(err, &started) {
		return e.Status(ctx, number) // the case finished long ago: its workflow is closed
	}
	if err != nil && ctx.Err() != nil && e.exists(ctx, number) {
		return res, fmt.Errorf("open %s: %w", number, ErrStartedNotReady)
	}
	return res, engineError("open "+number, err)
}

// open is one Update-With-Start of the case.
func (e TemporalEngine) open(ctx context.Context, in workflows.CaseInput) (workflows.StatusResult, error) {
	start := e.Client.NewWithStartWorkflowOperation(client.StartWorkflowOptions{
		ID: workflows.CaseWorkflowID(in.Case.Number), TaskQueue: workflows.TaskQueue,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
		WorkflowIDReusePolicy:    enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		TypedSearchAttributes:    in.StartAttributes(), // what in tells the workflow the start wrote
	}, workflows.CaseWorkflow, in)
	var res workflows.StatusResult
	h, err := e.Client.UpdateWithStartWorkflow(ctx, client.UpdateWithStartWorkflowOptions{
		StartWorkflowOperation: start,
		UpdateOptions: client.UpdateWorkflowOptions{WorkflowID: workflows.CaseWorkflowID(in.Case.Number),
			UpdateName: workflows.OpenedUpdate, WaitForStage: client.WorkflowUpdateStageCompleted},
	})
	if err == nil {
		err = h.Get(ctx, &res)
	}
	return res, err
}

// unknownSearchAttribute reports Temporal's refusal of a start for its search attributes:
// "search attribute X is not defined", or on SQL visibility "Namespace N has no mapping
// defined for search attribute X" (TestOpenWithoutRegisteredAttributes).
func unknownSearchAttribute(err error) bool {
	var invalid *serviceerror.InvalidArgument
	return errors.As(err, &invalid) && strings.Contains(invalid.Message, "search attribute")
}

// exists asks Temporal, within two seconds of its own, whether case number's workflow exists:
// after Open ran out of time, it tells a slow worker (the case is safe) from a start that
// never happened (Temporal unreachable).
func (e TemporalEngine) exists(ctx context.Context, number string) bool {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
	defer cancel()
	_, err := e.Client.DescribeWorkflowExecution(ctx, workflows.CaseWorkflowID(number), "")
	return err == nil
}

// Status queries the case workflow.
func (e TemporalEngine) Status(ctx context.Context, number string) (workflows.StatusResult, error) {
	var res workflows.StatusResult
	v, err := e.Client.QueryWorkflow(ctx, workflows.CaseWorkflowID(number), "", workflows.StatusQuery)
	if err == nil {
		err = v.Get(&res)
	}
	return res, engineError("status "+number, err)
}

// Update sends update name and waits for its result.
func (e TemporalEngine) Update(ctx context.Context, number, name string, arg any) (article23.Case, error) {
	var c article23.Case
	h, err := e.Client.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
		UpdateID: updateIDFrom(ctx), WorkflowID: workflows.CaseWorkflowID(number), UpdateName: name,
		Args: []any{arg}, WaitForStage: client.WorkflowUpdateStageCompleted,
	})
	if err == nil {
		err = h.Get(ctx, &c)
	}
	return c, engineError(name+" "+number, err)
}

// StartCalendarReload starts the reload workflow of u.Version. USE_EXISTING attaches an
// upload repeated while the reload runs; ALLOW_DUPLICATE lets one repeated after it ended
// run again and signal every open case once more (a case already on the version ignores it).
func (e TemporalEngine) StartCalendarReload(ctx context.Context, u workflows.CalendarUpdated) error {
	_, err := e.Client.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID: workflows.CalendarReloadWorkflowID(u.Version), TaskQueue: workflows.TaskQueue,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
		WorkflowIDReusePolicy:    enumspb.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE,
	}, workflows.CalendarReloadWorkflow, workflows.ReloadInput{Version: workflows.ReloadInputVersion, Calendar: u})
	return engineError("start calendar reload "+u.Version, err)
}

// CalendarReload queries the reload workflow of version (its latest run).
func (e TemporalEngine) CalendarReload(ctx context.Context, version string) (workflows.ReloadProgress, error) {
	var p workflows.ReloadProgress
	v, err := e.Client.QueryWorkflow(ctx, workflows.CalendarReloadWorkflowID(version), "", workflows.ReloadProgressQuery)
	if err == nil {
		err = v.Get(&p)
	}
	return p, engineError("calendar reload "+version, err)
}

// engineError maps Temporal's errors to the API's: a missing workflow is ErrNotFound; a
// deadline, an unreachable service or a workflow whose task is failing (a worker died in it,
// and Temporal refuses updates and queries until a retry completes) ErrEngineUnavailable, to
// retry with the same key; a refusal passes unchanged.
func engineError(op string, err error) error {
	var notFound *serviceerror.NotFound
	var unavailable *serviceerror.Unavailable
	var deadline *serviceerror.DeadlineExceeded
	var notReady *serviceerror.WorkflowNotReady
	switch {
	case err == nil:
		return nil
	case errors.As(err, &notFound):
		return fmt.Errorf("%s: %w", op, store.ErrNotFound)
	case errors.As(err, &unavailable), errors.As(err, &deadline), errors.As(err, &notReady), errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("%s: %w: %w", op, ErrEngineUnavailable, err)
	}
	return fmt.Errorf("%s: %w", op, err)
}
