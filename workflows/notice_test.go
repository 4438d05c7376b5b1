package workflows

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cicpa/weiquan/article23"
)

// noticeOf decodes the notice the only event of type typ carries.
func (h *harness) noticeOf(number string, typ article23.EventType) *article23.Notice {
	evs := ofType(h.events(number), typ)
	require.Len(h.t, evs, 1, "%s events", typ)
	var d article23.EventData
	require.NoError(h.t, jsonUnmarshal(evs[0].Data, &d))
	return d.Notice
}

// TestNoticesTakenAtTheAct: each act that calls for a letter records the letter's facts as
// they stood that day. The acceptance keeps the 60-day feedback date after an extension moves
// it; the extension states its reason and both dates; the feedback the committee's opinion.
func TestNoticesTakenAtTheAct(t *testing.T) {
	h := newHarness(t, sh("2026-11-27", 20, 0))
	h.update(sh("2026-12-10", 11, 0), DecideUpdate, Decide{Actor: secretary, Accept: true, NoticeServedOn: "2026-12-10"})
	h.update(sh("2027-01-20", 15, 0), RecordCommitteeUpdate, RecordCommittee{Actor: secretary, HeldOn: "2027-01-20", MembersPresent: []string{"张", "李"}, ExpertOpinion: "支持会员主张"})
	h.update(sh("2027-02-22", 10, 0), RequestExtensionUpdate, RequestExtension{Actor: secretary, Reason: "证人在境外", Workdays: 75})
	h.update(sh("2027-02-23", 10, 0), DecideExtensionUpdate, DecideExtension{Actor: supervisor, ExtensionID: 1, Approve: true})
	h.update(sh("2027-03-01", 10, 0), RecordFeedbackUpdate, RecordFeedback{Actor: secretary, GivenOn: "2027-03-01", Manner: article23.MannerMeeting, Summary: "建议协商"})
	h.update(sh("2027-03-02", 10, 0), CloseUpdate, Close{Actor: secretary})
	st := h.statusAt(sh("2027-03-02", 10, 1))
	final := h.run(newCase("2026-11-27"))
	n := final.Number
	// the committee's meeting told to the member after the act is in Told too (a repair's source)
	requireToldAsRecorded(t, h, n, *st)
	require.True(t, h.hears(n, article23.EventCommitteeHeld, article23.AudienceMember))

	acc := h.noticeOf(n, article23.EventAccepted)
	require.NotNil(t, acc, "the acceptance carries its notice")
	require.Equal(t, article23.NoticeVersion, acc.Version)
	require.Equal(t, "2026-12-10", acc.IssuedOn)
	require.Equal(t, []string{"2027-01-22", "2027-03-11"}, []string{acc.Deadlines[0].Due, acc.Deadlines[1].Due},
		"committee and feedback as computed at acceptance, not the extended date")
	require.Equal(t, 60, acc.Deadlines[1].Workdays)
	require.NotEmpty(t, acc.Deadlines[1].Explanation)

	ext := h.noticeOf(n, article23.EventExtensionApproved)
	require.NotNil(t, ext)
	require.Equal(t, []string{"证人在境外", "2027-03-11", "2027-04-01"}, []string{ext.ExtensionReason, ext.OldDue, ext.NewDue})
	require.NotEmpty(t, ext.NewDueNote, "how the new date is counted")

	fb := h.noticeOf(n, article23.EventFeedbackGiven)
	require.NotNil(t, fb)
	require.Equal(t, []string{"2027-01-20", "支持会员主张", "2027-03-01", "建议协商"},
		[]string{fb.CommitteeHeldOn, fb.ExpertOpinion, fb.FeedbackGivenOn, fb.FeedbackSummary})
	require.Equal(t, []string{"张", "李"}, fb.MembersPresent)
	require.Equal(t, article23.MannerMeeting, fb.FeedbackManner)

	require.Nil(t, h.noticeOf(n, article23.EventCommitteeHeld), "no letter for the meeting")
	require.True(t, h.hears(n, article23.EventCommitteeHeld, article23.AudienceMember), "the member hears of the meeting")
}

// TestNoticeOfRefusal: a non-acceptance carries its reasons.
func TestNoticeOfRefusal(t *testing.T) {
	h := newHarness(t, sh("2026-11-27", 20, 0))
	h.update(sh("2026-12-03", 10, 0), DecideUpdate, Decide{Actor: secretary, Reasons: "不属于会员执业权益", NoticeServedOn: "2026-12-02"})
	final := h.run(newCase("2026-11-27"))
	na := h.noticeOf(final.Number, article23.EventNotAccepted)
	require.NotNil(t, na)
	require.Equal(t, []string{"不属于会员执业权益", "2026-12-02", "2026-11-27", "王会计师"}, []string{na.Reasons, na.IssuedOn, na.ReceivedOn, na.MemberName})
}

// TestNoNoticesOnOldPath: a run started before NoticeFactsChange records its events as it did.
func TestNoNoticesOnOldPath(t *testing.T) {
	h := newHarness(t, sh("2026-11-27", 20, 0))
	h.onPaths(PathsOneByOne) // each change on its own
	h.env.OnGetVersion(NoticeFactsChange, NoticesFromCase, NoticesAtAct).Return(NoticesFromCase)
	h.update(sh("2026-12-10", 11, 0), DecideUpdate, Decide{Actor: secretary, Accept: true, NoticeServedOn: "2026-12-10"})
	h.update(sh("2027-01-20", 15, 0), RecordCommitteeUpdate, RecordCommittee{Actor: secretary, HeldOn: "2027-01-20", MembersPresent: []string{"张"}, ExpertOpinion: "ok"})
	h.update(sh("2027-01-21", 15, 0), WithdrawUpdate, Withdraw{Actor: member})
	final := h.run(newCase("2026-11-27"))
	require.Nil(t, h.noticeOf(final.Number, article23.EventAccepted))
	require.False(t, h.hears(final.Number, article23.EventCommitteeHeld, article23.AudienceMember))
}

// TestAttachmentsLogged: added files are in the log; a withdrawn case takes none.
func TestAttachmentsLogged(t *testing.T) {
	h := newHarness(t, sh("2026-11-27", 20, 0))
	files := []article23.AttachmentNote{{ID: "a1", Name: "合同.pdf", Size: 2048, SHA256: "ab"}}
	byMember := h.update(sh("2026-11-28", 10, 0), RecordAttachmentsUpdate, RecordAttachments{Actor: member, Files: files})
	byOutsider := h.update(sh("2026-11-28", 10, 1), RecordAttachmentsUpdate, RecordAttachments{Actor: outsider, Files: files})
	h.update(sh("2026-11-29", 10, 0), WithdrawUpdate, Withdraw{Actor: member, Reason: "已和解"})
	late := h.update(sh("2026-11-30", 10, 0), RecordAttachmentsUpdate, RecordAttachments{Actor: secretary, Files: files})
	final := h.run(newCase("2026-11-27"))
	ok(t, byMember)
	refused(t, byOutsider, CodeForbidden)
	refused(t, late, CodeWithdrawn)
	evs := ofType(h.events(final.Number), article23.EventAttachmentsAdded)
	require.Len(t, evs, 1)
	var d article23.EventData
	require.NoError(t, jsonUnmarshal(evs[0].Data, &d))
	require.Equal(t, files, d.Attachments)
	require.Equal(t, member, evs[0].Actor)
}
