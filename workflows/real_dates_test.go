package workflows

import (
	"testing"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/workflow"

	"github.com/cicpa/weiquan/article23"
)

// realDatesCase: received 2026-09-22, the decision is due 2026-10-20 (after the National Day
// week) and breaches at its 24:00; on Thursday 2026-10-22 the secretary enters a decision
// served on servedOn. It returns the decision's answer and the final case.
func realDatesCase(t *testing.T, servedOn string, version workflow.Version) (*harness, article23.Case, article23.Case) {
	h := newHarness(t, sh("2026-09-22", 9, 30))
	h.onPaths(PathsOneByOne) // each change on its own
	h.env.OnGetVersion(RealDatesChange, workflow.DefaultVersion, RealDatesJudged).Return(version)
	d := h.update(sh("2026-10-22", 10, 0), DecideUpdate, Decide{Actor: secretary, Accept: true, NoticeServedOn: servedOn})
	h.update(sh("2026-11-05", 10, 0), WithdrawUpdate, Withdraw{Actor: member})
	final := h.run(newCase("2026-09-22"))
	return h, ok(t, d), final
}

// TestStatedDateWithdrawsBreach: a paper decision served on Monday 2026-10-19, the day before
// its due date, entered on Thursday after the breach fired, meets the clock: the breach is
// withdrawn with an audit event, its escalation is resolved, the second level never comes,
// and the three working days between the stated date and the entry are kept.
func TestStatedDateWithdrawsBreach(t *testing.T) {
	h, c, final := realDatesCase(t, "2026-10-19", RealDatesJudged)
	dc, _ := c.Clock(article23.ClockDecision)
	require.Equal(t, article23.ClockMet, dc.State)
	require.Nil(t, dc.BreachedAt)
	require.Equal(t, "2026-10-19", dc.MetOn)
	require.Equal(t, "2026-10-22", dc.EnteredOn)
	require.Equal(t, 3, dc.EntryLagWorkdays)
	require.True(t, dc.LateEntry(), "entered after its due date")
	require.Len(t, c.Escalations, 1)
	require.NotNil(t, c.Escalations[0].ResolvedAt)

	evs := h.events(final.Number)
	require.Len(t, ofType(evs, article23.EventClockBreached), 1, "the breach stays in the log")
	withdrawn := ofType(evs, article23.EventBreachWithdrawn)
	require.Len(t, withdrawn, 1)
	var d article23.EventData
	require.NoError(t, jsonUnmarshal(withdrawn[0].Data, &d))
	require.Equal(t, article23.EventData{Clock: article23.ClockDecision, Due: "2026-10-20", Date: "2026-10-19", Workdays: 3, Note: "1"}, d)
	require.True(t, h.hears(final.Number, article23.EventBreachWithdrawn, article23.AudienceSupervisors))
	require.Len(t, ofType(evs, article23.EventEscalated), 1, "no second level once the act is on time")
	require.Len(t, ofType(evs, article23.EventClockMet), 1)
}

// TestLateStatedDateStaysBreached: a decision served after its due date stays a breach, with
// its entry lag kept.
func TestLateStatedDateStaysBreached(t *testing.T) {
	h, c, final := realDatesCase(t, "2026-10-21", RealDatesJudged)
	dc, _ := c.Clock(article23.ClockDecision)
	require.Equal(t, article23.ClockBreached, dc.State)
	require.Equal(t, 1, dc.EntryLagWorkdays)
	require.False(t, dc.LateEntry())
	require.Nil(t, c.Escalations[0].ResolvedAt)
	require.Empty(t, ofType(h.events(final.Number), article23.EventBreachWithdrawn))
}

// TestBeforeRealDates: acts recorded before RealDatesChange keep the breach and no entry lag,
// as they were recorded.
func TestBeforeRealDates(t *testing.T) {
	h, c, final := realDatesCase(t, "2026-10-19", workflow.DefaultVersion)
	dc, _ := c.Clock(article23.ClockDecision)
	require.Equal(t, article23.ClockBreached, dc.State)
	require.Empty(t, dc.EnteredOn)
	require.Empty(t, ofType(h.events(final.Number), article23.EventBreachWithdrawn))
}

// TestSameDayEntryHasNoLag: an act entered on its stated date costs no calendar call and has
// no lag.
func TestSameDayEntryHasNoLag(t *testing.T) {
	h := newHarness(t, sh("2026-11-27", 20, 0))
	d := h.update(sh("2026-12-03", 10, 1), DecideUpdate, Decide{Actor: secretary, Reasons: "not a member matter", NoticeServedOn: "2026-12-03"})
	h.run(newCase("2026-11-27"))
	c := ok(t, d)
	dc, _ := c.Clock(article23.ClockDecision)
	require.Equal(t, "2026-12-03", dc.EnteredOn)
	require.Zero(t, dc.EntryLagWorkdays)
	require.False(t, dc.LateEntry())
}
