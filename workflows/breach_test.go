package workflows

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/calendar"
)

// alarmsOf returns the instants of the reminders, the breach and the escalations of clock n.
func alarmsOf(evs []article23.Event, n article23.ClockName) (reminders []time.Time, breach time.Time, levels map[int]time.Time) {
	levels = map[int]time.Time{}
	for _, e := range evs {
		var d article23.EventData
		if err := jsonUnmarshal(e.Data, &d); err != nil || d.Clock != n {
			continue
		}
		switch e.Type {
		case article23.EventReminder:
			reminders = append(reminders, e.At.UTC())
		case article23.EventClockBreached:
			breach = e.At.UTC()
		case article23.EventEscalated:
			levels[d.Level] = e.At.UTC()
		}
	}
	return reminders, breach, levels
}

// expectLadder checks that clock n, due dl, reminded, breached and escalated exactly when the
// calendar says: 09:00 five and one working days before, 24:00 of the due date, and the end
// of the fifth working day after it.
func (h *harness) expectLadder(evs []article23.Event, n article23.ClockName, dl calendar.Deadline) {
	h.t.Helper()
	reminders, breach, levels := alarmsOf(evs, n)
	require.Equal(h.t, []time.Time{h.before(dl.Due, 5).UTC(), h.before(dl.Due, 1).UTC()}, reminders, n)
	require.Equal(h.t, dl.DeadlineAt.UTC(), breach, n)
	require.Equal(h.t, dl.DeadlineAt.UTC(), levels[1], n)
	require.Equal(h.t, h.due(dl.Due.String(), 5).DeadlineAt.UTC(), levels[2], n)
}

// TestDecisionBreachAcrossNationalDay: received 2026-09-22, due after the National Day week.
func TestDecisionBreachAcrossNationalDay(t *testing.T) {
	h := newHarness(t, sh("2026-09-22", 9, 30))
	dl := h.due("2026-09-22", 15)
	require.Equal(t, "2026-10-20", dl.Due.String(), "the 2026 National Day holiday is not counted")
	mid := h.statusAt(sh("2026-10-30", 12, 0))
	ack := h.update(sh("2026-10-30", 12, 0), AcknowledgeEscalationUpdate, AcknowledgeEscalation{Actor: supervisor, EscalationID: 1})
	ack2 := h.update(sh("2026-10-30", 12, 1), AcknowledgeEscalationUpdate, AcknowledgeEscalation{Actor: supervisor, EscalationID: 2})
	late := h.update(sh("2026-11-02", 10, 0), DecideUpdate, Decide{Actor: secretary, Accept: true, NoticeServedOn: "2026-11-02"})
	h.update(sh("2026-11-03", 10, 0), WithdrawUpdate, Withdraw{Actor: member})
	final := h.run(newCase("2026-09-22"))

	h.expectLadder(h.events(final.Number), article23.ClockDecision, dl)
	dc, _ := mid.Case.Clock(article23.ClockDecision)
	require.Equal(t, article23.ClockBreached, dc.State)
	require.Equal(t, dl.DeadlineAt.UTC(), dc.BreachedAt.UTC())
	require.Len(t, mid.Case.Escalations, 2)
	ok(t, ack)
	refused(t, ack2, CodeForbidden) // level 2 belongs to CICPA's supervisors
	c := ok(t, late)
	dc, _ = c.Clock(article23.ClockDecision)
	require.Equal(t, article23.ClockBreached, dc.State, "a late decision never erases the breach")
	require.Equal(t, "2026-11-02", dc.MetOn)
	require.Equal(t, article23.StageWithdrawn, final.Stage)
}

// TestLaterClocksBreached: accepted on time, then nothing: the committee, feedback and cap
// clocks each remind, breach and escalate, the feedback one across the 2027 Spring Festival.
func TestLaterClocksBreached(t *testing.T) {
	h := newHarness(t, sh("2026-11-27", 20, 0))
	ok1 := h.update(sh("2026-12-10", 11, 0), DecideUpdate, Decide{Actor: secretary, Accept: true, NoticeServedOn: "2026-12-10"})
	h.update(sh("2027-05-20", 10, 0), WithdrawUpdate, Withdraw{Actor: member, Reason: "gave up"})
	final := h.run(newCase("2026-11-27"))
	ok(t, ok1)

	evs := h.events(final.Number)
	for n, wd := range map[article23.ClockName]int{article23.ClockCommittee: 30, article23.ClockFeedback: 60, article23.ClockCap: 90} {
		h.expectLadder(evs, n, h.due("2026-12-10", wd))
	}
	require.Equal(t, "2027-01-22", h.due("2026-12-10", 30).Due.String())
	require.Equal(t, "2027-03-11", h.due("2026-12-10", 60).Due.String())
	require.Len(t, ofType(evs, article23.EventEscalated), 6)
	for _, c := range final.Clocks {
		if c.Name != article23.ClockDecision {
			require.Equal(t, article23.ClockBreached, c.State, c.Name)
		}
	}
	for _, r := range h.rec.records[final.Number] {
		for _, n := range r.Notifications {
			if r.Event.Type == article23.EventEscalated || r.Event.Type == article23.EventClockBreached {
				require.True(t, n.Urgent)
			}
		}
	}
}

// TestBreachBeforeStart: received long ago, the deadline has passed when the case starts:
// the breach and both escalations fire at once, no stale reminder is sent.
func TestBreachBeforeStart(t *testing.T) {
	h := newHarness(t, sh("2026-11-27", 20, 0))
	h.update(sh("2026-11-28", 10, 0), WithdrawUpdate, Withdraw{Actor: member})
	final := h.run(newCase("2026-09-01"))
	evs := h.events(final.Number)
	require.Empty(t, ofType(evs, article23.EventReminder))
	require.Len(t, ofType(evs, article23.EventClockBreached), 1)
	require.Len(t, ofType(evs, article23.EventEscalated), 2)
	dc, _ := final.Clock(article23.ClockDecision)
	require.Equal(t, h.due("2026-09-01", 15).DeadlineAt.UTC(), dc.BreachedAt.UTC())
}
