package workflows

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/cicpa/weiquan/activities"
	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/calendar"
)

// fakeRecorder is the store in memory: it refuses a seq gap and makes a repeat a no-op.
type fakeRecorder struct {
	mu      sync.Mutex
	records map[string][]article23.Record
}

func (f *fakeRecorder) Record(_ context.Context, batch ...article23.Record) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, r := range batch {
		rs := f.records[r.Case.Number]
		switch {
		case int(r.Event.Seq) <= len(rs):
			continue
		case int(r.Event.Seq) != len(rs)+1:
			return n, fmt.Errorf("seq %d after %d: out of order", r.Event.Seq, len(rs))
		}
		f.records[r.Case.Number] = append(rs, r)
		n++
	}
	return n, nil
}

// calSource is a CalendarSource the test can swap, like the operator's reload.
type calSource struct {
	cal atomic.Pointer[calendar.Calendar]
}

func (c *calSource) Current() *calendar.Calendar { return c.cal.Load() }

// harness drives one case workflow in the time-skipping test environment.
type harness struct {
	t     *testing.T
	env   *testsuite.TestWorkflowEnvironment
	rec   *fakeRecorder
	cal   *calSource
	start time.Time
	n     int
	// askPaths starts the case without Paths in its input, so it asks CasePathsChange's
	// marker (onPaths), as cases started before NewCaseInput did.
	askPaths bool
}

var (
	member     = article23.Actor{ID: "u-wang", Role: article23.RoleMember, Institute: "BJ", MemberNo: "M-1"}
	secretary  = article23.Actor{ID: "u-li", Role: article23.RoleSecretary, Institute: "BJ"}
	supervisor = article23.Actor{ID: "u-zhang", Role: article23.RoleSupervisor, Institute: "BJ"}
	national   = article23.Actor{ID: "u-cicpa", Role: article23.RoleSupervisor, Institute: article23.NationalInstitute}
	outsider   = article23.Actor{ID: "u-hu", Role: article23.RoleSecretary, Institute: "SH"}
)

// sh is a wall-clock instant in Asia/Shanghai.
func sh(date string, hh, mm int) time.Time {
	d, err := calendar.ParseDate(date)
	if err != nil {
		panic(err)
	}
	return d.Start().Add(time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute)
}

func newHarness(t *testing.T, start time.Time) *harness {
	var suite testsuite.WorkflowTestSuite
	h := &harness{t: t, env: suite.NewTestWorkflowEnvironment(), rec: &fakeRecorder{records: map[string][]article23.Record{}},
		cal: &calSource{}, start: start}
	cal, err := calendar.Embedded()
	require.NoError(t, err)
	h.cal.cal.Store(cal)
	h.env.RegisterWorkflow(CaseWorkflow)
	h.env.RegisterActivity(&activities.Activities{Recorder: h.rec, Calendar: h.cal})
	h.env.SetStartTime(start)
	h.env.SetTestTimeout(30 * time.Second)
	return h
}

// newCase is a case received on date with the default policy.
func newCase(received string) article23.Case {
	return article23.Case{Number: "BJ-2026-0042", Institute: "BJ", ReceivedOn: received, Channel: article23.ChannelOnline,
		Applicant:    article23.Applicant{MemberNo: "M-1", Name: "王会计师", Kind: article23.MemberPractising},
		Counterparty: "某会计师事务所", Category: "labour", Summary: "withheld pay", Claims: "three months' pay",
		Secretary: "u-li", Policy: article23.DefaultPolicy(), SubmittedBy: member}
}

// at runs fn at instant when of workflow time.
func (h *harness) at(when time.Time, fn func()) {
	d := when.Sub(h.start)
	require.GreaterOrEqual(h.t, d, time.Duration(0), "callback before the start")
	h.env.RegisterDelayedCallback(fn, d)
}

// outcome is what became of one update.
type outcome struct {
	Case     article23.Case
	Err      error
	Rejected bool
	Done     bool
}

// update sends update name with arg at instant when.
func (h *harness) update(when time.Time, name string, arg any) *outcome {
	o := &outcome{}
	h.n++
	id := fmt.Sprintf("u%d", h.n)
	h.at(when, func() {
		h.env.UpdateWorkflow(name, id, &testsuite.TestUpdateCallback{
			OnReject: func(err error) { o.Err, o.Rejected, o.Done = err, true, true },
			OnAccept: func() {},
			OnComplete: func(r any, err error) {
				o.Err, o.Done = err, true
				if c, ok := r.(article23.Case); ok {
					o.Case = c
				}
			},
		}, arg)
	})
	return o
}

// status queries the workflow now.
func (h *harness) status() StatusResult {
	v, err := h.env.QueryWorkflow(StatusQuery)
	require.NoError(h.t, err)
	var r StatusResult
	require.NoError(h.t, v.Get(&r))
	return r
}

// statusAt captures the status at instant when.
func (h *harness) statusAt(when time.Time) *StatusResult {
	r := &StatusResult{}
	h.at(when, func() { *r = h.status() })
	return r
}

// onPaths starts the case without Paths in its input and answers CasePathsChange's marker
// with v.
func (h *harness) onPaths(v workflow.Version) {
	h.askPaths = true
	h.env.OnGetVersion(CasePathsChange, PathsOneByOne, PathsLatest).Return(v)
}

// input is the case's start: as the API starts it (NewCaseInput), or asking the marker.
func (h *harness) input(c article23.Case) CaseInput {
	if h.askPaths {
		return CaseInput{Version: CaseInputVersion, Case: c}
	}
	return NewCaseInput(c)
}

// run executes the case to its end and returns the final case, started as TemporalEngine
// starts it: with the search attributes its input names.
func (h *harness) run(c article23.Case) article23.Case {
	in := h.input(c)
	require.NoError(h.t, h.env.SetTypedSearchAttributesOnStart(in.StartAttributes()))
	h.env.ExecuteWorkflow(CaseWorkflow, in)
	require.True(h.t, h.env.IsWorkflowCompleted())
	require.NoError(h.t, h.env.GetWorkflowError())
	var out article23.Case
	require.NoError(h.t, h.env.GetWorkflowResult(&out))
	return out
}

// ok asserts that an update was applied.
func ok(t *testing.T, o *outcome) article23.Case {
	t.Helper()
	require.True(t, o.Done, "update never ran")
	require.NoError(t, o.Err)
	return o.Case
}

// refused asserts that an update was refused synchronously by its validator with code.
func refused(t *testing.T, o *outcome, code string) {
	t.Helper()
	require.True(t, o.Done, "update never ran")
	require.Error(t, o.Err)
	require.True(t, o.Rejected, "refused after acceptance: %v", o.Err)
	require.Equal(t, code, CodeOf(o.Err), "%v", o.Err)
	require.NotEmpty(t, ErrorKind(code))
}

// events returns the recorded events of the case, checking they are the workflow's log.
func (h *harness) events(number string) []article23.Event {
	var evs []article23.Event
	for i, r := range h.rec.records[number] {
		require.Equal(h.t, int64(i+1), r.Event.Seq)
		evs = append(evs, r.Event)
	}
	return evs
}

// ofType keeps the events of type typ.
func ofType(evs []article23.Event, typ article23.EventType) []article23.Event {
	var out []article23.Event
	for _, e := range evs {
		if e.Type == typ {
			out = append(out, e)
		}
	}
	return out
}

// due computes the expected deadline with the real calendar, like the activity does.
func (h *harness) due(start string, n int) calendar.Deadline {
	d, err := calendar.ParseDate(start)
	require.NoError(h.t, err)
	dl, err := h.cal.Current().Due(d, n)
	require.NoError(h.t, err)
	return dl
}

// before is 09:00 of the n-th working day before due.
func (h *harness) before(due calendar.Date, n int) time.Time {
	b, err := h.cal.Current().Before(due, n)
	require.NoError(h.t, err)
	return b.Due.Start().Add(9 * time.Hour)
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

// hears reports whether audience a is told of the case's events of type typ (every one).
func (h *harness) hears(number string, typ article23.EventType, a article23.Audience) bool {
	found := false
	for _, r := range h.rec.records[number] {
		if r.Event.Type != typ {
			continue
		}
		told := false
		for _, n := range r.Notifications {
			told = told || n.Audience == a
		}
		if !told {
			return false
		}
		found = true
	}
	return found
}
