package wire

import (
	"time"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/calendar"
)

// Due is GET /calendar/due: a deadline with the reasons behind it.
type Due struct {
	calendar.Explanation
	DeadlineAt time.Time `json:"deadline_at"`
	Text       string    `json:"text"`
}

// Year is GET /calendar/years/{year}.
type Year struct {
	Version string            `json:"version"`
	Year    calendar.YearInfo `json:"year"`
	// UncertainWindow is late December of the last published year, whose weekend days the
	// next year's notice may still make working days (deadlines over them are provisional).
	UncertainWindow *Window `json:"uncertain_window,omitempty"`
}

// Window is a span of days and the weekend days within it.
type Window struct {
	From     calendar.Date   `json:"from"`
	To       calendar.Date   `json:"to"`
	Weekends []calendar.Date `json:"weekends"`
}

// Reload tells the operator what a new year file changed and where to follow the reload
// that tells the open cases.
type Reload struct {
	Version         string     `json:"version"`
	PreviousVersion string     `json:"previous_version"`
	ChangedDays     []string   `json:"changed_days"`
	OpenCases       int64      `json:"open_cases"`
	Moved           []MovedDue `json:"moved"`
	// Reload is the path of the reload's progress (GET, admin).
	Reload string `json:"reload"`
}

// MovedDue is a running deadline of an open case that the new calendar moves.
type MovedDue struct {
	Number string              `json:"number"`
	Clock  article23.ClockName `json:"clock"`
	OldDue string              `json:"old_due"`
	NewDue string              `json:"new_due"`
}

// NoticeRequest is the body of POST /calendar/notices: a State Council notice's text.
type NoticeRequest struct {
	Text    string `json:"text"`
	Year    int    `json:"year,omitempty"` // 0: the year the notice's title names
	Preview bool   `json:"preview,omitempty"`
}

// Notice is what a notice says and what putting it in force changes (or changed).
type Notice struct {
	Reload
	Preview bool                 `json:"preview"`
	Year    int                  `json:"year"`
	Days    []calendar.NoticeDay `json:"days"`
}

// ReloadProgress is GET /calendar/reloads/{version}: how far the reload that tells the open
// cases of a calendar version has got.
type ReloadProgress struct {
	Calendar     string          `json:"calendar"`
	Signalled    int             `json:"signalled"` // open cases told of the calendar
	Ended        int             `json:"ended"`     // listed as open, ended by the time they were signalled
	Failures     []ReloadFailure `json:"failures"`  // the first cases a signal failed for; FailureCount counts all
	FailureCount int             `json:"failure_count"`
	Done         bool            `json:"done"`
}

// ReloadFailure is a case a reload could not signal.
type ReloadFailure struct {
	Number string `json:"number"`
	Error  string `json:"error"`
}
