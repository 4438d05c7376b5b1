package workflows

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cicpa/weiquan/article23"
)

func TestNotAccepted(t *testing.T) {
	h := newHarness(t, sh("2026-11-27", 20, 0))
	first := h.statusAt(sh("2026-11-27", 20, 1))
	noReasons := h.update(sh("2026-12-03", 10, 0), DecideUpdate, Decide{Actor: secretary, NoticeServedOn: "2026-12-03"})
	d := h.update(sh("2026-12-03", 10, 1), DecideUpdate, Decide{Actor: secretary, Reasons: "not a member matter", NoticeServedOn: "2026-12-03"})
	late := h.update(sh("2026-12-04", 10, 0), DecideUpdate, Decide{Actor: secretary, Accept: true, NoticeServedOn: "2026-12-04"})
	final := h.run(newCase("2026-11-27"))

	dc, _ := first.Case.Clock(article23.ClockDecision)
	require.Equal(t, "2026-12-18", dc.Due, "15 working days after 2026-11-27")
	require.Equal(t, sh("2026-12-19", 0, 0).UTC(), dc.DeadlineAt.UTC())
	refused(t, noReasons, CodeReasonsRequired)
	c := ok(t, d)
	require.Equal(t, article23.StageNotAccepted, c.Stage)
	dc, _ = c.Clock(article23.ClockDecision)
	require.Equal(t, article23.ClockMet, dc.State)
	require.Equal(t, 4, dc.WorkdaysUsed)
	refused(t, late, CodeAlreadyDecided)
	require.Equal(t, article23.StageNotAccepted, final.Stage)
	evs := h.events(final.Number)
	types := []article23.EventType{}
	for _, e := range evs {
		types = append(types, e.Type)
	}
	require.Equal(t, []article23.EventType{article23.EventReceived, article23.EventClockStarted, article23.EventNotAccepted, article23.EventClockMet}, types)
	require.Equal(t, article23.StageNotAccepted, h.rec.records[final.Number][2].Case.Stage, "the record carries the case after the event")
}

func TestOnTime(t *testing.T) {
	h := newHarness(t, sh("2026-11-27", 20, 0))
	acc := h.update(sh("2026-12-10", 11, 0), DecideUpdate, Decide{Actor: secretary, Accept: true, NoticeServedOn: "2026-12-10"})
	com := h.update(sh("2027-01-20", 15, 0), RecordCommitteeUpdate, RecordCommittee{Actor: secretary, HeldOn: "2027-01-20",
		MembersPresent: []string{"张", "赵"}, ExpertOpinion: "the firm owes the pay"})
	fb := h.update(sh("2027-03-01", 10, 0), RecordFeedbackUpdate, RecordFeedback{Actor: secretary, GivenOn: "2027-03-01",
		Manner: article23.MannerLetter, Summary: "letter sent"})
	cl := h.update(sh("2027-03-02", 10, 0), CloseUpdate, Close{Actor: secretary})
	final := h.run(newCase("2026-11-27"))

	c := ok(t, acc)
	fbClock, _ := c.Clock(article23.ClockFeedback)
	require.Equal(t, "2027-03-11", fbClock.Due, "60 working days from 2026-12-10 skip the 2027 Spring Festival")
	require.Equal(t, h.due("2026-12-10", 60).Due.String(), fbClock.Due)
	require.Contains(t, fbClock.Explanation, "春节")
	require.Equal(t, article23.CountFromDecision, fbClock.CountFrom)
	ok(t, com)
	ok(t, fb)
	require.Equal(t, article23.StageClosed, ok(t, cl).Stage)
	for _, clk := range final.Clocks {
		require.Equal(t, article23.ClockMet, clk.State, clk.Name)
		require.NotZero(t, clk.WorkdaysUsed, clk.Name)
	}
	evs := h.events(final.Number)
	require.Len(t, ofType(evs, article23.EventClockBreached), 0)
	// the committee met on 2027-01-20, after its 5-day reminder (2027-01-15) and before the 1-day one
	rem := ofType(evs, article23.EventReminder)
	require.Len(t, rem, 1)
	require.Equal(t, h.before(h.due("2026-12-10", 30).Due, 5).UTC(), rem[0].At.UTC())
	require.Equal(t, article23.EventClosed, evs[len(evs)-1].Type)
	// Article 23: the member is told in writing of the decision and of the feedback.
	require.True(t, h.hears(final.Number, article23.EventAccepted, article23.AudienceMember))
	require.True(t, h.hears(final.Number, article23.EventFeedbackGiven, article23.AudienceMember))
}

// TestLinger: a finished case stays open for Linger, then the workflow completes.
func TestLinger(t *testing.T) {
	h := newHarness(t, sh("2026-11-27", 20, 0))
	h.update(sh("2026-12-03", 10, 0), WithdrawUpdate, Withdraw{Actor: member, Reason: "settled"})
	late := h.update(sh("2026-12-03", 10, 0).Add(Linger-time.Hour), DecideUpdate, Decide{Actor: secretary, Accept: true, NoticeServedOn: "2026-12-03"})
	h.run(newCase("2026-11-27"))
	refused(t, late, CodeWithdrawn)
	require.Equal(t, sh("2026-12-03", 10, 0).Add(Linger).UTC(), h.env.Now().UTC())
}

// TestUpdateWithFirstTask: an update delivered with the first workflow task waits for the
// decision clock (the e2e test found it reaching the handler before start had run).
func TestUpdateWithFirstTask(t *testing.T) {
	h := newHarness(t, sh("2026-11-27", 20, 0))
	d := h.update(h.start, DecideUpdate, Decide{Actor: secretary, Reasons: "no", NoticeServedOn: "2026-11-27"})
	h.run(newCase("2026-11-27"))
	c := ok(t, d)
	dc, _ := c.Clock(article23.ClockDecision)
	require.Equal(t, article23.ClockMet, dc.State)
}

// TestRecordsCarryTheirTask: every record names the workflow task that emitted it (the
// history length when it started, and the workflow's time), which lets the store replace
// what a discarded task recorded (store.Record).
func TestRecordsCarryTheirTask(t *testing.T) {
	h := newHarness(t, sh("2026-11-27", 20, 0))
	h.env.SetCurrentHistoryLength(17)
	h.update(sh("2026-12-03", 10, 1), DecideUpdate, Decide{Actor: secretary, Reasons: "not a member matter", NoticeServedOn: "2026-12-03"})
	final := h.run(newCase("2026-11-27"))
	rs := h.rec.records[final.Number]
	require.NotEmpty(t, rs)
	for _, r := range rs {
		require.Equal(t, int64(17), r.Task.Event, "seq %d", r.Event.Seq)
		require.True(t, r.Task.At.Equal(r.Event.At), "seq %d: task time %v, event time %v", r.Event.Seq, r.Task.At, r.Event.At)
	}
	require.True(t, rs[0].Task.Compare(rs[len(rs)-1].Task) < 0, "the decision's task comes after the opening's")
}
