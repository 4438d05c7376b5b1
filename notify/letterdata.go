package notify

import (
	"encoding/json"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/calendar"
	"github.com/cicpa/weiquan/notify/letter"
)

// noticeOf is the notice event ev carries, or nil (events recorded before the workflow took
// notices at the act).
func noticeOf(ev article23.Event) *article23.Notice {
	var ed article23.EventData
	if json.Unmarshal(ev.Data, &ed) != nil {
		return nil
	}
	return ed.Notice
}

// letterData gathers what the letter of kind for event ev states: the event's notice, taken
// at the act; for an event without one, the case c as the store holds it.
func letterData(c article23.Case, ev article23.Event, kind letter.Kind, instituteName string) letter.Data {
	var ed article23.EventData
	_ = json.Unmarshal(ev.Data, &ed) // written by the store from the same struct
	if ed.Notice != nil {
		return noticeData(*ed.Notice, c.Number, kind, instituteName)
	}
	return caseData(c, ed, ev, kind, instituteName)
}

// noticeData is the letter of notice n.
func noticeData(n article23.Notice, number string, kind letter.Kind, instituteName string) letter.Data {
	d := letter.Data{Kind: kind, CaseNumber: number, InstituteName: instituteName, MemberName: n.MemberName,
		MemberNo: n.MemberNo, Counterparty: n.Counterparty, ReceivedOn: n.ReceivedOn, IssuedOn: n.IssuedOn,
		DecidedOn: n.DecidedOn, Reasons: n.Reasons, ExtensionReason: n.ExtensionReason, OldDue: n.OldDue,
		NewDue: n.NewDue, NewDueNote: n.NewDueNote, CommitteeHeldOn: n.CommitteeHeldOn, ExpertOpinion: n.ExpertOpinion,
		FeedbackGivenOn: n.FeedbackGivenOn, FeedbackSummary: n.FeedbackSummary}
	if n.FeedbackManner != "" {
		d.FeedbackManner = letter.MannerLabel(n.FeedbackManner)
	}
	for _, k := range n.Deadlines {
		d.Deadlines = append(d.Deadlines, letter.Deadline{Label: k.Clock.ActLabel(), Due: k.Due, Workdays: k.Workdays, Explanation: k.Explanation})
	}
	return d
}

// caseData is the letter of an event recorded without its notice, from the case as it is now
// (what letters said before notices were taken at the act).
func caseData(c article23.Case, ed article23.EventData, ev article23.Event, kind letter.Kind, instituteName string) letter.Data {
	n, _ := article23.NoticeFor(ev.Type, c, firstOf(ed.Date, calendar.DateOf(ev.At).String()), ed.ExtensionID)
	if kind == letter.Extension {
		n.OldDue, n.NewDue = ed.OldDue, ed.NewDue
		if k, ok := c.Clock(article23.ClockFeedback); ok && k.Due == ed.NewDue {
			n.NewDueNote = k.Explanation
		}
	}
	return noticeData(n, c.Number, kind, instituteName)
}
