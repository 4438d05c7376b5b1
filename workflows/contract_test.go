package workflows_test

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/cicpa/weiquan/activities"
	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/calendar"
	"github.com/cicpa/weiquan/internal/enginetest"
	wf "github.com/cicpa/weiquan/workflows"
)

// The contract between CaseWorkflow and enginetest's double, which the API's and the
// console's suites run on: the same scenarios, played on both, must give the same refusal
// code and stage after every step, and the same case (clocks, extensions, assignee), log
// (event kinds, actors, data) and notifications at the end.

var (
	cMember     = article23.Actor{ID: "u-wang", Role: article23.RoleMember, Institute: "BJ", MemberNo: "M-1"}
	cSecretary  = article23.Actor{ID: "u-li", Role: article23.RoleSecretary, Institute: "BJ", Name: "李秘书"}
	cColleague  = article23.Actor{ID: "u-ma", Role: article23.RoleSecretary, Institute: "BJ", Name: "马秘书"}
	cSupervisor = article23.Actor{ID: "u-zhang", Role: article23.RoleSupervisor, Institute: "BJ"}
	cOutsider   = article23.Actor{ID: "u-hu", Role: article23.RoleSecretary, Institute: "SH"}
)

// step is one update sent at an instant of Asia/Shanghai.
type step struct {
	at   time.Time
	name string
	arg  any
}

// scenario is a case received on 2026-11-30 (a Monday) at 09:00 and the updates sent to it.
type scenario struct {
	name   string
	policy func(*article23.Policy)
	open   func(*article23.Case)
	steps  []step
	codes  []string // the refusal code of each step, "" when it is applied
}

// played is what became of a scenario: a refusal code ("" when applied), its message and the
// stage after each step, and the status after the last.
type played struct {
	Codes    []string
	Messages []string
	Stages   []article23.Stage
	Status   wf.StatusResult
	Records  []article23.Record // what reached the store
}

// on is hh:mm of date in Asia/Shanghai.
func on(date string, hh, mm int) time.Time {
	d, err := calendar.ParseDate(date)
	if err != nil {
		panic(err)
	}
	return d.Start().Add(time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute)
}

// mon is hh:mm of the scenarios' first day.
func mon(hh, mm int) time.Time { return on("2026-11-30", hh, mm) }

func (sc scenario) input() wf.CaseInput {
	c := article23.Case{Number: "BJ-2026-0042", Institute: "BJ", ReceivedOn: "2026-11-30", Channel: article23.ChannelOnline,
		Applicant:    article23.Applicant{MemberNo: "M-1", Name: "王会计师", Kind: article23.MemberPractising},
		Counterparty: "某会计师事务所", Category: "labour", Summary: "withheld pay", Claims: "three months' pay",
		Secretary: "u-li", Policy: article23.DefaultPolicy(), SubmittedBy: cMember}
	if sc.policy != nil {
		sc.policy(&c.Policy)
	}
	if sc.open != nil {
		sc.open(&c)
	}
	return wf.NewCaseInput(c)
}

// memRecorder is the store in memory, for both sides.
type memRecorder struct {
	mu      sync.Mutex
	records []article23.Record
}

func (m *memRecorder) Record(_ context.Context, rs ...article23.Record) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for _, r := range rs {
		if int(r.Event.Seq) > len(m.records) {
			m.records = append(m.records, r)
			n++
		}
	}
	return n, nil
}

func (m *memRecorder) OpenCaseNumbers(context.Context, string, int) ([]string, error) {
	return nil, nil
}

func embedded(t *testing.T) *calendar.Calendar {
	cal, err := calendar.Embedded()
	require.NoError(t, err)
	return cal
}

// playReal plays sc on CaseWorkflow in the time-skipping test environment.
func playReal(t *testing.T, sc scenario) played {
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestWorkflowEnvironment()
	env.RegisterWorkflow(wf.CaseWorkflow)
	rec := &memRecorder{}
	env.RegisterActivity(&activities.Activities{Recorder: rec, Calendar: calendar.NewHolder(embedded(t))})
	start := mon(9, 0)
	env.SetStartTime(start)
	env.SetTestTimeout(30 * time.Second)
	p := played{Codes: make([]string, len(sc.steps)), Messages: make([]string, len(sc.steps)), Stages: make([]article23.Stage, len(sc.steps))}
	for i, s := range sc.steps {
		env.RegisterDelayedCallback(func() {
			done := func(c article23.Case, err error) {
				p.Codes[i], p.Messages[i], p.Stages[i] = wf.CodeOf(err), message(err), c.Stage
			}
			env.UpdateWorkflow(s.name, s.name+string(rune('a'+i)), &testsuite.TestUpdateCallback{
				OnReject: func(err error) { done(article23.Case{}, err) },
				OnAccept: func() {},
				OnComplete: func(r any, err error) {
					c, _ := r.(article23.Case)
					done(c, err)
				},
			}, s.arg)
		}, s.at.Sub(start))
	}
	last := sc.steps[len(sc.steps)-1].at.Add(time.Minute)
	env.RegisterDelayedCallback(func() {
		v, err := env.QueryWorkflow(wf.StatusQuery)
		require.NoError(t, err)
		require.NoError(t, v.Get(&p.Status))
		env.CancelWorkflow()
	}, last.Sub(start))
	env.ExecuteWorkflow(wf.CaseWorkflow, sc.input())
	require.True(t, env.IsWorkflowCompleted())
	p.Records = rec.records
	return p
}

// playDouble plays sc on enginetest's double, its clock at each step's instant.
func playDouble(t *testing.T, sc scenario) played {
	now, rec := mon(9, 0), &memRecorder{}
	e := enginetest.New(enginetest.Config{Store: rec, Calendar: func() *calendar.Calendar { return embedded(t) },
		Now: func() time.Time { return now }})
	_, err := e.Open(t.Context(), sc.input())
	require.NoError(t, err)
	p := played{Codes: make([]string, len(sc.steps)), Messages: make([]string, len(sc.steps)), Stages: make([]article23.Stage, len(sc.steps))}
	for i, s := range sc.steps {
		now = s.at
		c, err := e.Update(t.Context(), sc.input().Case.Number, s.name, s.arg)
		p.Codes[i], p.Messages[i], p.Stages[i] = wf.CodeOf(err), message(err), c.Stage
		if err != nil && wf.CodeOf(err) == "" {
			t.Fatalf("step %d (%s): %v", i, s.name, err)
		}
	}
	now = sc.steps[len(sc.steps)-1].at.Add(time.Minute)
	p.Status, err = e.Status(t.Context(), sc.input().Case.Number)
	require.NoError(t, err)
	p.Records = rec.records
	return p
}

// TestDoubleKeepsTheWorkflowsContract plays every scenario on both engines.
func TestDoubleKeepsTheWorkflowsContract(t *testing.T) {
	for _, sc := range contractScenarios() {
		t.Run(sc.name, func(t *testing.T) {
			for i := 1; i < len(sc.steps); i++ {
				require.False(t, sc.steps[i].at.Before(sc.steps[i-1].at), "step %d before step %d", i, i-1)
			}
			real, double := playReal(t, sc), playDouble(t, sc)
			require.Equal(t, sc.codes, real.Codes, "the workflow's refusals, step by step")
			for i, s := range sc.steps {
				require.Equal(t, real.Codes[i], double.Codes[i], "step %d (%s): refusal code", i, s.name)
				require.Equal(t, real.Messages[i], double.Messages[i], "step %d (%s): refusal", i, s.name)
				require.Equal(t, real.Stages[i], double.Stages[i], "step %d (%s): stage", i, s.name)
			}
			require.Equal(t, kinds(real.Status.Events), kinds(double.Status.Events), "event kinds")
			require.JSONEq(t, asJSON(t, real.Status.Case.Clocks), asJSON(t, double.Status.Case.Clocks), "clocks")
			require.JSONEq(t, asJSON(t, real.Status.Events), asJSON(t, double.Status.Events), "events")
			require.JSONEq(t, asJSON(t, real.Status.Told), asJSON(t, double.Status.Told), "notifications")
			require.JSONEq(t, asJSON(t, real.Status.Case), asJSON(t, double.Status.Case), "case")
			require.JSONEq(t, asJSON(t, real.Records), asJSON(t, double.Records), "records: events, snapshots and messages as stored")
		})
	}
}

// message is the message of a refusal (the API reads a refused date's field from it).
func message(err error) string {
	var app *temporal.ApplicationError
	if errors.As(err, &app) {
		return app.Message()
	}
	return ""
}

func kinds(evs []article23.Event) []article23.EventType {
	out := make([]article23.EventType, len(evs))
	for i, e := range evs {
		out[i] = e.Type
	}
	return out
}

func asJSON(t *testing.T, v any) string {
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}
