package api

import (
	"time"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/calendar"
	"github.com/cicpa/weiquan/store"
)

// Responses show dates as YYYY-MM-DD and instants in RFC 3339 at +08:00 (Asia/Shanghai),
// the time zone every Article 23 period is counted in.

// caseResponse is a case as the API returns it.
type caseResponse struct {
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
	Assignee     *person                `json:"assignee"`            // null while unassigned
	Policy       article23.Policy       `json:"policy"`
	Clocks       []clockResponse        `json:"clocks"`
	Extensions   []article23.Extension  `json:"extensions"`
	Escalations  []article23.Escalation `json:"escalations"`
	Decision     *article23.Decision    `json:"decision,omitempty"`
	Committee    *article23.Committee   `json:"committee,omitempty"`
	Feedback     *article23.Feedback    `json:"feedback,omitempty"`
	Supplement   *article23.Supplement  `json:"supplement,omitempty"`
	SubmittedBy  article23.Actor        `json:"submitted_by"`
	UpdatedAt    time.Time              `json:"updated_at"`
	Events       []article23.Event      `json:"events,omitempty"`
	Attachments  []attachmentResponse   `json:"attachments,omitempty"`
	Documents    []documentResponse     `json:"documents,omitempty"`   // an act's answer: the case's written notices
	Downloads    []downloadResponse     `json:"downloads,omitempty"`   // staff only: who downloaded which file
	OutOfStep    *outOfStep             `json:"out_of_step,omitempty"` // staff only: the store is behind the workflow
}

// outOfStep says that the case's latest events have not reached the store since Since: this
// document may be behind what was done, until a retry lands or an operator repairs it.
type outOfStep struct {
	Since     time.Time `json:"since"`
	Attempts  int       `json:"attempts"`
	LastError string    `json:"last_error"`
}

// clockResponse is one deadline with what is left of it.
type clockResponse struct {
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

// sh is t in Asia/Shanghai, so it marshals with +08:00.
func sh(t time.Time) time.Time { return t.In(calendar.Shanghai()) }

func shPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	v := sh(*t)
	return &v
}

// newCaseResponse renders c; cal and now give each running clock its remaining working days.
func newCaseResponse(c article23.Case, cal *calendar.Calendar, now time.Time) caseResponse {
	r := caseResponse{
		Number: c.Number, Stage: c.Stage, Institute: c.Institute, ReceivedOn: c.ReceivedOn, Channel: c.Channel,
		Applicant: c.Applicant, Counterparty: c.Counterparty, Category: c.Category, Summary: c.Summary, Claims: c.Claims,
		Secretary: c.Secretary, Policy: c.Policy, Clocks: []clockResponse{}, Decision: c.Decision, Committee: c.Committee,
		Feedback: c.Feedback, Supplement: c.Supplement, SubmittedBy: c.SubmittedBy, UpdatedAt: sh(c.UpdatedAt),
		Extensions: []article23.Extension{}, Escalations: []article23.Escalation{},
	}
	for _, k := range c.Clocks {
		r.Clocks = append(r.Clocks, newClockResponse(k, cal, now))
	}
	for _, e := range c.Extensions {
		e.RequestedAt, e.DecidedAt = sh(e.RequestedAt), shPtr(e.DecidedAt)
		r.Extensions = append(r.Extensions, e)
	}
	for _, e := range c.Escalations {
		e.RaisedAt, e.AcknowledgedAt, e.ResolvedAt = sh(e.RaisedAt), shPtr(e.AcknowledgedAt), shPtr(e.ResolvedAt)
		r.Escalations = append(r.Escalations, e)
	}
	return r
}

func newClockResponse(k article23.Clock, cal *calendar.Calendar, now time.Time) clockResponse {
	r := clockResponse{Name: k.Name, Start: k.Start, Workdays: k.Workdays, DueDate: k.Due, DeadlineAt: sh(k.DeadlineAt),
		State: k.State, CountFrom: k.CountFrom, Provisional: k.Provisional, CalendarVersion: k.CalendarVersion,
		Explanation: k.Explanation, BreachedAt: shPtr(k.BreachedAt), MetOn: k.MetOn, WorkdaysUsed: k.WorkdaysUsed,
		EnteredOn: k.EnteredOn, EntryLagWorkdays: k.EntryLagWorkdays, LateEntry: k.LateEntry()}
	if k.State != article23.ClockRunning || cal == nil {
		return r
	}
	if due, err := calendar.ParseDate(k.Due); err == nil {
		if n, err := cal.Remaining(now, due); err == nil {
			r.RemainingWorkdays, r.Overdue = &n.Workdays, n.Overdue
		}
	}
	return r
}

// withLog adds the case's event log and attachments.
func (r caseResponse) withLog(events []article23.Event, atts []store.Attachment) caseResponse {
	for _, e := range events {
		e.At = sh(e.At)
		r.Events = append(r.Events, e)
	}
	for _, a := range atts {
		r.Attachments = append(r.Attachments, newAttachmentResponse(a))
	}
	return r
}

// summaryResponse is a case as lists show it.
type summaryResponse struct {
	store.CaseSummary
	NextDeadline *time.Time `json:"next_deadline,omitempty"`
	UpdatedAt    time.Time  `json:"updated_at"`
}

func newSummaries(cs []store.CaseSummary) []summaryResponse {
	out := make([]summaryResponse, len(cs))
	for i, c := range cs {
		out[i] = summaryResponse{CaseSummary: c, NextDeadline: shPtr(c.NextDeadline), UpdatedAt: sh(c.UpdatedAt)}
	}
	return out
}

// attachmentResponse describes an attachment; where its bytes live stays private.
type attachmentResponse struct {
	ID         string          `json:"id"`
	Name       string          `json:"name"`
	Size       int64           `json:"size"`
	MediaType  string          `json:"media_type"`
	SHA256     string          `json:"sha256"`
	UploadedBy article23.Actor `json:"uploaded_by"`
	UploadedAt time.Time       `json:"uploaded_at"`
}

func newAttachmentResponse(a store.Attachment) attachmentResponse {
	return attachmentResponse{ID: a.ID, Name: a.Name, Size: a.Size, MediaType: a.MediaType, SHA256: a.SHA256,
		UploadedBy: a.UploadedBy, UploadedAt: sh(a.UploadedAt)}
}
