package web

import (
	"time"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/calendar"
)

// The API's response bodies, as far as the pages read them (see api/views.go).

type caseDoc struct {
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
	Secretary    string                 `json:"secretary"`
	Assignee     *personDoc             `json:"assignee"` // nil while in the institute's queue
	Policy       article23.Policy       `json:"policy"`
	Clocks       []clockDoc             `json:"clocks"`
	Extensions   []article23.Extension  `json:"extensions"`
	Escalations  []article23.Escalation `json:"escalations"`
	Decision     *article23.Decision    `json:"decision"`
	Committee    *article23.Committee   `json:"committee"`
	Feedback     *article23.Feedback    `json:"feedback"`
	Supplement   *article23.Supplement  `json:"supplement"`
	SubmittedBy  article23.Actor        `json:"submitted_by"`
	Events       []article23.Event      `json:"events"`
	Attachments  []attachmentDoc        `json:"attachments"`
	Downloads    []downloadDoc          `json:"downloads"`   // staff only: who downloaded which file
	OutOfStep    *outOfStepDoc          `json:"out_of_step"` // staff only; nil while the store is in step
}

// downloadDoc is one download of the case's files by staff.
type downloadDoc struct {
	At       time.Time       `json:"at"`
	Actor    article23.Actor `json:"actor"`
	FileKind string          `json:"file_kind"` // attachment or document
	FileName string          `json:"file_name"`
}

// outOfStepDoc: the case's latest events have not reached the store since Since.
type outOfStepDoc struct {
	Since    time.Time `json:"since"`
	Attempts int       `json:"attempts"`
}

// clock returns the case's clock named n, or nil.
func (c *caseDoc) clock(n article23.ClockName) *clockDoc {
	for i := range c.Clocks {
		if c.Clocks[i].Name == n {
			return &c.Clocks[i]
		}
	}
	return nil
}

// pendingExtension is the extension awaiting a supervisor, or nil.
func (c *caseDoc) pendingExtension() *article23.Extension {
	for i := range c.Extensions {
		if c.Extensions[i].State == article23.ExtensionPending {
			return &c.Extensions[i]
		}
	}
	return nil
}

type clockDoc struct {
	Name              article23.ClockName  `json:"name"`
	Start             string               `json:"start"`
	Workdays          int                  `json:"workdays"`
	DueDate           string               `json:"due_date"`
	RemainingWorkdays *int                 `json:"remaining_workdays"`
	Overdue           bool                 `json:"overdue"`
	State             article23.ClockState `json:"state"`
	CountFrom         article23.CountFrom  `json:"count_from"`
	Provisional       bool                 `json:"provisional"`
	Explanation       string               `json:"explanation"`
	MetOn             string               `json:"met_on"`
	EnteredOn         string               `json:"entered_on"`
	EntryLagWorkdays  int                  `json:"entry_lag_workdays"`
	LateEntry         bool                 `json:"late_entry"`
}

type attachmentDoc struct {
	ID         string    `json:"id"`
	Name       string    `json:"name"`
	Size       int64     `json:"size"`
	MediaType  string    `json:"media_type"`
	SHA256     string    `json:"sha256"`
	UploadedAt time.Time `json:"uploaded_at"`
}

type summaryDoc struct {
	Number       string              `json:"number"`
	Institute    string              `json:"institute"`
	Applicant    article23.Applicant `json:"applicant"`
	Counterparty string              `json:"counterparty"`
	Category     string              `json:"category"`
	Stage        article23.Stage     `json:"stage"`
	Secretary    string              `json:"secretary"`
	ReceivedOn   string              `json:"received_on"`
	Breached     bool                `json:"breached"`
	NextClock    article23.ClockName `json:"next_clock"`
	NextDeadline *time.Time          `json:"next_deadline"`
}

// NextDue is the due date of the next deadline: the day before its 24:00 instant.
func (s summaryDoc) NextDue() string {
	if s.NextDeadline == nil {
		return ""
	}
	return calendar.DateOf(s.NextDeadline.Add(-time.Second)).String()
}

type listDoc struct {
	Cases []summaryDoc `json:"cases"`
	Next  string       `json:"next"`
}

// personDoc is someone as the API names them: their id and display name.
type personDoc struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// taskDoc is one case of an inbox and the clock it is listed for.
type taskDoc struct {
	summaryDoc
	Clock             article23.ClockName `json:"clock"` // "" when no clock runs
	Due               string              `json:"due"`
	Overdue           bool                `json:"overdue"`
	RemainingWorkdays *int                `json:"remaining_workdays"` // 0: due today; nil when overdue
	OverdueWorkdays   *int                `json:"overdue_workdays"`   // set once past the due date
	Assignee          *personDoc          `json:"assignee"`
}

type tasksDoc struct {
	Cases      []taskDoc `json:"cases"`
	Next       string    `json:"next"`
	Extensions []struct {
		Case      summaryDoc          `json:"case"`
		Extension article23.Extension `json:"extension"`
	} `json:"extensions"`
	Escalations []struct {
		Case       summaryDoc           `json:"case"`
		Escalation article23.Escalation `json:"escalation"`
	} `json:"escalations"`
}

type dueDoc struct {
	Start   string `json:"start"`
	Due     string `json:"due"`
	Workday int    `json:"workdays"`
	Text    string `json:"text"`
}

type complianceRow struct {
	Institute     string              `json:"institute"`
	InstituteName string              `json:"institute_name"`
	NameEn        string              `json:"institute_name_en"`
	Clock         article23.ClockName `json:"clock"`
	OnTime        int64               `json:"on_time"`
	Late          int64               `json:"late"`
	Open          int64               `json:"open"`
	OnTimeRate    *float64            `json:"on_time_rate"`
	Median        *float64            `json:"median_workdays_used"`
	P90           *float64            `json:"p90_workdays_used"`
	Extensions    int64               `json:"extensions"`
	LateEntries   int64               `json:"late_entries"`
}

type complianceDoc struct {
	From string          `json:"from"`
	To   string          `json:"to"`
	Rows []complianceRow `json:"rows"`
}

type yearDoc struct {
	Version         string            `json:"version"`
	Year            calendar.YearInfo `json:"year"`
	UncertainWindow *struct {
		From     calendar.Date   `json:"from"`
		Weekends []calendar.Date `json:"weekends"`
	} `json:"uncertain_window"`
}

type reloadDoc struct {
	Version         string   `json:"version"`
	PreviousVersion string   `json:"previous_version"`
	ChangedDays     []string `json:"changed_days"`
	OpenCases       int      `json:"open_cases"`
	Moved           []struct {
		Number string              `json:"number"`
		Clock  article23.ClockName `json:"clock"`
		OldDue string              `json:"old_due"`
		NewDue string              `json:"new_due"`
	} `json:"moved"`
	Reload string `json:"reload"`
}

// reloadProgressDoc is GET /calendar/reloads/{version}.
type reloadProgressDoc struct {
	Calendar  string `json:"calendar"`
	Signalled int    `json:"signalled"`
	Ended     int    `json:"ended"`
	Failures  []struct {
		Number string `json:"number"`
		Error  string `json:"error"`
	} `json:"failures"`
	FailureCount int  `json:"failure_count"`
	Done         bool `json:"done"`
}
