package workflows

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cicpa/weiquan/article23"
)

// TestExtensionUpToCap: two approved extensions take feedback to the 90-working-day cap;
// one past the cap is refused, and the re-armed timers follow the new due date.
func TestExtensionUpToCap(t *testing.T) {
	h := newHarness(t, sh("2026-11-27", 20, 0))
	h.update(sh("2026-12-10", 11, 0), DecideUpdate, Decide{Actor: secretary, Accept: true, NoticeServedOn: "2026-12-10"})
	h.update(sh("2027-01-20", 15, 0), RecordCommitteeUpdate, RecordCommittee{Actor: secretary, HeldOn: "2027-01-20", MembersPresent: []string{"张"}, ExpertOpinion: "ok"})
	r1 := h.update(sh("2027-02-22", 10, 0), RequestExtensionUpdate, RequestExtension{Actor: secretary, Reason: "witness abroad", Workdays: 75})
	twice := h.update(sh("2027-02-22", 10, 1), RequestExtensionUpdate, RequestExtension{Actor: secretary, Reason: "again", Workdays: 80})
	byStaff := h.update(sh("2027-02-22", 10, 2), DecideExtensionUpdate, DecideExtension{Actor: secretary, ExtensionID: 1, Approve: true})
	a1 := h.update(sh("2027-02-23", 10, 0), DecideExtensionUpdate, DecideExtension{Actor: supervisor, ExtensionID: 1, Approve: true, Note: "ok"})
	again := h.update(sh("2027-02-23", 10, 1), DecideExtensionUpdate, DecideExtension{Actor: supervisor, ExtensionID: 1, Approve: false})
	after1 := h.statusAt(sh("2027-02-23", 10, 2))
	tooFar := h.update(sh("2027-03-20", 10, 0), RequestExtensionUpdate, RequestExtension{Actor: secretary, Reason: "more", Workdays: 91})
	tooFarDate := h.update(sh("2027-03-20", 10, 1), RequestExtensionUpdate, RequestExtension{Actor: secretary, Reason: "more", Until: "2027-04-26"})
	short := h.update(sh("2027-03-20", 10, 2), RequestExtensionUpdate, RequestExtension{Actor: secretary, Reason: "less", Workdays: 70})
	r2 := h.update(sh("2027-03-20", 10, 3), RequestExtensionUpdate, RequestExtension{Actor: secretary, Reason: "expert report late", Until: "2027-04-23"})
	a2 := h.update(sh("2027-03-22", 10, 0), DecideExtensionUpdate, DecideExtension{Actor: national, ExtensionID: 2, Approve: true})
	fb := h.update(sh("2027-04-20", 10, 0), RecordFeedbackUpdate, RecordFeedback{Actor: secretary, GivenOn: "2027-04-20", Manner: article23.MannerMeeting, Summary: "met"})
	h.update(sh("2027-04-21", 10, 0), CloseUpdate, Close{Actor: secretary})
	final := h.run(newCase("2026-11-27"))

	c := ok(t, r1)
	require.Equal(t, h.due("2026-12-10", 75).Due.String(), c.Extensions[0].NewDue)
	refused(t, twice, CodeExtensionPending)
	refused(t, byStaff, CodeForbidden)
	c1 := ok(t, a1)
	fbc, _ := c1.Clock(article23.ClockFeedback)
	require.Equal(t, "2027-04-01", fbc.Due)
	require.Equal(t, 75, fbc.Workdays)
	refused(t, again, CodeExtensionNotPending)
	for _, a := range after1.PendingAlarms {
		if a.Clock == article23.ClockFeedback {
			require.Equal(t, "2027-04-01", a.Due, "timers re-armed for the new due date")
		}
	}
	refused(t, tooFar, CodeBeyondCap)
	refused(t, tooFarDate, CodeBeyondCap)
	refused(t, short, CodeExtensionTooShort)
	require.Equal(t, 90, ok(t, r2).Extensions[1].Workdays)
	c2 := ok(t, a2)
	fbc, _ = c2.Clock(article23.ClockFeedback)
	require.Equal(t, "2027-04-23", fbc.Due)
	ok(t, fb)
	fbc, _ = final.Clock(article23.ClockFeedback)
	require.Equal(t, article23.ClockMet, fbc.State)

	moved := ofType(h.events(final.Number), article23.EventClockMoved)
	require.Len(t, moved, 2)
	var d article23.EventData
	require.NoError(t, jsonUnmarshal(moved[0].Data, &d))
	require.Equal(t, article23.EventData{Clock: article23.ClockFeedback, OldDue: "2027-03-11", NewDue: "2027-04-01",
		Reason: ReasonExtension, Workdays: 75, Version: fbc.CalendarVersion}, d)
	require.Empty(t, ofType(h.events(final.Number), article23.EventClockBreached))
	require.True(t, h.hears(final.Number, article23.EventExtensionApproved, article23.AudienceMember), "the member is told of each new date")
	require.True(t, h.hears(final.Number, article23.EventExtensionRequested, article23.AudienceSupervisors))
}

// TestExtensionAfterBreach: a passed feedback deadline cannot be extended.
func TestExtensionAfterBreach(t *testing.T) {
	h := newHarness(t, sh("2026-11-27", 20, 0))
	h.update(sh("2026-12-10", 11, 0), DecideUpdate, Decide{Actor: secretary, Accept: true, NoticeServedOn: "2026-12-10"})
	h.update(sh("2027-01-20", 15, 0), RecordCommitteeUpdate, RecordCommittee{Actor: secretary, HeldOn: "2027-01-20", MembersPresent: []string{"张"}, ExpertOpinion: "ok"})
	late := h.update(sh("2027-03-12", 10, 0), RequestExtensionUpdate, RequestExtension{Actor: secretary, Reason: "late", Workdays: 80})
	h.update(sh("2027-03-12", 11, 0), WithdrawUpdate, Withdraw{Actor: member})
	h.run(newCase("2026-11-27"))
	refused(t, late, CodeClockBreached)
}
