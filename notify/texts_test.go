package notify

import (
	"strings"
	"testing"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/store"
)

// The member is told what is asked and why, in the message itself: the supplement's text,
// the reasons, the committee's attendees and opinion, the feedback, the extension's reason.
func TestMessagesSayWhatAndWhy(t *testing.T) {
	c := article23.Case{Number: "BJ-2026-0042", Committee: &article23.Committee{HeldOn: "2027-01-20",
		MembersPresent: []string{"张委员", "李委员"}, ExpertOpinion: "建议申请劳动仲裁"}}
	accepted := &article23.Notice{Deadlines: []article23.NoticeDeadline{{Clock: article23.ClockFeedback, Due: "2027-03-11", Workdays: 60}}}
	tests := []struct {
		typ  article23.EventType
		data article23.EventData
		want []string
	}{
		{article23.EventSupplementRequested, article23.EventData{Note: "请补充工资流水"}, []string{"需要您补充材料", "请补充工资流水"}},
		{article23.EventNotAccepted, article23.EventData{Date: "2026-12-02", Reason: "不属于执业权益"}, []string{"2026年12月2日", "理由：不属于执业权益"}},
		{article23.EventAccepted, article23.EventData{Date: "2026-12-10", Notice: accepted}, []string{"向您反馈意见：截至 2027年3月11日（含当日）24:00"}},
		{article23.EventCommitteeHeld, article23.EventData{Date: "2027-01-20"}, []string{"2027年1月20日", "出席：张委员、李委员", "专家意见：建议申请劳动仲裁"}},
		{article23.EventFeedbackGiven, article23.EventData{Date: "2027-03-01", Notice: &article23.Notice{FeedbackManner: article23.MannerMeeting, FeedbackSummary: "建议协商"}},
			[]string{"反馈方式：面谈", "反馈意见：建议协商"}},
		{article23.EventExtensionApproved, article23.EventData{OldDue: "2027-03-11", NewDue: "2027-04-01", Notice: &article23.Notice{ExtensionReason: "证人在境外"}},
			[]string{"由 2027年3月11日 延长至 2027年4月1日（含当日）", "理由：证人在境外"}},
		{article23.EventWithdrawn, article23.EventData{Reason: "已和解"}, []string{"理由：已和解"}},
	}
	for _, tt := range tests {
		t.Run(string(tt.typ), func(t *testing.T) {
			p := store.OutboxPayload{Event: store.OutboxEvent{Type: tt.typ}, Case: store.OutboxCase{Number: c.Number}}
			_, text := say(article23.AudienceMember, p, tt.data, c)
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("%q lacks %q", text, w)
				}
			}
			if strings.ContainsAny(strings.ReplaceAll(text, "24:00", ""), ":;") { // a time keeps its colon
				t.Errorf("ASCII punctuation in %q", text)
			}
		})
	}
}
