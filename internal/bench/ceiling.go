package bench

import (
	"context"
	"fmt"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/workflows"
)

// CeilingTaskQueue is the no-op workflow's own task queue.
const CeilingTaskQueue = "weiquan-bench-ceiling"

// NoopCase answers the case workflow's opened and decide updates and its status query with
// no activity, no store and no timer: what Temporal alone costs for a case's start and
// decision.
func NoopCase(ctx workflow.Context, in workflows.CaseInput) error {
	c := in.Case
	status := func() (workflows.StatusResult, error) { return workflows.StatusResult{Case: c}, nil }
	if err := workflow.SetQueryHandler(ctx, workflows.StatusQuery, status); err != nil {
		return err
	}
	if err := workflow.SetUpdateHandler(ctx, workflows.OpenedUpdate, func(workflow.Context) (workflows.StatusResult, error) { return status() }); err != nil {
		return err
	}
	if err := workflow.SetUpdateHandler(ctx, workflows.DecideUpdate, func(ctx workflow.Context, d workflows.Decide) (article23.Case, error) {
		c.Stage = article23.StageAccepted
		return c, nil
	}); err != nil {
		return err
	}
	return workflow.Await(ctx, func() bool { return false }) // stays open, like a case on its clocks
}

// runCeiling opens o.Cases no-op workflows exactly as TemporalEngine.Open does
// (Update-With-Start of the opened update), then decides each as TemporalEngine.Update does.
func runCeiling(ctx context.Context, c client.Client, o Options, r *Result) error {
	for range max(o.Workers, 1) {
		w := sdkworker.New(c, CeilingTaskQueue, workerOptions())
		w.RegisterWorkflow(NoopCase)
		if err := w.Start(); err != nil {
			return fmt.Errorf("start the ceiling worker: %w", err)
		}
		defer w.Stop()
	}
	run := fmt.Sprintf("%x", time.Now().UnixNano())
	id := func(i int) string { return fmt.Sprintf("bench-%s-%d", run, i) }
	start, err := phase(ctx, o, PhaseCeilingIntake, func(i int) error {
		in := workflows.CaseInput{Version: workflows.CaseInputVersion, Case: ceilingCase(i)}
		start := c.NewWithStartWorkflowOperation(client.StartWorkflowOptions{ID: id(i), TaskQueue: CeilingTaskQueue,
			WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
			WorkflowIDReusePolicy:    enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE}, NoopCase, in)
		h, err := c.UpdateWithStartWorkflow(ctx, client.UpdateWithStartWorkflowOptions{StartWorkflowOperation: start,
			UpdateOptions: client.UpdateWorkflowOptions{WorkflowID: id(i), UpdateName: workflows.OpenedUpdate,
				WaitForStage: client.WorkflowUpdateStageCompleted}})
		if err == nil {
			var st workflows.StatusResult
			err = h.Get(ctx, &st)
		}
		return err
	})
	if err != nil {
		return err
	}
	decide, err := phase(ctx, o, PhaseCeilingDecide, func(i int) error {
		h, err := c.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{UpdateID: id(i) + "-decide", WorkflowID: id(i),
			UpdateName: workflows.DecideUpdate, WaitForStage: client.WorkflowUpdateStageCompleted,
			Args: []any{workflows.Decide{Accept: true}}})
		if err == nil {
			var out article23.Case
			err = h.Get(ctx, &out)
		}
		return err
	})
	if err != nil {
		return err
	}
	r.Errors += start.errors + decide.errors
	r.noteError(start.firstErr, decide.firstErr)
	r.CeilingPerS, r.CeilingP50ms, r.CeilingP99ms = start.rate(), start.pct(50), start.pct(99)
	r.CeilingDecidePerS = decide.rate()
	r.CeilingCPUms, r.CeilingDecideCPUms = start.cpuPerOp(), decide.cpuPerOp()
	return nil
}

// ceilingCase is a case like the load's, so payloads (and their encryption) weigh the same.
func ceilingCase(i int) article23.Case {
	return article23.Case{Number: fmt.Sprintf("BENCH-%d", i), Institute: "BJ", Stage: article23.StageReceived,
		Applicant:    article23.Applicant{MemberNo: memberNo(i), Name: fmt.Sprintf("压测会员%d", i), Kind: article23.MemberPractising},
		Counterparty: "某会计师事务所", Category: "labour", Summary: "离职后被拖欠三个月工资（压测）", Claims: "支付欠薪",
		Channel: article23.ChannelOnline, Policy: article23.DefaultPolicy(), ReceivedOn: time.Now().Format("2006-01-02")}
}
