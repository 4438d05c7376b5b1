// Package workflows holds the case workflow: one long-running workflow per Article 23 case
// that owns its stage, clocks, timers and event log, and takes every human action as a
// validated Workflow Update. It orchestrates only; dates come from activities.
package workflows

import (
	"time"

	"github.com/cicpa/weiquan/article23"
)

// TaskQueue is the task queue of case workflows and their activities.
const TaskQueue = "weiquan-cases"

// CaseInputVersion is the CaseInput schema the workflow understands.
const CaseInputVersion = 1

// Names of the workflow's updates, query and signal: part of the API contract.
const (
	DecideUpdate                = "decide"
	RequestSupplementUpdate     = "request_supplement"
	ReceiveSupplementUpdate     = "receive_supplement"
	RecordCommitteeUpdate       = "record_committee"
	RecordFeedbackUpdate        = "record_feedback"
	RequestExtensionUpdate      = "request_extension"
	DecideExtensionUpdate       = "decide_extension"
	WithdrawUpdate              = "withdraw"
	ReassignUpdate              = "reassign"
	ClaimUpdate                 = "claim"
	CloseUpdate                 = "close"
	AcknowledgeEscalationUpdate = "acknowledge_escalation"
	RecordAttachmentsUpdate     = "record_attachments"
	// OpenedUpdate changes nothing: it returns the status once the case has started (its
	// decision clock runs). The API sends it with the start (Update-With-Start), so a
	// submission is answered in one round trip instead of polling StatusQuery.
	OpenedUpdate          = "opened"
	StatusQuery           = "status"
	CalendarUpdatedSignal = "calendar_updated"
)

// Linger is how long a finished case (closed, not accepted, withdrawn) stays open so that a
// late action gets its real refusal instead of "workflow execution already completed".
const Linger = 30 * 24 * time.Hour

// CaseWorkflowID is the workflow ID of case number: "case-" + number. Starting a second
// workflow for the same number is refused by Temporal (one workflow per case).
func CaseWorkflowID(number string) string { return "case-" + number }

// CaseInput starts a case. Case carries the intake data and the policy pinned at intake;
// the workflow sets its stage, clocks and log. Paths, when set, is the CasePathsChange
// version the case runs on, chosen by the starter (NewCaseInput) instead of by a version
// marker (docs/WORKFLOW.md, "Version changes"); an input without it asks the marker, as
// every case started before it did.
type CaseInput struct {
	Version int            `json:"version"`
	Paths   int            `json:"paths,omitempty"`
	Case    article23.Case `json:"case"`
	// DecisionDue is the deadline of the decision clock as the starter's calendar counted
	// it; when set, the start wrote it into the case's search attributes with the institute
	// and the stage (StartAttributes), and when zero it wrote none.
	DecisionDue time.Time `json:"decision_due,omitzero"`
}

// CalendarUpdated is the payload of CalendarUpdatedSignal, sent by the operator's reload to
// every open case.
type CalendarUpdated struct {
	Version string `json:"version"`
}

// AlarmKind is what an alarm does when it fires.
type AlarmKind string

// Alarm kinds: a reminder before the due date, the breach at the deadline instant (with the
// level-1 escalation) and the level-2 escalation later.
const (
	AlarmReminder   AlarmKind = "reminder"
	AlarmBreach     AlarmKind = "breach"
	AlarmEscalation AlarmKind = "escalation"
)

// Alarm is one durable timer of a clock. Fired alarms stay in state so nothing fires twice.
type Alarm struct {
	Clock article23.ClockName `json:"clock"`
	Kind  AlarmKind           `json:"kind"`
	Step  int                 `json:"step"` // reminder: working days before due; escalation: level
	Due   string              `json:"due"`
	At    time.Time           `json:"at"`
	Fired bool                `json:"fired"`
}

// StatusResult answers StatusQuery.
type StatusResult struct {
	Case          article23.Case    `json:"case"`
	Events        []article23.Event `json:"events"`
	PendingAlarms []Alarm           `json:"pending_alarms"`
	Told          []Told            `json:"told,omitempty"` // every event that told someone, in seq order
}

// Told is whom an event told: what the store must enqueue should it have to re-record the event
// (`weiquan reconcile --repair`), so that a repair loses no message.
type Told struct {
	Seq           int64                    `json:"seq"`
	Notifications []article23.Notification `json:"notifications"`
}
