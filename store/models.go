package store

import (
	"encoding/json"
	"time"

	"github.com/cicpa/weiquan/article23"
)

// noDeadline sorts cases without a running clock after every real deadline, so keyset
// pagination is one row-value comparison and one index on both dialects.
var noDeadline = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)

// The GORM models mirror the migrations; they are never used by AutoMigrate and never leave
// this package.

type instituteRow struct {
	Code   string `gorm:"primaryKey"`
	Name   string
	NameEn string
	Level  string
	Parent *string
}

func (instituteRow) TableName() string { return "institutes" }

type memberRow struct {
	MemberNo  string `gorm:"primaryKey"`
	Name      string
	Kind      string
	UpdatedAt time.Time `gorm:"autoUpdateTime:false"`
}

func (memberRow) TableName() string { return "members" }

type caseRow struct {
	Number            string `gorm:"primaryKey"`
	Institute         string
	ApplicantMemberNo string
	ApplicantName     string
	ApplicantKind     string
	Counterparty      string
	Category          string
	Summary           string
	Claims            string
	ReceivedOn        string
	Channel           string
	Stage             string
	Secretary         string
	IsOpen            bool
	IsBreached        bool
	NextClock         string
	SortDeadlineAt    time.Time
	AttentionAt       time.Time
	AttentionClock    string
	AttentionDue      string
	AttentionBreached bool
	Policy            string
	Decision          *string
	Committee         *string
	Feedback          *string
	SubmittedBy       string
	LastSeq           int64
	LastTaskEvent     int64
	LastTaskNs        int64
	UpdatedAt         time.Time `gorm:"autoUpdateTime:false"`
}

func (caseRow) TableName() string { return "cases" }

type clockRow struct {
	CaseNumber      string `gorm:"primaryKey"`
	Name            string `gorm:"primaryKey"`
	Position        int
	Institute       string
	CaseOpen        bool
	StartOn         string
	Workdays        int
	DueOn           string
	DeadlineAt      time.Time
	State           string
	CalendarVersion string
	Provisional     bool
	CountFrom       string
	Explanation     string
	BreachedAt      *time.Time
	MetOn           string
	WorkdaysUsed    *int
	EnteredOn       string
	// EntryLagWorkdays is set on clocks whose act was entered (RealDatesChange onwards).
	EntryLagWorkdays *int
}

func (clockRow) TableName() string { return "clocks" }

type extensionRow struct {
	CaseNumber  string `gorm:"primaryKey"`
	ID          int    `gorm:"primaryKey;autoIncrement:false"`
	Institute   string
	Reason      string
	Workdays    int
	OldDue      string
	NewDue      string
	State       string
	RequestedBy string
	RequestedAt time.Time
	DecidedBy   *string
	DecidedAt   *time.Time
	Note        string
}

func (extensionRow) TableName() string { return "extensions" }

type escalationRow struct {
	CaseNumber     string `gorm:"primaryKey"`
	ID             int    `gorm:"primaryKey;autoIncrement:false"`
	Institute      string
	Clock          string
	Level          int
	RaisedAt       time.Time
	AcknowledgedBy *string
	AcknowledgedAt *time.Time
	ResolvedAt     *time.Time
}

func (escalationRow) TableName() string { return "escalations" }

type eventRow struct {
	CaseNumber string `gorm:"primaryKey"`
	Seq        int64  `gorm:"primaryKey;autoIncrement:false"`
	Type       string
	Actor      string
	At         time.Time
	Payload    *string
	TaskEvent  int64
	TaskNs     int64
}

func (eventRow) TableName() string { return "events" }

// task is the workflow task that emitted the event.
func (r eventRow) task() article23.TaskMark { return taskMark(r.TaskEvent, r.TaskNs) }

// taskMark is the mark stored as its event id and time in Unix nanoseconds (0, 0: unknown).
func taskMark(event, ns int64) article23.TaskMark {
	if event == 0 {
		return article23.TaskMark{}
	}
	return article23.TaskMark{Event: event, At: time.Unix(0, ns).UTC()}
}

// caseRowFrom flattens c into its row, with the derived columns the indexes need.
func caseRowFrom(c article23.Case, head logHead) caseRow {
	row := caseRow{
		Number: c.Number, Institute: c.Institute,
		ApplicantMemberNo: c.Applicant.MemberNo, ApplicantName: c.Applicant.Name, ApplicantKind: string(c.Applicant.Kind),
		Counterparty: c.Counterparty, Category: c.Category, Summary: c.Summary, Claims: c.Claims,
		ReceivedOn: c.ReceivedOn, Channel: string(c.Channel), Stage: string(c.Stage), Secretary: c.Secretary,
		IsOpen: c.Stage.Open(), SortDeadlineAt: noDeadline, AttentionAt: noDeadline,
		Policy: toJSON(c.Policy), Decision: optJSON(c.Decision), Committee: optJSON(c.Committee),
		Feedback: optJSON(c.Feedback), SubmittedBy: toJSON(c.SubmittedBy),
		LastSeq: head.Seq, UpdatedAt: c.UpdatedAt.UTC(),
	}
	row.LastTaskEvent, row.LastTaskNs = head.Task.Event, taskNs(head.Task)
	for _, k := range c.Clocks {
		row.IsBreached = row.IsBreached || k.State == article23.ClockBreached
		if k.State == article23.ClockRunning && k.DeadlineAt.Before(row.SortDeadlineAt) {
			row.SortDeadlineAt, row.NextClock = k.DeadlineAt.UTC(), string(k.Name)
		}
	}
	if k, ok := attention(c); ok && row.IsOpen {
		row.AttentionAt, row.AttentionClock, row.AttentionDue = k.DeadlineAt.UTC(), string(k.Name), k.Due
		row.AttentionBreached = k.State == article23.ClockBreached
	}
	return row
}

// attention is the clock a case's inbox entry is about: its most overdue clock (breached,
// act not recorded), else its running clock due soonest. A breached clock whose act was
// recorded late needs nothing more.
func attention(c article23.Case) (article23.Clock, bool) {
	var best *article23.Clock
	for i := range c.Clocks {
		k := &c.Clocks[i]
		overdue := k.State == article23.ClockBreached && k.MetOn == ""
		if !overdue && k.State != article23.ClockRunning {
			continue
		}
		bestOverdue := best != nil && best.State == article23.ClockBreached
		if best == nil || (overdue && !bestOverdue) || (overdue == bestOverdue && k.DeadlineAt.Before(best.DeadlineAt)) {
			best = k
		}
	}
	if best == nil {
		return article23.Clock{}, false
	}
	return *best, true
}

func (r caseRow) toCase() article23.Case {
	c := article23.Case{
		Number: r.Number, Institute: r.Institute,
		Applicant:    article23.Applicant{MemberNo: r.ApplicantMemberNo, Name: r.ApplicantName, Kind: article23.MemberKind(r.ApplicantKind)},
		Counterparty: r.Counterparty, Category: r.Category, Summary: r.Summary, Claims: r.Claims,
		ReceivedOn: r.ReceivedOn, Channel: article23.Channel(r.Channel), Stage: article23.Stage(r.Stage),
		Secretary: r.Secretary, UpdatedAt: r.UpdatedAt.UTC(),
	}
	fromJSON(r.Policy, &c.Policy)
	fromJSON(r.SubmittedBy, &c.SubmittedBy)
	c.Decision = optFromJSON[article23.Decision](r.Decision)
	c.Committee = optFromJSON[article23.Committee](r.Committee)
	c.Feedback = optFromJSON[article23.Feedback](r.Feedback)
	return c
}

// toJSON encodes plain data, which cannot fail.
func toJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func optJSON[T any](v *T) *string {
	if v == nil {
		return nil
	}
	s := toJSON(v)
	return &s
}

// fromJSON decodes what toJSON wrote; a column the store itself filled cannot be malformed.
func fromJSON(s string, v any) {
	_ = json.Unmarshal([]byte(s), v)
}

func optFromJSON[T any](s *string) *T {
	if s == nil {
		return nil
	}
	v := new(T)
	fromJSON(*s, v)
	return v
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
