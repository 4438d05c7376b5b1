package article23

// Supplement records the one request for supplementary materials an institute's policy may
// allow, and their receipt (which restarts the decision clock).
type Supplement struct {
	What        string `json:"what"`
	RequestedOn string `json:"requested_on"`
	RequestedBy Actor  `json:"requested_by"`
	WindowEnds  string `json:"window_ends"` // last day a request may be made
	ReceivedOn  string `json:"received_on,omitempty"`
}

// EventData is the payload of an Event (Event.Data): one flat, JSON-tagged bag whose fields
// are set according to the event type, so the store and the API decode every event alike.
type EventData struct {
	Clock        ClockName `json:"clock,omitempty"`
	Due          string    `json:"due,omitempty"`
	OldDue       string    `json:"old_due,omitempty"`
	NewDue       string    `json:"new_due,omitempty"`
	Reason       string    `json:"reason,omitempty"` // why: reasons, extension reason, "calendar_updated", …
	Step         int       `json:"step,omitempty"`   // reminder: working days before due
	Level        int       `json:"level,omitempty"`  // escalation level
	ExtensionID  int       `json:"extension_id,omitempty"`
	EscalationID int       `json:"escalation_id,omitempty"`
	Workdays     int       `json:"workdays,omitempty"`
	Secretary    string    `json:"secretary,omitempty"` // reassigned, claimed: the new assignee's id
	Name         string    `json:"name,omitempty"`      // reassigned, claimed: their display name
	Previous     string    `json:"previous,omitempty"`  // reassigned: the assignee before ("" from the queue)
	Version      string    `json:"calendar_version,omitempty"`
	Date         string    `json:"date,omitempty"` // the date the act took place (notice served, held, given, …)
	Note         string    `json:"note,omitempty"`
	// Notice is what the written notice of this event states, as of the act (NoticeFor);
	// absent on events recorded before the workflow took it (workflows.NoticeFactsChange).
	Notice *Notice `json:"notice,omitempty"`
	// Attachments are the files an attachments_added event records.
	Attachments []AttachmentNote `json:"attachments,omitempty"`
}

// AttachmentNote is one uploaded file as the case's log records it.
type AttachmentNote struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}
