package workflows

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cicpa/weiquan/article23"
)

// refusal is one invalid action and the code it must be refused with.
type refusal struct {
	code, update string
	arg          any
}

// refuseAll sends every refusal at when (a second apart) and checks the state did not change.
func (h *harness) refuseAll(when time.Time, rs []refusal) func() {
	before := h.statusAt(when)
	outs := make([]*outcome, len(rs))
	for i, r := range rs {
		outs[i] = h.update(when.Add(time.Duration(i+1)*time.Second), r.update, r.arg)
	}
	after := h.statusAt(when.Add(time.Duration(len(rs)+1) * time.Second))
	return func() {
		for i, r := range rs {
			h.t.Run(r.code+"/"+r.update, func(t *testing.T) { refused(t, outs[i], r.code) })
		}
		require.Equal(h.t, *before, *after, "a refused update changes nothing")
	}
}

func TestEveryRefusal(t *testing.T) {
	h := newHarness(t, sh("2026-11-27", 20, 0))
	received := h.refuseAll(sh("2026-12-01", 10, 0), []refusal{
		{CodeForbidden, DecideUpdate, Decide{Actor: outsider, Accept: true, NoticeServedOn: "2026-12-01"}},
		{CodeForbidden, DecideUpdate, Decide{Actor: member, Accept: true, NoticeServedOn: "2026-12-01"}},
		{CodeReasonsRequired, DecideUpdate, Decide{Actor: secretary, Reasons: "  ", NoticeServedOn: "2026-12-01"}},
		{CodeInvalidDate, DecideUpdate, Decide{Actor: secretary, Accept: true, NoticeServedOn: "2026-13-01"}},
		{CodeDateInFuture, DecideUpdate, Decide{Actor: secretary, Accept: true, NoticeServedOn: "2026-12-02"}},
		{CodeDateBeforeStage, DecideUpdate, Decide{Actor: secretary, Accept: true, NoticeServedOn: "2026-11-26"}},
		{CodeWrongStage, RecordCommitteeUpdate, RecordCommittee{Actor: secretary, HeldOn: "2026-12-01", MembersPresent: []string{"张"}, ExpertOpinion: "x"}},
		{CodeWrongStage, RequestExtensionUpdate, RequestExtension{Actor: secretary, Reason: "x", Workdays: 70}},
		{CodeWrongStage, CloseUpdate, Close{Actor: secretary}},
		{CodeWrongStage, ReceiveSupplementUpdate, ReceiveSupplement{Actor: secretary, ReceivedOn: "2026-12-01"}},
		{CodeSupplementNotAllowed, RequestSupplementUpdate, RequestSupplement{Actor: secretary, What: "x"}},
		{CodeInvalidArgument, ReassignUpdate, Reassign{Actor: secretary}},
		{CodeInvalidArgument, DecideUpdate, Decide{Actor: secretary, Reasons: "not a member\x00 matter", NoticeServedOn: "2026-12-01"}},
		{CodeInvalidArgument, RequestSupplementUpdate, RequestSupplement{Actor: secretary, What: "contract\x1b"}},
		{CodeNotFound, AcknowledgeEscalationUpdate, AcknowledgeEscalation{Actor: supervisor, EscalationID: 7}},
		{CodeForbidden, AcknowledgeEscalationUpdate, AcknowledgeEscalation{Actor: secretary, EscalationID: 1}},
	})
	h.update(sh("2026-12-10", 11, 0), DecideUpdate, Decide{Actor: secretary, Accept: true, NoticeServedOn: "2026-12-10"})
	accepted := h.refuseAll(sh("2026-12-11", 10, 0), []refusal{
		{CodeAlreadyDecided, DecideUpdate, Decide{Actor: secretary, Accept: true, NoticeServedOn: "2026-12-11"}},
		{CodeCommitteeRequired, RecordFeedbackUpdate, RecordFeedback{Actor: secretary, GivenOn: "2026-12-11", Manner: article23.MannerEmail, Summary: "x"}},
		{CodeInvalidArgument, RecordCommitteeUpdate, RecordCommittee{Actor: secretary, HeldOn: "2026-12-11", ExpertOpinion: "x"}},
		{CodeDateBeforeStage, RecordCommitteeUpdate, RecordCommittee{Actor: secretary, HeldOn: "2026-12-09", MembersPresent: []string{"张"}, ExpertOpinion: "x"}},
		{CodeInvalidArgument, RequestExtensionUpdate, RequestExtension{Actor: secretary, Reason: "x", Workdays: 70, Until: "2027-04-01"}},
		{CodeInvalidArgument, RequestExtensionUpdate, RequestExtension{Actor: secretary, Workdays: 70}},
		{CodeInvalidDate, RequestExtensionUpdate, RequestExtension{Actor: secretary, Reason: "x", Until: "2027-02-30"}},
		{CodeNotFound, DecideExtensionUpdate, DecideExtension{Actor: supervisor, ExtensionID: 1, Approve: true}},
		{CodeForbidden, WithdrawUpdate, Withdraw{Actor: article23.Actor{ID: "u-x", Role: article23.RoleMember, Institute: "BJ", MemberNo: "M-2"}}},
	})
	h.update(sh("2026-12-11", 11, 0), RecordCommitteeUpdate, RecordCommittee{Actor: secretary, HeldOn: "2026-12-11", MembersPresent: []string{"张"}, ExpertOpinion: "ok"})
	held := h.refuseAll(sh("2026-12-14", 10, 0), []refusal{
		{CodeInvalidArgument, RecordFeedbackUpdate, RecordFeedback{Actor: secretary, GivenOn: "2026-12-14", Manner: "fax", Summary: "x"}},
		{CodeInvalidArgument, RecordFeedbackUpdate, RecordFeedback{Actor: secretary, GivenOn: "2026-12-14", Manner: article23.MannerEmail}},
		{CodeDateInFuture, RecordFeedbackUpdate, RecordFeedback{Actor: secretary, GivenOn: "2026-12-15", Manner: article23.MannerEmail, Summary: "x"}},
		{CodeWrongStage, RecordCommitteeUpdate, RecordCommittee{Actor: secretary, HeldOn: "2026-12-14", MembersPresent: []string{"张"}, ExpertOpinion: "x"}},
	})
	h.update(sh("2026-12-15", 10, 0), WithdrawUpdate, Withdraw{Actor: member})
	withdrawn := h.refuseAll(sh("2026-12-16", 10, 0), []refusal{
		{CodeWithdrawn, RecordFeedbackUpdate, RecordFeedback{Actor: secretary, GivenOn: "2026-12-16", Manner: article23.MannerEmail, Summary: "x"}},
		{CodeWithdrawn, ReassignUpdate, Reassign{Actor: secretary, Secretary: "u-ma"}},
		{CodeWithdrawn, RequestExtensionUpdate, RequestExtension{Actor: secretary, Reason: "x", Workdays: 70}},
	})
	h.run(newCase("2026-11-27"))
	received()
	accepted()
	held()
	withdrawn()
}

// TestSupplement: one request within the window; its receipt restarts the decision clock.
func TestSupplement(t *testing.T) {
	h := newHarness(t, sh("2026-11-27", 20, 0))
	req := h.update(sh("2026-12-01", 10, 0), RequestSupplementUpdate, RequestSupplement{Actor: secretary, What: "labour contract"})
	twice := h.update(sh("2026-12-01", 10, 1), RequestSupplementUpdate, RequestSupplement{Actor: secretary, What: "more"})
	early := h.update(sh("2026-12-03", 10, 0), ReceiveSupplementUpdate, ReceiveSupplement{Actor: secretary, ReceivedOn: "2026-11-30"})
	rec := h.update(sh("2026-12-03", 10, 1), ReceiveSupplementUpdate, ReceiveSupplement{Actor: secretary, ReceivedOn: "2026-12-03"})
	again := h.update(sh("2026-12-03", 10, 2), RequestSupplementUpdate, RequestSupplement{Actor: secretary, What: "more"})
	before := h.update(sh("2026-12-04", 10, 0), DecideUpdate, Decide{Actor: secretary, Accept: true, NoticeServedOn: "2026-12-02"})
	h.update(sh("2026-12-04", 10, 1), DecideUpdate, Decide{Actor: secretary, Accept: true, NoticeServedOn: "2026-12-04"})
	h.update(sh("2026-12-05", 10, 0), WithdrawUpdate, Withdraw{Actor: member})
	c := newCase("2026-11-27")
	c.Policy.AllowSupplement = true
	final := h.run(c)

	require.Equal(t, article23.StageAwaitingSupplement, ok(t, req).Stage)
	require.Equal(t, h.due("2026-11-27", 5).Due.String(), ok(t, req).Supplement.WindowEnds)
	refused(t, twice, CodeSupplementRequested)
	refused(t, early, CodeDateBeforeStage)
	rc := ok(t, rec)
	dc, _ := rc.Clock(article23.ClockDecision)
	require.Equal(t, h.due("2026-12-03", 15).Due.String(), dc.Due)
	require.Equal(t, "2026-12-03", dc.Start)
	refused(t, again, CodeSupplementRequested)
	refused(t, before, CodeDateBeforeStage)
	moved := ofType(h.events(final.Number), article23.EventClockMoved)
	require.Len(t, moved, 1)
}

// TestSupplementWindowClosed: a request after the window is refused.
func TestSupplementWindowClosed(t *testing.T) {
	h := newHarness(t, sh("2026-11-27", 20, 0))
	late := h.update(sh("2026-12-07", 10, 0), RequestSupplementUpdate, RequestSupplement{Actor: secretary, What: "x"})
	h.update(sh("2026-12-07", 11, 0), WithdrawUpdate, Withdraw{Actor: member})
	c := newCase("2026-11-27")
	c.Policy.AllowSupplement = true
	h.run(c)
	refused(t, late, CodeSupplementWindowClosed)
}
