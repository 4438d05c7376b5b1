package workflows_test

import (
	"time"

	"github.com/cicpa/weiquan/article23"
	wf "github.com/cicpa/weiquan/workflows"
)

// contractScenarios cover every update, its refusals in the wrong stage, by the wrong
// person and with wrong arguments, and the extension cap.
func contractScenarios() []scenario {
	accept := step{mon(10, 0), wf.DecideUpdate, wf.Decide{Actor: cSecretary, Accept: true, NoticeServedOn: "2026-11-30"}}
	committee := func(at time.Time) step {
		return step{at, wf.RecordCommitteeUpdate, wf.RecordCommittee{Actor: cSecretary, HeldOn: "2026-11-30",
			MembersPresent: []string{"赵委员", "钱委员"}, ExpertOpinion: "支持会员诉求"}}
	}
	feedback := func(at time.Time) step {
		return step{at, wf.RecordFeedbackUpdate, wf.RecordFeedback{Actor: cSecretary, GivenOn: "2026-11-30",
			Manner: article23.MannerLetter, Summary: "已书面反馈"}}
	}
	extend := func(at time.Time, workdays int, until string) step {
		return step{at, wf.RequestExtensionUpdate, wf.RequestExtension{Actor: cSecretary, Reason: "案情复杂", Workdays: workdays, Until: until}}
	}
	decideExt := func(mm int, who article23.Actor, approve bool) step {
		return step{mon(13, mm), wf.DecideExtensionUpdate, wf.DecideExtension{Actor: who, ExtensionID: 1, Approve: approve, Note: "同意"}}
	}
	return []scenario{
		{name: "accept, committee, extension to the cap, feedback, close", steps: []step{
			{mon(9, 30), wf.DecideUpdate, wf.Decide{Actor: cSecretary, Accept: true, NoticeServedOn: "2026-12-01"}},
			{mon(9, 31), wf.DecideUpdate, wf.Decide{Actor: cSecretary, Accept: true, NoticeServedOn: "2026-11-29"}},
			{mon(9, 32), wf.DecideUpdate, wf.Decide{Actor: cOutsider, Accept: true, NoticeServedOn: "2026-11-30"}},
			{mon(9, 33), wf.RecordCommitteeUpdate, wf.RecordCommittee{Actor: cSecretary, HeldOn: "2026-11-30", MembersPresent: []string{"赵委员"}, ExpertOpinion: "x"}},
			{mon(9, 34), wf.RequestExtensionUpdate, wf.RequestExtension{Actor: cSecretary, Reason: "r", Workdays: 70}},
			accept,
			feedback(mon(10, 10)),
			{mon(10, 15), wf.CloseUpdate, wf.Close{Actor: cSecretary}},
			committee(mon(10, 30)),
			extend(mon(12, 0), 91, ""),
			extend(mon(12, 1), 60, ""),
			extend(mon(12, 2), 0, "2027-12-31"),
			extend(mon(12, 3), 90, ""),
			extend(mon(12, 4), 80, ""),
			decideExt(0, cSecretary, true),
			decideExt(1, cSupervisor, true),
			decideExt(2, cSupervisor, false),
			feedback(mon(13, 30)),
			{mon(14, 0), wf.CloseUpdate, wf.Close{Actor: cMember}},
			{mon(14, 1), wf.CloseUpdate, wf.Close{Actor: cSecretary}},
			{mon(14, 2), wf.WithdrawUpdate, wf.Withdraw{Actor: cMember, Reason: "已和解"}},
			{mon(14, 3), wf.RecordAttachmentsUpdate, wf.RecordAttachments{Actor: cMember, Files: []article23.AttachmentNote{{ID: "a1", Name: "x.pdf", Size: 3}}}},
		}, codes: []string{"date_in_future", "date_before_stage", "forbidden", "wrong_stage", "wrong_stage", "", "committee_required",
			"wrong_stage", "", "beyond_cap", "extension_too_short", "beyond_cap", "", "extension_pending", "forbidden", "",
			"extension_not_pending", "", "forbidden", "", "wrong_stage", "wrong_stage"}},
		{name: "not accepted", steps: []step{
			{mon(10, 0), wf.DecideUpdate, wf.Decide{Actor: cSecretary, Accept: false, NoticeServedOn: "2026-11-30"}},
			{mon(10, 1), wf.DecideUpdate, wf.Decide{Actor: cSecretary, Accept: false, Reasons: "不属于维权范围", NoticeServedOn: "2026-11-30"}},
			{mon(10, 2), wf.DecideUpdate, wf.Decide{Actor: cSecretary, Accept: true, NoticeServedOn: "2026-11-30"}},
			committee(mon(10, 30)),
			{mon(10, 40), wf.ClaimUpdate, wf.Claim{Actor: cColleague}},
			{mon(10, 41), wf.WithdrawUpdate, wf.Withdraw{Actor: cMember}},
		}, codes: []string{"reasons_required", "", "already_decided", "wrong_stage", "wrong_stage", "wrong_stage"}},
		{name: "supplement requested and received, acceptance entered a day late",
			policy: func(p *article23.Policy) { p.AllowSupplement = true },
			steps: []step{
				{mon(10, 0), wf.ReceiveSupplementUpdate, wf.ReceiveSupplement{Actor: cSecretary, ReceivedOn: "2026-11-30"}},
				{mon(10, 1), wf.RequestSupplementUpdate, wf.RequestSupplement{Actor: cSecretary}},
				{mon(10, 2), wf.RequestSupplementUpdate, wf.RequestSupplement{Actor: cSecretary, What: "劳动合同复印件"}},
				{mon(10, 3), wf.RequestSupplementUpdate, wf.RequestSupplement{Actor: cSecretary, What: "再补"}},
				{on("2026-12-01", 10, 0), wf.ReceiveSupplementUpdate, wf.ReceiveSupplement{Actor: cSecretary, ReceivedOn: "2026-12-01"}},
				{on("2026-12-03", 10, 0), wf.DecideUpdate, wf.Decide{Actor: cSecretary, Accept: true, NoticeServedOn: "2026-12-02"}},
				{on("2026-12-03", 10, 1), wf.RequestSupplementUpdate, wf.RequestSupplement{Actor: cSecretary, What: "又补"}},
			}, codes: []string{"wrong_stage", "invalid_argument", "", "supplement_requested", "", "", "already_decided"}},
		{name: "supplement window closed; clocks counted from receipt",
			policy: func(p *article23.Policy) { p.AllowSupplement, p.CountFrom = true, article23.CountFromReceipt },
			steps: []step{
				{on("2026-12-08", 10, 0), wf.RequestSupplementUpdate, wf.RequestSupplement{Actor: cSecretary, What: "劳动合同"}},
				{on("2026-12-08", 10, 1), wf.DecideUpdate, wf.Decide{Actor: cSecretary, Accept: true, NoticeServedOn: "2026-12-04"}},
				{on("2026-12-08", 10, 2), wf.RecordCommitteeUpdate, wf.RecordCommittee{Actor: cSecretary, HeldOn: "2026-12-03",
					MembersPresent: []string{"赵委员"}, ExpertOpinion: "x"}},
				{on("2026-12-08", 10, 3), wf.RecordCommitteeUpdate, wf.RecordCommittee{Actor: cSecretary, HeldOn: "2026-12-08",
					MembersPresent: []string{"赵委员"}, ExpertOpinion: "支持"}},
			}, codes: []string{"supplement_window_closed", "", "date_before_stage", ""}},
		{name: "no supplement under the default policy", steps: []step{
			{mon(10, 0), wf.RequestSupplementUpdate, wf.RequestSupplement{Actor: cSecretary, What: "劳动合同"}},
			{mon(10, 1), wf.RequestSupplementUpdate, wf.RequestSupplement{Actor: cMember, What: "劳动合同"}},
		}, codes: []string{"supplement_not_allowed", "forbidden"}},
		{name: "withdrawn with an extension pending", steps: []step{
			accept,
			extend(mon(12, 0), 0, "2027-04-01"),
			{mon(12, 30), wf.WithdrawUpdate, wf.Withdraw{Actor: cSecretary, Reason: "x"}},
			{mon(12, 31), wf.WithdrawUpdate, wf.Withdraw{Actor: cMember, Reason: "已和解"}},
			committee(mon(12, 32)),
			{mon(12, 33), wf.DecideUpdate, wf.Decide{Actor: cSecretary, Accept: true, NoticeServedOn: "2026-11-30"}},
			{mon(12, 34), wf.ReassignUpdate, wf.Reassign{Actor: cSecretary, Secretary: "u-ma"}},
			decideExt(50, cSupervisor, true),
		}, codes: []string{"", "", "forbidden", "", "withdrawn", "already_decided", "withdrawn", "extension_not_pending"}},
		{name: "claimed, reassigned, materials added", open: func(c *article23.Case) { c.Secretary = "" }, steps: []step{
			{mon(10, 0), wf.ClaimUpdate, wf.Claim{Actor: cSupervisor}},
			{mon(10, 1), wf.ClaimUpdate, wf.Claim{Actor: cOutsider}},
			{mon(10, 2), wf.ClaimUpdate, wf.Claim{Actor: cSecretary}},
			{mon(10, 3), wf.ClaimUpdate, wf.Claim{Actor: cColleague}},
			{mon(10, 4), wf.ReassignUpdate, wf.Reassign{Actor: cOutsider, Secretary: "u-ma"}},
			{mon(10, 5), wf.ReassignUpdate, wf.Reassign{Actor: cSecretary, Secretary: " "}},
			{mon(10, 6), wf.ReassignUpdate, wf.Reassign{Actor: cSecretary, Secretary: "u-ma", Name: "马秘书"}},
			{mon(10, 7), wf.RecordAttachmentsUpdate, wf.RecordAttachments{Actor: cMember}},
			{mon(10, 8), wf.RecordAttachmentsUpdate, wf.RecordAttachments{Actor: cOutsider, Files: []article23.AttachmentNote{{ID: "a1", Name: "x.pdf", Size: 3}}}},
			{mon(10, 9), wf.RecordAttachmentsUpdate, wf.RecordAttachments{Actor: cMember, Files: []article23.AttachmentNote{{ID: "a1", Name: "合同.pdf", Size: 3}}}},
			{mon(10, 10), wf.AcknowledgeEscalationUpdate, wf.AcknowledgeEscalation{Actor: cSupervisor, EscalationID: 1}},
			{mon(10, 11), wf.AcknowledgeEscalationUpdate, wf.AcknowledgeEscalation{Actor: cSecretary, EscalationID: 1}},
		}, codes: []string{"forbidden", "forbidden", "", "already_assigned", "forbidden", "invalid_argument", "", "invalid_argument",
			"forbidden", "", "not_found", "forbidden"}},
		{name: "an extension to the weekend after the due date adds no working day",
			policy: func(p *article23.Policy) { p.FeedbackWorkdays = 59 }, // due on Friday 2027-02-26
			steps: []step{
				accept,
				extend(mon(12, 0), 0, "2027-02-28"),
				extend(mon(12, 1), 0, "2027-03-01"),
			}, codes: []string{"", "extension_too_short", ""}},
		{name: "extension refused, another approved", steps: []step{
			accept,
			extend(mon(12, 0), 70, ""),
			decideExt(0, cSupervisor, false),
			extend(mon(13, 10), 0, "2027-04-01"),
			{mon(13, 30), wf.DecideExtensionUpdate, wf.DecideExtension{Actor: cSupervisor, ExtensionID: 2, Approve: true}},
			committee(mon(13, 40)),
			{mon(14, 0), wf.RecordFeedbackUpdate, wf.RecordFeedback{Actor: cSecretary, GivenOn: "2026-11-30", Manner: "fax", Summary: "x"}},
		}, codes: []string{"", "", "", "", "", "", "invalid_argument"}},
	}
}
