package article23

import (
	"cmp"
	"encoding/json"
	"errors"
	"time"
)

// Applicant is the member who asks for help.
type Applicant struct {
	MemberNo string     `json:"member_no"`
	Name     string     `json:"name"`
	Kind     MemberKind `json:"kind"`
}

// Channel is how the written materials reached the institute.
type Channel string

// Intake channels: online submission by the member, or paper registered by a secretary.
const (
	ChannelOnline Channel = "online"
	ChannelPaper  Channel = "paper"
)

// Clock is one deadline of a case, with everything needed to explain and audit it.
type Clock struct {
	Name            ClockName  `json:"name"`
	Start           string     `json:"start"` // the day the period counts from (not itself counted)
	Workdays        int        `json:"workdays"`
	Due             string     `json:"due"`
	DeadlineAt      time.Time  `json:"deadline_at"` // 24:00 Asia/Shanghai of Due
	State           ClockState `json:"state"`
	CountFrom       CountFrom  `json:"count_from,omitempty"`
	CalendarVersion string     `json:"calendar_version"`
	Provisional     bool       `json:"provisional"`
	Explanation     string     `json:"explanation,omitempty"`
	BreachedAt      *time.Time `json:"breached_at,omitempty"`
	MetOn           string     `json:"met_on,omitempty"`
	// WorkdaysUsed is how many working days the act took, set when the clock is met or
	// breached, so compliance figures need no calendar.
	WorkdaysUsed int `json:"workdays_used,omitempty"`
	// EnteredOn is the day (Asia/Shanghai) the act was entered, and EntryLagWorkdays the
	// working days from its stated date (MetOn) to then: back-dating stays visible (Art. 27).
	EnteredOn        string `json:"entered_on,omitempty"`
	EntryLagWorkdays int    `json:"entry_lag_workdays,omitempty"`
}

// LateEntry reports a clock met by its act's stated date whose act was entered only after
// the due date: on time on paper, recorded late.
func (c Clock) LateEntry() bool {
	return c.State == ClockMet && c.EnteredOn != "" && c.EnteredOn > c.Due
}

// ExtensionState is where an extension request stands.
type ExtensionState string

// Extension states.
const (
	ExtensionPending  ExtensionState = "pending"
	ExtensionApproved ExtensionState = "approved"
	ExtensionRefused  ExtensionState = "refused"
)

// Extension is a request to move the feedback deadline, and the supervisor's decision on it.
type Extension struct {
	ID          int            `json:"id"`
	Reason      string         `json:"reason"`
	Workdays    int            `json:"workdays"` // new feedback period length from the same start
	NewDue      string         `json:"new_due"`
	OldDue      string         `json:"old_due"`
	State       ExtensionState `json:"state"`
	RequestedBy Actor          `json:"requested_by"`
	RequestedAt time.Time      `json:"requested_at"`
	DecidedBy   *Actor         `json:"decided_by,omitempty"`
	DecidedAt   *time.Time     `json:"decided_at,omitempty"`
	Note        string         `json:"note,omitempty"`
}

// Escalation is a breached clock brought to a supervisor: level 1 the institute's,
// level 2 CICPA's national supervisors.
type Escalation struct {
	ID             int        `json:"id"`
	Clock          ClockName  `json:"clock"`
	Level          int        `json:"level"`
	RaisedAt       time.Time  `json:"raised_at"`
	AcknowledgedBy *Actor     `json:"acknowledged_by,omitempty"`
	AcknowledgedAt *time.Time `json:"acknowledged_at,omitempty"`
	// ResolvedAt is set when the breach that raised it was withdrawn: the act's stated date
	// was on time after all, so nobody needs to act on it.
	ResolvedAt *time.Time `json:"resolved_at,omitempty"`
}

// Decision records the accept / not-accept decision and the written notice.
type Decision struct {
	Accepted       bool   `json:"accepted"`
	Reasons        string `json:"reasons,omitempty"`
	DecidedOn      string `json:"decided_on"`
	NoticeServedOn string `json:"notice_served_on"`
}

// Committee records the Legal Aid and Rights Protection Committee meeting.
type Committee struct {
	HeldOn         string   `json:"held_on"`
	MembersPresent []string `json:"members_present"`
	ExpertOpinion  string   `json:"expert_opinion"`
}

// Feedback records how and when the member was given feedback.
type Feedback struct {
	GivenOn string         `json:"given_on"`
	Manner  FeedbackManner `json:"manner"`
	Summary string         `json:"summary"`
}

// Case is the full state of one case as the workflow holds it: the read model's source.
type Case struct {
	Number       string       `json:"number"`
	Institute    string       `json:"institute"`
	Applicant    Applicant    `json:"applicant"`
	Counterparty string       `json:"counterparty"`
	Category     string       `json:"category"`
	Summary      string       `json:"summary"`
	Claims       string       `json:"claims"`
	ReceivedOn   string       `json:"received_on"`
	Channel      Channel      `json:"channel"`
	Stage        Stage        `json:"stage"`
	Secretary    string       `json:"secretary,omitempty"`
	Policy       Policy       `json:"policy"`
	Clocks       []Clock      `json:"clocks"`
	Extensions   []Extension  `json:"extensions,omitempty"`
	Escalations  []Escalation `json:"escalations,omitempty"`
	Decision     *Decision    `json:"decision,omitempty"`
	Committee    *Committee   `json:"committee,omitempty"`
	Feedback     *Feedback    `json:"feedback,omitempty"`
	Supplement   *Supplement  `json:"supplement,omitempty"`
	SubmittedBy  Actor        `json:"submitted_by"`
	UpdatedAt    time.Time    `json:"updated_at"`
}

// StageSince is the date the case's current stage began: an act may not be dated before it.
func (c *Case) StageSince() string {
	switch {
	case c.Committee != nil:
		return c.Committee.HeldOn
	case c.Decision != nil:
		return c.Decision.DecidedOn
	case c.Supplement != nil && c.Supplement.ReceivedOn != "":
		return c.Supplement.ReceivedOn
	case c.Supplement != nil:
		return c.Supplement.RequestedOn
	}
	return c.ReceivedOn
}

// Clock returns the clock named n and whether the case has it.
func (c *Case) Clock(n ClockName) (*Clock, bool) {
	for i := range c.Clocks {
		if c.Clocks[i].Name == n {
			return &c.Clocks[i], true
		}
	}
	return nil, false
}

// EventType names what happened to a case.
type EventType string

// Event types of the append-only case log.
const (
	EventReceived               EventType = "case_received"
	EventSupplementRequested    EventType = "supplement_requested"
	EventSupplementReceived     EventType = "supplement_received"
	EventAccepted               EventType = "accepted"
	EventNotAccepted            EventType = "not_accepted"
	EventCommitteeHeld          EventType = "committee_held"
	EventFeedbackGiven          EventType = "feedback_given"
	EventClosed                 EventType = "closed"
	EventWithdrawn              EventType = "withdrawn"
	EventReassigned             EventType = "reassigned"
	EventClaimed                EventType = "claimed"
	EventExtensionRequested     EventType = "extension_requested"
	EventExtensionApproved      EventType = "extension_approved"
	EventExtensionRefused       EventType = "extension_refused"
	EventClockStarted           EventType = "clock_started"
	EventClockMoved             EventType = "clock_moved"
	EventClockMet               EventType = "clock_met"
	EventReminder               EventType = "reminder"
	EventClockBreached          EventType = "clock_breached"
	EventEscalated              EventType = "escalated"
	EventEscalationAcknowledged EventType = "escalation_acknowledged"
	EventBreachWithdrawn        EventType = "breach_withdrawn" // the act's stated date met the clock after all
	EventCalendarUpdated        EventType = "calendar_updated"
	EventAttachmentsAdded       EventType = "attachments_added"
)

// Event is one entry of a case's append-only log. Seq starts at 1 and has no gaps.
type Event struct {
	Seq   int64           `json:"seq"`
	Type  EventType       `json:"type"`
	Actor Actor           `json:"actor"`
	At    time.Time       `json:"at"`
	Data  json.RawMessage `json:"data,omitempty"`
}

// Audience is who a notification is for. Recipients are resolved from the case and the
// institute's configuration, never "everyone".
type Audience string

// Audiences.
const (
	AudienceMember              Audience = "member"
	AudienceSecretary           Audience = "secretary"
	AudienceSupervisors         Audience = "supervisors"          // the case institute's
	AudienceNationalSupervisors Audience = "national_supervisors" // CICPA's
)

// Notification is a message to deliver because of an event. Key deduplicates delivery: the
// same key is delivered at most once per recipient.
type Notification struct {
	Key      string    `json:"key"`
	Audience Audience  `json:"audience"`
	Kind     string    `json:"kind"`   // e.g. "accepted", "reminder", "breach"
	Urgent   bool      `json:"urgent"` // deliver at once, not only in working hours
	NotAfter time.Time `json:"not_after,omitempty"`
}

// Record is what the store persists for one event: the event, the case as it stands after it
// (the read model) and the notifications it causes, all in one transaction.
type Record struct {
	Event         Event          `json:"event"`
	Case          Case           `json:"case"`
	Notifications []Notification `json:"notifications,omitempty"`
	// Task is the workflow task that emitted the event. Events are recorded from inside the
	// task (a local activity), so a task that is then discarded, because its worker died
	// before completing it, may leave events its successor numbers differently; the store
	// lets the later task's event replace the earlier one's (store.Record).
	Task TaskMark `json:"task,omitzero"`
}

// TaskMark identifies a workflow task of one case's run: the event id of its
// WorkflowTaskStarted (the history length workflow.GetInfo reports) and the workflow's time
// when the event was emitted. Retries of a timed-out task before it completes all start at
// the same event id, so the time tells them apart. The zero mark is unknown (events recorded
// before marks existed, tests without a history): it never replaces nor is replaced.
type TaskMark struct {
	Event int64     `json:"event"`
	At    time.Time `json:"at"`
}

// ErrTaskSuperseded refuses records whose workflow task a later one has replaced: the store
// holds, at their number or before it, an event a later task emitted. Nothing of them is the
// case's (no letter is issued for them); the task that sent them was discarded.
var ErrTaskSuperseded = errors.New("the workflow task that emitted these events was superseded by a later one")

// Known reports whether m identifies a task.
func (m TaskMark) Known() bool { return m.Event > 0 }

// Compare orders marks of one run: -1 when m is the earlier task, +1 when the later, 0 when
// the same.
func (m TaskMark) Compare(o TaskMark) int {
	if c := cmp.Compare(m.Event, o.Event); c != 0 {
		return c
	}
	return m.At.Compare(o.At)
}
