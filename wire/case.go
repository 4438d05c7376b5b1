package wire

import (
	"time"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/calendar"
)

// Case is a case as the API returns it.
type Case struct {
	Number       string                 `json:"number"`
	Stage        article23.Stage        `json:"stage"`
	Institute    string                 `json:"institute"`
	ReceivedOn   string                 `json:"received_on"`
	Channel      article23.Channel      `json:"channel"`
	Applicant    article23.Applicant    `json:"applicant"`
	Counterparty string                 `json:"counterparty"`
	Category     string                 `json:"category"`
	Summary      string                 `json:"summary"`
	Claims       string                 `json:"claims"`
	Secretary    string                 `json:"secretary,omitempty"` // the assignee's id; "" while in the institute's queue
	Assignee     *Person                `json:"assignee"`            // null while unassigned
	Policy       article23.Policy       `json:"policy"`
	Clocks       []Clock                `json:"clocks"`
	Extensions   []article23.Extension  `json:"extensions"`
	Escalations  []article23.Escalation `json:"escalations"`
	Decision     *article23.Decision    `json:"decision,omitempty"`
	Committee    *article23.Committee   `json:"committee,omitempty"`
	Feedback     *article23.Feedback    `json:"feedback,omitempty"`
	Supplement   *article23.Supplement  `json:"supplement,omitempty"`
	SubmittedBy  article23.Actor        `json:"submitted_by"`
	UpdatedAt    time.Time              `json:"updated_at"`
	Events       []article23.Event      `json:"events,omitempty"`
	Attachments  []Attachment           `json:"attachments,omitempty"`
	Documents    []Document             `json:"documents,omitempty"`   // an act's answer: the case's written notices
	Downloads    []Download             `json:"downloads,omitempty"`   // staff only: who downloaded which file
	OutOfStep    *OutOfStep             `json:"out_of_step,omitempty"` // staff only: the store is behind the workflow
	Corrections  []Correction           `json:"corrections,omitempty"` // staff only: entries of the log replaced
}

// Clock is the case's clock named n, or nil.
func (c *Case) Clock(n article23.ClockName) *Clock {
	for i := range c.Clocks {
		if c.Clocks[i].Name == n {
			return &c.Clocks[i]
		}
	}
	return nil
}

// PendingExtension is the extension awaiting a supervisor, or nil.
func (c *Case) PendingExtension() *article23.Extension {
	for i := range c.Extensions {
		if c.Extensions[i].State == article23.ExtensionPending {
			return &c.Extensions[i]
		}
	}
	return nil
}

// OutOfStep says that the case's latest events have not reached the store since Since: the
// case document may be behind what was done, until a retry lands or an operator repairs it.
type OutOfStep struct {
	Since     time.Time `json:"since"`
	Attempts  int       `json:"attempts"`
	LastError string    `json:"last_error"`
}

// Correction says that at At the case's log from entry FromSeq on (Events entries) was
// replaced: a step interrupted by a crash had written them, and the step redone wrote others
// (or an operator's repair did). The replaced entries are archived, not shown.
type Correction struct {
	At      time.Time `json:"at"`
	FromSeq int64     `json:"from_seq"`
	Events  int       `json:"events"`
}

// Clock is one deadline with what is left of it.
type Clock struct {
	Name              article23.ClockName  `json:"name"`
	Start             string               `json:"start"`
	Workdays          int                  `json:"workdays"`
	DueDate           string               `json:"due_date"`
	DeadlineAt        time.Time            `json:"deadline_at"`
	RemainingWorkdays *int                 `json:"remaining_workdays,omitempty"` // running clocks only
	Overdue           bool                 `json:"overdue,omitempty"`
	State             article23.ClockState `json:"state"`
	CountFrom         article23.CountFrom  `json:"count_from,omitempty"`
	Provisional       bool                 `json:"provisional"`
	CalendarVersion   string               `json:"calendar_version"`
	Explanation       string               `json:"explanation,omitempty"`
	BreachedAt        *time.Time           `json:"breached_at,omitempty"`
	MetOn             string               `json:"met_on,omitempty"`
	WorkdaysUsed      int                  `json:"workdays_used,omitempty"`
	EnteredOn         string               `json:"entered_on,omitempty"`         // the day the act was entered
	EntryLagWorkdays  int                  `json:"entry_lag_workdays,omitempty"` // working days from met_on to entered_on
	LateEntry         bool                 `json:"late_entry,omitempty"`         // on time by met_on, entered after the due date
}

// Person is someone as a response shows them: their id and display name.
type Person struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Attachment describes an attachment; where its bytes live stays private.
type Attachment struct {
	ID         string          `json:"id"`
	Name       string          `json:"name"`
	Size       int64           `json:"size"`
	MediaType  string          `json:"media_type"`
	SHA256     string          `json:"sha256"`
	UploadedBy article23.Actor `json:"uploaded_by"`
	UploadedAt time.Time       `json:"uploaded_at"`
}

// Document is a written notice (a letter) as the API lists it; where its bytes live stays
// private.
type Document struct {
	ID        string    `json:"id"`
	Kind      string    `json:"kind"`
	Title     string    `json:"title"`
	CreatedAt time.Time `json:"created_at"`
	IssuedOn  string    `json:"issued_on"` // the date the letter bears; served_on may not precede it
	ServedOn  string    `json:"served_on,omitempty"`
	SHA256    string    `json:"sha256"`
	Size      int64     `json:"size"`
}

// Documents is GET /cases/{number}/documents.
type Documents struct {
	Documents []Document `json:"documents"`
}

// Download is one staff download of a case's file, as the case document lists it.
type Download struct {
	At       time.Time       `json:"at"`
	Actor    article23.Actor `json:"actor"`
	FileKind string          `json:"file_kind"` // attachment or document
	FileID   string          `json:"file_id"`
	FileName string          `json:"file_name"`
}

// Summary is a case as lists show it.
type Summary struct {
	Number       string              `json:"number"`
	Institute    string              `json:"institute"`
	Applicant    article23.Applicant `json:"applicant"`
	Counterparty string              `json:"counterparty"`
	Category     string              `json:"category"`
	Stage        article23.Stage     `json:"stage"`
	Secretary    string              `json:"secretary,omitempty"`
	ReceivedOn   string              `json:"received_on"`
	Breached     bool                `json:"breached"`                // some clock of the case is breached
	NextClock    article23.ClockName `json:"next_clock,omitempty"`    // the running clock due soonest
	NextDeadline *time.Time          `json:"next_deadline,omitempty"` // its deadline; nil when no clock runs
	UpdatedAt    time.Time           `json:"updated_at"`
}

// NextDue is the due date of the next deadline: the day before its 24:00 instant.
func (s Summary) NextDue() string {
	if s.NextDeadline == nil {
		return ""
	}
	return calendar.DateOf(s.NextDeadline.Add(-time.Second)).String()
}

// CaseList is one page of cases.
type CaseList struct {
	Cases []Summary `json:"cases"`
	Next  string    `json:"next,omitempty"`
}

// Attachments is GET /cases/{number}/attachments and the answer to an upload.
type Attachments struct {
	Attachments []Attachment `json:"attachments"`
}
