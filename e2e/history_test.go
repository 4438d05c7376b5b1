// Package e2e runs the case workflow against the embedded Temporal server. It is the only
// test package that links the server (~200 MB, slow to link): run it on purpose.
//
//	go test ./e2e -run TestHistories -update-histories   # record workflows/testdata/<name>.v10.json
//	go test ./e2e                     # run the scenarios and replay the recorded histories
package e2e

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/api/temporalproto"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/worker"

	"github.com/cicpa/weiquan/activities"
	"github.com/cicpa/weiquan/api"
	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/calendar"
	"github.com/cicpa/weiquan/internal/testenv"
	"github.com/cicpa/weiquan/workflows"
)

var updateHistories = flag.Bool("update-histories", false, "write the recorded histories to workflows/testdata")

// historySuffix names the histories recorded by the current workflow code: every path of
// workflows.PathsLatest (PathLocalRecords, acts judged by their stated dates, notices taken at
// the act, search attributes kept, a decision's calendar work in one local activity, the alarm
// timer kept across sleeps, the search attributes the case started with taken as said) given
// in the case's input (workflows.NewCaseInput), so no version marker at all, and started as the
// API starts a case (workflows.CaseStart). Older files (<name>.json: PathActivities, <name>.v2.json: PathLocalDeadlines,
// <name>.v3.json: PathLocalRecords, <name>.v4.json: RealDatesChange without notices,
// <name>.v5.json: notices without search attributes, <name>.v6.json: each change asked on its
// own, <name>.v7.json: PathsAtStart, a decision's calendar work in four local activities,
// <name>.v8.json: PathsFewerEvents chosen by CasePathsChange's marker, <name>.v9.json: the same
// paths given in the input, the search attributes all upserted) are never overwritten:
// they keep the replay test covering cases started before each change.
const historySuffix = ".v10.json"

type memRecorder struct {
	mu sync.Mutex
	n  map[string]int
}

func (m *memRecorder) Record(_ context.Context, rs ...article23.Record) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for _, r := range rs {
		if int(r.Event.Seq) <= m.n[r.Case.Number] {
			continue
		}
		if int(r.Event.Seq) != m.n[r.Case.Number]+1 {
			return n, fmt.Errorf("seq %d after %d", r.Event.Seq, m.n[r.Case.Number])
		}
		m.n[r.Case.Number]++
		n++
	}
	return n, nil
}

type fixedCalendar struct{ cal *calendar.Calendar }

func (f fixedCalendar) Current() *calendar.Calendar { return f.cal }

var (
	secretary = article23.Actor{ID: "u-li", Role: article23.RoleSecretary, Institute: "BJ"}
	chief     = article23.Actor{ID: "u-zhang", Role: article23.RoleSupervisor, Institute: "BJ"}
	national  = article23.Actor{ID: "u-cicpa", Role: article23.RoleSupervisor, Institute: article23.NationalInstitute}
	member    = article23.Actor{ID: "u-wang", Role: article23.RoleMember, Institute: "BJ", MemberNo: "M-1"}
)

type env struct {
	t   *testing.T
	c   client.Client
	rec *memRecorder
	cal *calendar.Calendar // the worker's, so the start's deadline is the workflow's
}

func TestHistories(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	c := dial(t, nsHistory)
	cal, err := calendar.Embedded()
	require.NoError(t, err)
	e := &env{t: t, c: c, rec: &memRecorder{n: map[string]int{}}, cal: cal}
	w := worker.New(c, workflows.TaskQueue, worker.Options{})
	w.RegisterWorkflow(workflows.CaseWorkflow)
	w.RegisterActivity(&activities.Activities{Recorder: e.rec, Calendar: fixedCalendar{cal}})
	require.NoError(t, w.Start())
	defer w.Stop()

	today := calendar.DateOf(time.Now()).String()
	e.scenario(ctx, "rejected", today, func(id string) {
		e.update(ctx, id, workflows.DecideUpdate, workflows.Decide{Actor: secretary, Reasons: "not a member matter", NoticeServedOn: today})
	})
	e.scenario(ctx, "on-time", today, func(id string) {
		e.update(ctx, id, workflows.DecideUpdate, workflows.Decide{Actor: secretary, Accept: true, NoticeServedOn: today})
		e.update(ctx, id, workflows.RecordAttachmentsUpdate, workflows.RecordAttachments{Actor: secretary,
			Files: []article23.AttachmentNote{{ID: "att-1", Name: "minutes.pdf", Size: 1024, SHA256: "00"}}})
		e.update(ctx, id, workflows.RecordCommitteeUpdate, workflows.RecordCommittee{Actor: secretary, HeldOn: today, MembersPresent: []string{"张"}, ExpertOpinion: "ok"})
		e.update(ctx, id, workflows.RecordFeedbackUpdate, workflows.RecordFeedback{Actor: secretary, GivenOn: today, Manner: article23.MannerLetter, Summary: "sent"})
		e.update(ctx, id, workflows.CloseUpdate, workflows.Close{Actor: secretary})
	})
	// Received long ago: the decision deadline has passed when the workflow starts, so the
	// breach and both escalations fire at once; then two extensions are approved.
	longAgo := calendar.DateOf(time.Now()).AddDays(-60).String()
	e.scenario(ctx, "extension-breach", longAgo, func(id string) {
		e.update(ctx, id, workflows.DecideUpdate, workflows.Decide{Actor: secretary, Accept: true, NoticeServedOn: today})
		for i, wd := range []int{75, 90} {
			e.update(ctx, id, workflows.RequestExtensionUpdate, workflows.RequestExtension{Actor: secretary, Reason: "hard case", Workdays: wd})
			e.update(ctx, id, workflows.DecideExtensionUpdate, workflows.DecideExtension{Actor: chief, ExtensionID: i + 1, Approve: true})
		}
		e.update(ctx, id, workflows.RecordCommitteeUpdate, workflows.RecordCommittee{Actor: secretary, HeldOn: today, MembersPresent: []string{"张"}, ExpertOpinion: "ok"})
		e.update(ctx, id, workflows.RecordFeedbackUpdate, workflows.RecordFeedback{Actor: secretary, GivenOn: today, Manner: article23.MannerLetter, Summary: "sent"})
		e.update(ctx, id, workflows.CloseUpdate, workflows.Close{Actor: secretary})
	})
	// A paper decision served within its period but entered after the breach fired: the
	// breach is withdrawn and its escalations resolved (RealDatesChange).
	e.scenario(ctx, "backdated", longAgo, func(id string) {
		served := calendar.DateOf(time.Now()).AddDays(-57).String()
		c := e.update(ctx, id, workflows.DecideUpdate, workflows.Decide{Actor: secretary, Reasons: "not a member matter", NoticeServedOn: served})
		dc, _ := c.Clock(article23.ClockDecision)
		require.Equal(e.t, article23.ClockMet, dc.State, "the stated date answers the breach")
		require.NotNil(e.t, c.Escalations[0].ResolvedAt)
	})
	// Online and unassigned: a secretary claims it, hands it to a colleague, who accepts it.
	e.scenarioOf(ctx, "assigned", today, func(c *article23.Case) { c.Secretary, c.Channel = "", article23.ChannelOnline }, func(id string) {
		e.update(ctx, id, workflows.ClaimUpdate, workflows.Claim{Actor: secretary})
		e.update(ctx, id, workflows.ReassignUpdate, workflows.Reassign{Actor: secretary, Secretary: "u-ma", Name: "马秘书"})
		e.update(ctx, id, workflows.DecideUpdate, workflows.Decide{Actor: secretary, Accept: true, NoticeServedOn: today})
	})
	// An institute that asks for supplements: one is asked and received, a calendar reload
	// reaches the case by signal, it is accepted, and the member withdraws it.
	e.scenarioOf(ctx, "supplemented", today, func(c *article23.Case) { c.Policy.AllowSupplement = true }, func(id string) {
		e.update(ctx, id, workflows.RequestSupplementUpdate, workflows.RequestSupplement{Actor: secretary, What: "劳动合同复印件"})
		e.update(ctx, id, workflows.ReceiveSupplementUpdate, workflows.ReceiveSupplement{Actor: secretary, ReceivedOn: today})
		require.NoError(e.t, e.c.SignalWorkflow(ctx, id, "", workflows.CalendarUpdatedSignal, workflows.CalendarUpdated{}))
		e.waitFor(ctx, id, func(c article23.Case, evs []article23.Event) bool {
			return slices.ContainsFunc(evs, func(ev article23.Event) bool { return ev.Type == article23.EventCalendarUpdated })
		})
		e.update(ctx, id, workflows.DecideUpdate, workflows.Decide{Actor: secretary, Accept: true, NoticeServedOn: today})
		e.update(ctx, id, workflows.WithdrawUpdate, workflows.Withdraw{Actor: member, Reason: "已与事务所和解"})
	})
	// Breached on arrival: both escalation levels are raised; the institute's supervisor and
	// CICPA's acknowledge theirs, the case is claimed, reassigned and not accepted.
	e.scenarioOf(ctx, "escalated", longAgo, func(c *article23.Case) { c.Secretary, c.Channel = "", article23.ChannelOnline }, func(id string) {
		e.waitFor(ctx, id, func(c article23.Case, _ []article23.Event) bool { return len(c.Escalations) == 2 })
		c := e.update(ctx, id, workflows.ClaimUpdate, workflows.Claim{Actor: secretary})
		for _, esc := range c.Escalations {
			by := map[int]article23.Actor{1: chief, 2: national}[esc.Level]
			e.update(ctx, id, workflows.AcknowledgeEscalationUpdate, workflows.AcknowledgeEscalation{Actor: by, EscalationID: esc.ID})
		}
		e.update(ctx, id, workflows.ReassignUpdate, workflows.Reassign{Actor: chief, Secretary: "u-ma", Name: "马秘书"})
		e.update(ctx, id, workflows.DecideUpdate, workflows.Decide{Actor: secretary, Reasons: "不属于执业权益事项", NoticeServedOn: today})
	})
	e.reminded(ctx, cal)
}

// reminded: a paper case whose decision is due on the next working day, at an institute whose
// working hours start at the next whole minute. The workflow sleeps on the reminder's timer and
// wakes when the server fires it (the recorded EVENT_TYPE_TIMER_FIRED), then the case is
// accepted. It runs only when recording (-update-histories), on a Shanghai working day with a
// minute left before 23:59: it waits up to 80 s for that minute, and a machine too slow to
// open the case within its 20 s margin would see the reminder dropped as past. Otherwise it
// is skipped, and the recorded file (what CI replays) stays as it is.
func (e *env) reminded(ctx context.Context, cal *calendar.Calendar) {
	if !*updateHistories {
		e.t.Run("reminded", func(t *testing.T) {
			t.Skip("recorded only with -update-histories: it waits for a wall-clock minute; TestReplayCoversASleepThatWakes replays the recording")
		})
		return
	}
	received, start, why := remindedToday(cal, time.Now())
	if why != "" {
		e.t.Run("reminded", func(t *testing.T) { t.Skip(why) })
		return
	}
	today := calendar.DateOf(time.Now()).String()
	e.scenarioOf(ctx, "reminded", received.String(), func(c *article23.Case) {
		c.Policy.WorkingHoursStart = start
		if start >= c.Policy.WorkingHoursEnd {
			c.Policy.WorkingHoursEnd = "23:59"
		}
	}, func(id string) {
		testenv.WaitFor(e.t, 250*time.Millisecond, func() bool {
			return slices.ContainsFunc(e.status(ctx, id).Events, func(ev article23.Event) bool { return ev.Type == article23.EventReminder })
		}, "%s: the reminder at %s (Asia/Shanghai) never fired", id, start)
		fired := slices.ContainsFunc(e.history(ctx, id).Events, func(ev *historypb.HistoryEvent) bool {
			return ev.GetEventType() == enumspb.EVENT_TYPE_TIMER_FIRED
		})
		require.True(e.t, fired, "the reminder came from a timer the workflow slept on")
		e.update(ctx, id, workflows.DecideUpdate, workflows.Decide{Actor: secretary, Accept: true, NoticeServedOn: today})
	})
}

// remindedToday returns the receipt date that makes a decision due on the next working day
// (so its 1-working-day reminder falls today) and the working-hours start, "HH:MM", of the
// first whole minute at least 20 s from now (time enough to open the case), or why today cannot have such a reminder.
func remindedToday(cal *calendar.Calendar, now time.Time) (received calendar.Date, start, why string) {
	today := calendar.DateOf(now)
	if ok, err := cal.IsWorkday(today); err != nil || !ok {
		return received, "", fmt.Sprintf("%s (Asia/Shanghai) is not a working day: reminders fall on working days only, record on one", today)
	}
	at := now.In(calendar.Shanghai()).Add(20 * time.Second).Truncate(time.Minute).Add(time.Minute)
	start = at.Format("15:04")
	if calendar.DateOf(at) != today || start >= "23:59" {
		return received, "", fmt.Sprintf("no whole minute is left on %s (Asia/Shanghai) for working hours to start before 23:59: record earlier in the day", today)
	}
	due, err := cal.Due(today, 1)
	if err != nil {
		return received, "", err.Error()
	}
	r, err := cal.Before(due.Due, article23.DefaultPolicy().DecisionWorkdays)
	if err != nil {
		return received, "", err.Error()
	}
	return r.Due, start, ""
}

// waitFor waits until the case and its log satisfy ok (the workflow acts on its own: alarms,
// signals), asking its status query after each change it could not yet see.
func (e *env) waitFor(ctx context.Context, id string, ok func(article23.Case, []article23.Event) bool) {
	testenv.WaitFor(e.t, 20*time.Millisecond, func() bool {
		s := e.status(ctx, id)
		return ok(s.Case, s.Events)
	}, "%s never reached the awaited state", id)
}

// status is the case workflow's status query answer.
func (e *env) status(ctx context.Context, id string) workflows.StatusResult {
	v, err := e.c.QueryWorkflow(ctx, id, "", workflows.StatusQuery)
	require.NoError(e.t, err)
	var s workflows.StatusResult
	require.NoError(e.t, v.Get(&s))
	return s
}

// scenario opens a case as the API does (Update-With-Start), drives it, waits until every
// event is recorded, checks the history size and replays it, and writes it to
// workflows/testdata/<name>+historySuffix with -update-histories.
func (e *env) scenario(ctx context.Context, name, received string, drive func(id string)) {
	e.scenarioOf(ctx, name, received, func(*article23.Case) {}, drive)
}

// scenarioOf is scenario with the case changed by edit before it is opened.
func (e *env) scenarioOf(ctx context.Context, name, received string, edit func(*article23.Case), drive func(id string)) {
	e.t.Run(name, func(t *testing.T) {
		number := "E2E-" + name
		in := workflows.NewCaseInput(article23.Case{Number: number, Institute: "BJ",
			Applicant: article23.Applicant{MemberNo: "M-1", Kind: article23.MemberPractising}, ReceivedOn: received,
			Channel: article23.ChannelPaper, Secretary: "u-li", Policy: article23.DefaultPolicy(), SubmittedBy: secretary})
		edit(&in.Case)
		id := workflows.CaseWorkflowID(number)
		on, err := calendar.ParseDate(in.Case.ReceivedOn)
		require.NoError(t, err)
		due, err := e.cal.Due(on, in.Case.Policy.DecisionWorkdays)
		require.NoError(t, err)
		in.DecisionDue = due.DeadlineAt // as the API starts a case
		st, err := api.TemporalEngine{Client: e.c}.Open(ctx, in)
		require.NoError(t, err)
		_, ok := st.Case.Clock(article23.ClockDecision)
		require.True(t, ok, "opened answered before the decision clock ran")
		drive(id)
		testenv.WaitFor(t, 100*time.Millisecond, func() bool { return e.recorded(ctx, id) }, "%s: never recorded in the store", id)
		e.findable(ctx, id)
		hist := e.history(ctx, id)
		t.Logf("%s: %d history events", name, len(hist.Events))
		require.Less(t, len(hist.Events), 1000, "a case stays well under 1,000 history events")
		replayer := worker.NewWorkflowReplayer()
		replayer.RegisterWorkflow(workflows.CaseWorkflow)
		require.NoError(t, replayer.ReplayWorkflowHistory(log.NewStructuredLogger(slog.Default()), hist))
		if *updateHistories {
			raw, err := temporalproto.CustomJSONMarshalOptions{Indent: "  "}.Marshal(hist)
			require.NoError(t, err)
			require.NoError(t, os.WriteFile(filepath.Join("..", "workflows", "testdata", name+historySuffix), raw, 0o644))
		}
	})
}

// update sends an update and waits for its result; every step of a scenario must pass.
func (e *env) update(ctx context.Context, id, name string, arg any) article23.Case {
	h, err := e.c.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{WorkflowID: id, UpdateName: name, Args: []any{arg},
		WaitForStage: client.WorkflowUpdateStageCompleted})
	require.NoError(e.t, err, name)
	var c article23.Case
	require.NoError(e.t, h.Get(ctx, &c), name)
	return c
}

// findable waits until Temporal's visibility lists the case under its institute, stage and
// next deadline, as an operator's query in the Temporal UI or CLI would find it.
func (e *env) findable(ctx context.Context, id string) {
	s := e.status(ctx, id)
	query := fmt.Sprintf("WorkflowId = '%s' AND WeiquanInstitute = '%s' AND WeiquanStage = '%s'", id, s.Case.Institute, s.Case.Stage)
	var res *workflowservice.ListWorkflowExecutionsResponse
	testenv.WaitFor(e.t, 50*time.Millisecond, func() bool { // visibility is written after the workflow task
		var err error
		res, err = e.c.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{Query: query})
		require.NoError(e.t, err, query)
		return len(res.Executions) == 1
	}, "visibility never listed %s: %s", id, query)
	_, hasNext := res.Executions[0].GetSearchAttributes().GetIndexedFields()[workflows.NextDueAttr.GetName()]
	running := slices.ContainsFunc(s.Case.Clocks, func(c article23.Clock) bool { return c.State == article23.ClockRunning })
	require.Equal(e.t, running, hasNext, "WeiquanNextDue of a %s case", s.Case.Stage)
}

// recorded reports whether the store has every event of the workflow's log.
func (e *env) recorded(ctx context.Context, id string) bool {
	v, err := e.c.QueryWorkflow(ctx, id, "", workflows.StatusQuery)
	if err != nil {
		return false
	}
	var s workflows.StatusResult
	if v.Get(&s) != nil {
		return false
	}
	e.rec.mu.Lock()
	defer e.rec.mu.Unlock()
	return len(s.Events) > 0 && e.rec.n[s.Case.Number] == len(s.Events)
}

// history is the whole history of workflow id's latest run.
func (e *env) history(ctx context.Context, id string) *historypb.History {
	return historyOfRun(ctx, e.t, e.c, id, "")
}
