package workflows

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/cicpa/weiquan/article23"
)

// TestExecutionPaths: every path of LocalDeadlinesChange computes the same dates and records
// the same log; the version chosen at start decides, for the whole run, which activities run
// as full and which as local activities.
func TestExecutionPaths(t *testing.T) {
	type counts struct{ fullCalendar, localCalendar, fullRecord, localRecord, localRecordCalls int }
	for _, tc := range []struct {
		name string
		path workflow.Version
		want counts
	}{
		// ComputeDeadline at start, CountWorkdays in decide; receipt, clock started, decision, clock met
		{"PathActivities", PathActivities, counts{fullCalendar: 2, fullRecord: 4}},
		{"PathLocalDeadlines", PathLocalDeadlines, counts{localCalendar: 2, fullRecord: 4}},
		// ... in two transactions: receipt and clock at start, decision and clock met in decide
		{"PathLocalRecords", PathLocalRecords, counts{localCalendar: 2, localRecord: 4, localRecordCalls: 2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, sh("2026-11-27", 20, 0))
			h.onPaths(PathsOneByOne) // each change on its own
			h.env.OnGetVersion(LocalDeadlinesChange, PathActivities, PathLocalRecords).Return(tc.path)
			var got counts
			h.env.SetOnActivityStartedListener(func(info *activity.Info, _ context.Context, _ converter.EncodedValues) {
				if info.ActivityType.Name == "RecordEvent" {
					got.fullRecord++
				} else {
					got.fullCalendar++
				}
			})
			h.env.SetOnLocalActivityStartedListener(func(_ *activity.Info, _ context.Context, args []any) {
				if rs, ok := args[0].([]article23.Record); ok {
					got.localRecord += len(rs)
					got.localRecordCalls++
				} else {
					got.localCalendar++
				}
			})
			d := h.update(sh("2026-12-03", 10, 1), DecideUpdate, Decide{Actor: secretary, Reasons: "not a member matter", NoticeServedOn: "2026-12-03"})
			h.run(newCase("2026-11-27"))

			c := ok(t, d)
			dc, _ := c.Clock(article23.ClockDecision)
			require.Equal(t, "2026-12-18", dc.Due)
			require.Equal(t, 4, dc.WorkdaysUsed)
			require.Equal(t, tc.want, got)
			require.Len(t, h.rec.records["BJ-2026-0042"], 4, "every event recorded once, on every path")
		})
	}
}

// TestActCalendarPath: on PathsFewerEvents an acceptance's calendar work (how long it took,
// the three clocks it starts) is one local ActCalendar, and the case it leaves is the case
// PathsAtStart's four local activities leave, clock by clock.
func TestActCalendarPath(t *testing.T) {
	cases := map[workflow.Version]article23.Case{}
	for _, tc := range []struct {
		paths workflow.Version
		want  []string
	}{
		{PathsAtStart, []string{"ComputeDeadline", "CountWorkdays", "ComputeDeadline", "ComputeDeadline", "ComputeDeadline"}},
		{PathsFewerEvents, []string{"ComputeDeadline", "ActCalendar"}},
	} {
		h := newHarness(t, sh("2026-11-27", 20, 0))
		h.onPaths(tc.paths)
		var got []string
		h.env.SetOnLocalActivityStartedListener(func(info *activity.Info, _ context.Context, _ []any) {
			if info.ActivityType.Name != "RecordEvents" {
				got = append(got, info.ActivityType.Name)
			}
		})
		d := h.update(sh("2026-12-03", 10, 1), DecideUpdate, Decide{Actor: secretary, Accept: true, NoticeServedOn: "2026-12-03"})
		h.update(sh("2026-12-04", 10, 0), WithdrawUpdate, Withdraw{Actor: member, Reason: "settled"}) // so the run ends
		h.run(newCase("2026-11-27"))
		c := ok(t, d)
		require.Equal(t, tc.want, got, "paths %d", tc.paths)
		require.Len(t, c.Clocks, 4, "the decision's clock and the three an acceptance starts")
		dc, _ := c.Clock(article23.ClockDecision)
		require.Equal(t, 4, dc.WorkdaysUsed)
		cases[tc.paths] = c
	}
	require.Equal(t, cases[PathsAtStart].Clocks, cases[PathsFewerEvents].Clocks)
}

// TestKeptTimer: on PathsFewerEvents the main loop keeps one alarm timer across its sleeps.
// An act that leaves the next wake where it was (a claim) starts no timer; one that moves it
// (the acceptance) cancels the old timer; so every timer started either fires when an alarm
// is due or is cancelled. On PathsAtStart each sleep woken early left its timer to fire later
// for nothing. The case, its log and every alarm's instant are the same on both paths.
func TestKeptTimer(t *testing.T) {
	type timers struct {
		startedAt, firedAt, cancelledAt []time.Time
	}
	got := map[workflow.Version]*timers{}
	logs := map[workflow.Version][]string{}
	claim, accept, withdraw := sh("2026-11-30", 9, 3), sh("2026-12-22", 10, 0), sh("2026-12-28", 10, 0)
	for _, paths := range []workflow.Version{PathsAtStart, PathsFewerEvents} {
		h := newHarness(t, sh("2026-11-27", 20, 0))
		h.onPaths(paths)
		tm := &timers{}
		got[paths] = tm
		h.env.SetOnTimerScheduledListener(func(string, time.Duration) { tm.startedAt = append(tm.startedAt, h.env.Now().UTC()) })
		h.env.SetOnTimerFiredListener(func(string) { tm.firedAt = append(tm.firedAt, h.env.Now().UTC()) })
		h.env.SetOnTimerCanceledListener(func(string) { tm.cancelledAt = append(tm.cancelledAt, h.env.Now().UTC()) })
		h.update(claim, ClaimUpdate, Claim{Actor: secretary})
		// the decision is late: its reminders and its breach fire before it
		h.update(accept, DecideUpdate, Decide{Actor: secretary, Accept: true, NoticeServedOn: "2026-12-22"})
		h.update(withdraw, WithdrawUpdate, Withdraw{Actor: member, Reason: "settled"})
		c := newCase("2026-11-27")
		c.Secretary = ""
		h.run(c)
		for _, r := range h.rec.records[c.Number] {
			logs[paths] = append(logs[paths], fmt.Sprintf("%d %s %s", r.Event.Seq, r.Event.Type, r.Event.At.UTC().Format(time.RFC3339)))
		}
	}
	require.Equal(t, logs[PathsAtStart], logs[PathsFewerEvents], "the same log, every alarm at the same instant")
	for _, e := range []article23.EventType{article23.EventReminder, article23.EventClockBreached} {
		require.Contains(t, strings.Join(logs[PathsFewerEvents], "\n"), " "+string(e)+" ", "the alarms fired")
	}

	kept, old := got[PathsFewerEvents], got[PathsAtStart]
	require.NotContains(t, kept.startedAt, claim.UTC(), "a claim leaves the next wake where it was: no timer")
	require.Contains(t, old.startedAt, claim.UTC(), "PathsAtStart slept again on a new timer")
	require.Equal(t, []time.Time{accept.UTC(), withdraw.UTC()}, kept.cancelledAt, "the acceptance and the withdrawal moved the next wake")
	require.Empty(t, old.cancelledAt)
	require.Equal(t, len(kept.startedAt), len(kept.firedAt)+len(kept.cancelledAt), "every timer fires or is cancelled")
	require.Less(t, len(kept.firedAt), len(old.firedAt), "no timer fires for nothing")
	t.Logf("timers started, fired, cancelled: PathsAtStart %d, %d, %d; PathsFewerEvents %d, %d, %d",
		len(old.startedAt), len(old.firedAt), len(old.cancelledAt), len(kept.startedAt), len(kept.firedAt), len(kept.cancelledAt))
}

// TestPathsGivenInInput: a case started with Paths in its input (NewCaseInput, as the API
// starts every case) runs the paths it names without asking CasePathsChange's marker, and
// runs them as the marker's answer would: the same calendar activities, the same clocks. A
// Paths this code does not know fails the workflow task, not the case.
func TestPathsGivenInInput(t *testing.T) {
	run := func(in func(article23.Case) CaseInput) (calls []string, asked bool, c article23.Case) {
		h := newHarness(t, sh("2026-11-27", 20, 0))
		h.env.OnGetVersion(CasePathsChange, PathsOneByOne, PathsLatest).Return(PathsLatest).Run(func(mock.Arguments) { asked = true })
		h.env.SetOnLocalActivityStartedListener(func(info *activity.Info, _ context.Context, _ []any) {
			if info.ActivityType.Name != "RecordEvents" {
				calls = append(calls, info.ActivityType.Name)
			}
		})
		d := h.update(sh("2026-12-03", 10, 1), DecideUpdate, Decide{Actor: secretary, Accept: true, NoticeServedOn: "2026-12-03"})
		h.update(sh("2026-12-04", 10, 0), WithdrawUpdate, Withdraw{Actor: member, Reason: "settled"})
		h.env.ExecuteWorkflow(CaseWorkflow, in(newCase("2026-11-27")))
		require.True(t, h.env.IsWorkflowCompleted())
		require.NoError(t, h.env.GetWorkflowError())
		return calls, asked, ok(t, d)
	}
	asked := func(c article23.Case) CaseInput { return CaseInput{Version: CaseInputVersion, Case: c} }
	given := func(v workflow.Version) func(article23.Case) CaseInput {
		return func(c article23.Case) CaseInput { return CaseInput{Version: CaseInputVersion, Paths: int(v), Case: c} }
	}

	markerCalls, markerAsked, markerCase := run(asked)
	require.True(t, markerAsked, "an input without Paths asks the marker")
	require.Equal(t, NewCaseInput(newCase("2026-11-27")), given(PathsLatest)(newCase("2026-11-27")), "NewCaseInput gives PathsLatest")
	inputCalls, inputAsked, inputCase := run(NewCaseInput)
	require.False(t, inputAsked, "an input with Paths asks no marker")
	require.Equal(t, []string{"ComputeDeadline", "ActCalendar"}, inputCalls)
	require.Equal(t, markerCalls, inputCalls)
	require.Equal(t, markerCase.Clocks, inputCase.Clocks)

	oldCalls, oldAsked, _ := run(given(PathsAtStart))
	require.False(t, oldAsked)
	require.Equal(t, []string{"ComputeDeadline", "CountWorkdays", "ComputeDeadline", "ComputeDeadline", "ComputeDeadline"}, oldCalls, "Paths 1 runs PathsAtStart")

	h := newHarness(t, sh("2026-11-27", 20, 0))
	h.env.ExecuteWorkflow(CaseWorkflow, given(PathsLatest+1)(newCase("2026-11-27")))
	var panicked *temporal.PanicError
	require.ErrorAs(t, h.env.GetWorkflowError(), &panicked, "an unknown Paths is a panic, which fails the task and not the case")
	require.Contains(t, panicked.Error(), fmt.Sprintf("case input paths %d: this worker runs 1 to %d", PathsLatest+1, PathsLatest))
	require.Empty(t, h.rec.records["BJ-2026-0042"], "nothing recorded")
}
