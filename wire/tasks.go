package wire

import (
	"time"

	"github.com/cicpa/weiquan/article23"
)

// Tasks is the caller's inbox: the open cases waiting on them, what is overdue first (most
// overdue first), then by the next due date; and for supervisors the extension requests and
// escalations waiting on them.
type Tasks struct {
	Cases       []Task           `json:"cases"`
	Next        string           `json:"next,omitempty"`
	Extensions  []ExtensionTask  `json:"extensions,omitempty"`
	Escalations []EscalationTask `json:"escalations,omitempty"`
}

// Task is one case of an inbox and the clock it is there for.
type Task struct {
	Summary
	Clock             article23.ClockName `json:"clock,omitempty"` // "" when no clock runs (e.g. awaiting a supplement)
	Due               string              `json:"due,omitempty"`
	DeadlineAt        *time.Time          `json:"deadline_at,omitempty"`
	Overdue           bool                `json:"overdue"`                      // the clock is breached and its act not recorded
	RemainingWorkdays *int                `json:"remaining_workdays,omitempty"` // working days left after today (0: due today)
	OverdueWorkdays   *int                `json:"overdue_workdays,omitempty"`   // working days since the due date
	Assignee          *Person             `json:"assignee"`                     // null while in the institute's queue
}

// ExtensionTask is an extension request awaiting a supervisor, with its case.
type ExtensionTask struct {
	Case      Summary             `json:"case"`
	Extension article23.Extension `json:"extension"`
}

// EscalationTask is an unacknowledged escalation, with its case.
type EscalationTask struct {
	Case       Summary              `json:"case"`
	Escalation article23.Escalation `json:"escalation"`
}

// Notification is one item of the caller's in-app list.
type Notification struct {
	ID         int64      `json:"id"`
	CaseNumber string     `json:"case_number,omitempty"`
	Kind       string     `json:"kind"`
	Text       string     `json:"text"`
	CreatedAt  time.Time  `json:"created_at"`
	ReadAt     *time.Time `json:"read_at,omitempty"`
}

// Notifications is the caller's list, newest first, with how many are unread.
type Notifications struct {
	Notifications []Notification `json:"notifications"`
	Unread        int            `json:"unread"`
}

// FeedToken is a new feed token and the feeds it opens; the token is shown only here.
type FeedToken struct {
	Token     string `json:"token"`
	Deadlines string `json:"deadlines"` // the person's feed: the deadlines of their open cases
	Case      string `json:"case"`      // one case's feed, with {number} to fill in
}

// Escalations is GET /escalations: the unacknowledged escalations, oldest first.
type Escalations struct {
	Escalations []EscalationTask `json:"escalations"`
}
