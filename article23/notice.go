package article23

// NoticeVersion is the Notice schema the workflow writes. Readers accept every version up
// to it; fields are only ever added.
const NoticeVersion = 1

// Notice is what a written notice states, taken by the workflow at the act that calls for
// it (accepted, not_accepted, extension_approved, feedback_given) and carried in the event
// (EventData.Notice). The letter is rendered from it, never from the case as it is later,
// so a letter says what was true on the day of the act and renders the same bytes again.
type Notice struct {
	Version      int    `json:"version"`
	MemberName   string `json:"member_name"`
	MemberNo     string `json:"member_no"`
	Counterparty string `json:"counterparty,omitempty"`
	ReceivedOn   string `json:"received_on"`
	IssuedOn     string `json:"issued_on"` // the letter's date: the day of the act
	DecidedOn    string `json:"decided_on,omitempty"`
	Reasons      string `json:"reasons,omitempty"`

	Deadlines []NoticeDeadline `json:"deadlines,omitempty"` // acceptance: committee and feedback

	ExtensionReason string `json:"extension_reason,omitempty"`
	OldDue          string `json:"old_due,omitempty"`
	NewDue          string `json:"new_due,omitempty"`
	NewDueNote      string `json:"new_due_note,omitempty"` // how the new date is counted

	CommitteeHeldOn string         `json:"committee_held_on,omitempty"`
	MembersPresent  []string       `json:"members_present,omitempty"`
	ExpertOpinion   string         `json:"expert_opinion,omitempty"`
	FeedbackGivenOn string         `json:"feedback_given_on,omitempty"`
	FeedbackManner  FeedbackManner `json:"feedback_manner,omitempty"`
	FeedbackSummary string         `json:"feedback_summary,omitempty"`
}

// NoticeDeadline is one period a notice states, as computed at the act.
type NoticeDeadline struct {
	Clock       ClockName `json:"clock"`
	Due         string    `json:"due"`
	Workdays    int       `json:"workdays"`
	Explanation string    `json:"explanation,omitempty"`
}

// NoticeFor is the notice of event type t on case c as c stands right after the act (the
// acceptance's clocks started, the extension's new date applied); on is the act's date.
// ok is false when t calls for no written notice.
func NoticeFor(t EventType, c Case, on string, extensionID int) (Notice, bool) {
	if !CallsForNotice(t) {
		return Notice{}, false
	}
	n := Notice{Version: NoticeVersion, MemberName: c.Applicant.Name, MemberNo: c.Applicant.MemberNo,
		Counterparty: c.Counterparty, ReceivedOn: c.ReceivedOn, IssuedOn: on}
	if d := c.Decision; d != nil {
		n.DecidedOn, n.Reasons = d.DecidedOn, d.Reasons
	}
	switch t {
	case EventAccepted:
		n.Deadlines = noticeDeadlines(c, ClockCommittee, ClockFeedback)
	case EventExtensionApproved:
		n.extension(c, extensionID)
	case EventFeedbackGiven:
		n.feedback(c)
	}
	return n, true
}

// CallsForNotice reports whether an event of type t calls for a written notice to the member.
func CallsForNotice(t EventType) bool {
	switch t {
	case EventAccepted, EventNotAccepted, EventExtensionApproved, EventFeedbackGiven:
		return true
	}
	return false
}

func noticeDeadlines(c Case, names ...ClockName) []NoticeDeadline {
	var out []NoticeDeadline
	for _, name := range names {
		if k, ok := c.Clock(name); ok {
			out = append(out, NoticeDeadline{Clock: name, Due: k.Due, Workdays: k.Workdays, Explanation: k.Explanation})
		}
	}
	return out
}

func (n *Notice) extension(c Case, id int) {
	if id >= 1 && id <= len(c.Extensions) {
		e := c.Extensions[id-1]
		n.ExtensionReason, n.OldDue, n.NewDue = e.Reason, e.OldDue, e.NewDue
	}
	if k, ok := c.Clock(ClockFeedback); ok && k.Due == n.NewDue {
		n.NewDueNote = k.Explanation
	}
}

func (n *Notice) feedback(c Case) {
	if m := c.Committee; m != nil {
		n.CommitteeHeldOn, n.ExpertOpinion = m.HeldOn, m.ExpertOpinion
		n.MembersPresent = append([]string(nil), m.MembersPresent...)
	}
	if f := c.Feedback; f != nil {
		n.FeedbackGivenOn, n.FeedbackManner, n.FeedbackSummary = f.GivenOn, f.Manner, f.Summary
	}
}
