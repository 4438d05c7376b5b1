package e2e

import (
	"encoding/json"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"go.temporal.io/sdk/interceptor"
	"go.temporal.io/sdk/workflow"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/calendar"
	"github.com/cicpa/weiquan/internal/testenv"
	"github.com/cicpa/weiquan/reconcile"
	"github.com/cicpa/weiquan/store/storetest"
	"github.com/cicpa/weiquan/worker"
	"github.com/cicpa/weiquan/workflows"
)

// TestDiscardedWorkflowTaskIsSuperseded is the crash the two-of-everything test found, made
// to happen every time. A secretary registers paper materials received 90 working days ago,
// so the case's first workflow task fires the breach and both escalations at once and records
// them. Then the worker "dies" before the task completes: the workflow code panics right after
// that recording (faultAfterRecording), so Temporal discards the task and runs it again, and
// the retry records the case's events anew, as a later task. The store must take the retry's
// events in place of the discarded ones (moved to superseded_events) and, after the
// secretary's acceptance, end equal to the workflow event by event. (A retry that numbers the
// events otherwise — the acceptance reaching it first — is store.TestRecordSupersedesADiscardedTask:
// Temporal refuses updates while a workflow task is failing, so a test cannot place one in the
// retry at will.)
func TestDiscardedWorkflowTaskIsSuperseded(t *testing.T) {
	st := storetest.SQLite(t)
	fault := &faultAfterRecording{}
	s, _ := startStackWith(t, dial(t, nsSupersede), st, worker.Options{Interceptors: []interceptor.WorkerInterceptor{fault}})
	secretary := s.token(article23.RoleSecretary, "BJ", "")
	received := testenv.PastWorkday(t, 90)

	// while the case's first task fails the API may answer 503 (Temporal refuses the update
	// until a retry of the task completes): retried with the same key, as a client does
	var c caseJSON
	testenv.WaitFor(t, 100*time.Millisecond, func() bool {
		status, body := s.sendKeyed(secretary, http.MethodPost, "/api/v1/cases", "supersede-paper-case", map[string]any{
			"institute": "BJ", "applicant": map[string]string{"member_no": "110000000077", "name": "王会计师", "kind": "practising"},
			"counterparty": "某会计师事务所", "category": "labour", "summary": "纸质材料：离职后被拖欠工资", "claims": "支付欠薪",
			"received_on": received,
		})
		if status == http.StatusServiceUnavailable {
			return false
		}
		if err := json.Unmarshal(body, &c); err != nil || c.Number == "" || (status != http.StatusCreated && status != http.StatusAccepted && status != http.StatusOK) {
			t.Fatalf("registering the paper case: %d %s", status, body)
		}
		return true
	}, "the paper case was never registered")
	if fault.failed.Load() != 1 {
		t.Fatalf("the first workflow task failed %d times, want once", fault.failed.Load())
	}
	today := calendar.DateOf(time.Now()).String()
	testenv.WaitFor(t, 100*time.Millisecond, func() bool {
		status, body := s.sendKeyed(secretary, http.MethodPost, "/api/v1/cases/"+c.Number+"/decision", "supersede-accept",
			map[string]any{"decision": "accept", "notice_served_on": today})
		if status == http.StatusServiceUnavailable {
			return false
		}
		if status != http.StatusOK && status != http.StatusAccepted {
			t.Fatalf("accepting: %d %s", status, body)
		}
		return true
	}, "the acceptance was never taken")

	var last []reconcile.Difference
	testenv.WaitFor(t, 100*time.Millisecond, func() bool {
		view, err := st.Case(t.Context(), c.Number)
		if err != nil {
			return false
		}
		q, err := s.c.QueryWorkflow(t.Context(), workflows.CaseWorkflowID(c.Number), "", workflows.StatusQuery)
		if err != nil {
			return false
		}
		var status workflows.StatusResult
		if err := q.Get(&status); err != nil {
			return false
		}
		last = reconcile.Compare(view, status)
		return status.Case.Stage == article23.StageAccepted && len(last) == 0 && reconcile.FirstDiffering(view.Events, status.Events) == 0
	}, "store and workflow never agreed: %v", &last)
	n, err := st.CountSuperseded(t.Context())
	if err != nil || n == 0 {
		t.Fatalf("superseded events: %d, %v: the discarded attempts' events should have been replaced", n, err)
	}
	t.Logf("a workflow task discarded after recording; %d events superseded", n)
}

// faultAfterRecording fails a case's workflow task once, right after a RecordEvents that
// recorded an escalation committed: to Temporal it is a worker that died inside the task.
type faultAfterRecording struct {
	interceptor.WorkerInterceptorBase
	failed atomic.Int32
}

func (f *faultAfterRecording) InterceptWorkflow(_ workflow.Context, next interceptor.WorkflowInboundInterceptor) interceptor.WorkflowInboundInterceptor {
	return &faultInbound{WorkflowInboundInterceptorBase: interceptor.WorkflowInboundInterceptorBase{Next: next}, f: f}
}

type faultInbound struct {
	interceptor.WorkflowInboundInterceptorBase
	f *faultAfterRecording
}

func (i *faultInbound) Init(out interceptor.WorkflowOutboundInterceptor) error {
	return i.Next.Init(&faultOutbound{WorkflowOutboundInterceptorBase: interceptor.WorkflowOutboundInterceptorBase{Next: out}, f: i.f})
}

type faultOutbound struct {
	interceptor.WorkflowOutboundInterceptorBase
	f *faultAfterRecording
}

func (o *faultOutbound) ExecuteLocalActivity(ctx workflow.Context, activityType string, args ...any) workflow.Future {
	fut := o.Next.ExecuteLocalActivity(ctx, activityType, args...)
	if len(args) == 1 {
		if rs, ok := args[0].([]article23.Record); ok && escalates(rs) {
			return dieAfter{Future: fut, f: o.f}
		}
	}
	return fut
}

func escalates(rs []article23.Record) bool {
	for _, r := range rs {
		if r.Event.Type == article23.EventEscalated {
			return true
		}
	}
	return false
}

type dieAfter struct {
	workflow.Future
	f *faultAfterRecording
}

func (d dieAfter) Get(ctx workflow.Context, v any) error {
	err := d.Future.Get(ctx, v)
	if err == nil && d.f.failed.CompareAndSwap(0, 1) {
		panic("e2e: the worker dies after recording, before its workflow task completes")
	}
	return err
}
