// Package letter renders the written notices of Article 23 — 受理通知书, 不予受理通知书,
// 延期通知书 and 反馈意见书 — from versioned text templates to PDF with an embedded CJK font.
//
// It is pure rendering: no database, no clock. A template is text/template over Data, and its
// output is plain text with three line markers: "# " a centred title, "> " a right-aligned
// line, and "[seal]" the place for the institute's seal (a 盖章处 box above the institute name
// and the date). A letter whose template has no [seal] line gets one at the end.
package letter

import (
	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/calendar"
)

// Kind is which letter.
type Kind string

// The letters an institute issues to the member.
const (
	Acceptance    Kind = "acceptance"     // 受理通知书
	NonAcceptance Kind = "non_acceptance" // 不予受理通知书, with the reasons
	Extension     Kind = "extension"      // 延期通知书, with the reason and the new date
	Feedback      Kind = "feedback"       // 反馈意见书
)

// Kinds lists every letter kind.
var Kinds = []Kind{Acceptance, NonAcceptance, Extension, Feedback}

// KindFor returns the letter an event of type t calls for, and whether it calls for one.
func KindFor(t article23.EventType) (Kind, bool) {
	switch t {
	case article23.EventAccepted:
		return Acceptance, true
	case article23.EventNotAccepted:
		return NonAcceptance, true
	case article23.EventExtensionApproved:
		return Extension, true
	case article23.EventFeedbackGiven:
		return Feedback, true
	}
	return "", false
}

// Title is the letter's name as printed and offered for download.
func (k Kind) Title() string {
	switch k {
	case Acceptance:
		return "受理通知书"
	case NonAcceptance:
		return "不予受理通知书"
	case Extension:
		return "延期通知书"
	case Feedback:
		return "反馈意见书"
	}
	return string(k)
}

// Deadline is one Article 23 period as the letter states it.
type Deadline struct {
	Label       string // "召开法律援助与权益保护委员会会议并形成专家意见"
	Due         string // "YYYY-MM-DD"
	Workdays    int
	Explanation string // article23.Clock.Explanation: how the date was counted
}

// Data is everything a template may print. Dates are "YYYY-MM-DD"; the zhdate function
// prints them as 2026年12月18日.
type Data struct {
	Kind          Kind
	CaseNumber    string
	InstituteName string
	MemberName    string
	MemberNo      string
	Counterparty  string
	IssuedOn      string // the letter's date
	ReceivedOn    string // when the written materials were received
	DecidedOn     string // the accept / not-accept decision
	Reasons       string // why not accepted
	Deadlines     []Deadline

	ExtensionReason string // why the feedback deadline moved
	OldDue, NewDue  string
	NewDueNote      string // how the new date was counted

	CommitteeHeldOn string
	ExpertOpinion   string
	FeedbackGivenOn string
	FeedbackManner  string // 书面 / 面谈 / 电话 / 电子邮件
	FeedbackSummary string
}

// MannerLabel is how a letter names a feedback manner.
func MannerLabel(m article23.FeedbackManner) string {
	switch m {
	case article23.MannerLetter:
		return "书面"
	case article23.MannerMeeting:
		return "面谈"
	case article23.MannerPhone:
		return "电话"
	case article23.MannerEmail:
		return "电子邮件"
	}
	return string(m)
}

// ZhDate prints "2026-12-18" as "2026年12月18日" (calendar.Date.Chinese); anything else is
// printed as given.
func ZhDate(s string) string {
	d, err := calendar.ParseDate(s)
	if err != nil {
		return s
	}
	return d.Chinese()
}
