package workflows

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cicpa/weiquan/article23"
)

// TestClaimAndReassign: an online case waits unassigned; a secretary of its institute claims
// it (nobody else can, and nobody can claim it twice); it is reassigned to another secretary,
// who is told; the reminder before its breach is then hers, as recorded with the case.
func TestClaimAndReassign(t *testing.T) {
	h := newHarness(t, sh("2026-11-29", 20, 0)) // a Sunday evening
	ma := article23.Actor{ID: "u-ma", Role: article23.RoleSecretary, Institute: "BJ", Name: "马秘书"}
	li := secretary
	li.Name = "李秘书"
	bySupervisor := h.update(sh("2026-11-30", 9, 0), ClaimUpdate, Claim{Actor: supervisor})
	byOutsider := h.update(sh("2026-11-30", 9, 1), ClaimUpdate, Claim{Actor: outsider})
	byMember := h.update(sh("2026-11-30", 9, 2), ClaimUpdate, Claim{Actor: member})
	claimed := h.update(sh("2026-11-30", 9, 3), ClaimUpdate, Claim{Actor: li})
	twice := h.update(sh("2026-11-30", 9, 4), ClaimUpdate, Claim{Actor: ma})
	moved := h.update(sh("2026-12-01", 10, 0), ReassignUpdate, Reassign{Actor: li, Secretary: ma.ID, Name: ma.Name})
	h.update(sh("2026-12-31", 10, 0), WithdrawUpdate, Withdraw{Actor: member})
	late := h.update(sh("2026-12-31", 10, 1), ClaimUpdate, Claim{Actor: ma})
	st := h.statusAt(sh("2026-12-31", 10, 2))
	c := newCase("2026-11-29")
	c.Secretary = ""
	final := h.run(c)

	refused(t, bySupervisor, CodeForbidden)
	refused(t, byOutsider, CodeForbidden)
	refused(t, byMember, CodeForbidden)
	require.Equal(t, "u-li", ok(t, claimed).Secretary)
	refused(t, twice, CodeAlreadyAssigned)
	require.Equal(t, "u-ma", ok(t, moved).Secretary)
	refused(t, late, CodeWithdrawn)
	require.Equal(t, "u-ma", final.Secretary)
	requireToldAsRecorded(t, h, c.Number, *st)

	evs := h.events(final.Number)
	cl := ofType(evs, article23.EventClaimed)
	require.Len(t, cl, 1)
	var data article23.EventData
	require.NoError(t, jsonUnmarshal(cl[0].Data, &data))
	require.Equal(t, article23.EventData{Secretary: "u-li", Name: "李秘书"}, data)
	re := ofType(evs, article23.EventReassigned)
	require.Len(t, re, 1)
	require.NoError(t, jsonUnmarshal(re[0].Data, &data))
	require.Equal(t, article23.EventData{Secretary: "u-ma", Name: "马秘书", Previous: "u-li"}, data)
	require.True(t, h.hears(final.Number, article23.EventReassigned, article23.AudienceSecretary), "the new assignee is told")
	require.False(t, h.hears(final.Number, article23.EventClaimed, article23.AudienceSecretary), "a claim tells nobody")

	// the received case went to "the secretary" while unassigned; the reminders after the
	// reassignment carry the new assignee, at 09:00 of a working day
	dc := h.due("2026-11-29", 15).Due
	var reminders []time.Time
	for _, r := range h.rec.records[final.Number] {
		switch r.Event.Type {
		case article23.EventReceived:
			require.Empty(t, r.Case.Secretary)
		case article23.EventReminder:
			reminders = append(reminders, r.Event.At)
			require.Equal(t, "u-ma", r.Case.Secretary)
			require.Equal(t, article23.AudienceSecretary, r.Notifications[0].Audience)
		}
	}
	require.Len(t, reminders, 2)
	require.True(t, h.before(dc, 5).Equal(reminders[0]), "%v", reminders[0])
	require.True(t, h.before(dc, 1).Equal(reminders[1]), "%v", reminders[1])
}

// requireToldAsRecorded: the status's Told lists, event by event, exactly the notifications the
// recording carried to the store, so a repair re-recording from the status loses no message.
func requireToldAsRecorded(t *testing.T, h *harness, number string, st StatusResult) {
	t.Helper()
	var recorded []Told
	for _, r := range h.rec.records[number] {
		if len(r.Notifications) > 0 && r.Event.Seq <= int64(len(st.Events)) {
			recorded = append(recorded, Told{Seq: r.Event.Seq, Notifications: r.Notifications})
		}
	}
	require.NotEmpty(t, recorded)
	require.Equal(t, recorded, st.Told)
}
