package api

import (
	"time"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/calendar"
	"github.com/cicpa/weiquan/store"
	"github.com/cicpa/weiquan/wire"
)

// Responses (package wire) show dates as YYYY-MM-DD and instants in RFC 3339 at +08:00
// (Asia/Shanghai), the time zone every Article 23 period is counted in.

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
func newCaseResponse(c article23.Case, cal *calendar.Calendar, now time.Time) wire.Case {
	r := wire.Case{
		Number: c.Number, Stage: c.Stage, Institute: c.Institute, ReceivedOn: c.ReceivedOn, Channel: c.Channel,
		Applicant: c.Applicant, Counterparty: c.Counterparty, Category: c.Category, Summary: c.Summary, Claims: c.Claims,
		Secretary: c.Secretary, Policy: c.Policy, Clocks: []wire.Clock{}, Decision: c.Decision, Committee: c.Committee,
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

func newClockResponse(k article23.Clock, cal *calendar.Calendar, now time.Time) wire.Clock {
	r := wire.Clock{Name: k.Name, Start: k.Start, Workdays: k.Workdays, DueDate: k.Due, DeadlineAt: sh(k.DeadlineAt),
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

// withLog adds the case's event log and attachments to r.
func withLog(r wire.Case, events []article23.Event, atts []store.Attachment) wire.Case {
	for _, e := range events {
		e.At = sh(e.At)
		r.Events = append(r.Events, e)
	}
	for _, a := range atts {
		r.Attachments = append(r.Attachments, newAttachmentResponse(a))
	}
	return r
}

// newSummary renders c. The conversion holds wire.Summary to the store's row: a field added
// to one and not the other does not compile.
func newSummary(c store.CaseSummary) wire.Summary {
	r := wire.Summary(c)
	r.NextDeadline, r.UpdatedAt = shPtr(c.NextDeadline), sh(c.UpdatedAt)
	return r
}

func newSummaries(cs []store.CaseSummary) []wire.Summary {
	out := make([]wire.Summary, len(cs))
	for i, c := range cs {
		out[i] = newSummary(c)
	}
	return out
}

func newAttachmentResponse(a store.Attachment) wire.Attachment {
	return wire.Attachment{ID: a.ID, Name: a.Name, Size: a.Size, MediaType: a.MediaType, SHA256: a.SHA256,
		UploadedBy: a.UploadedBy, UploadedAt: sh(a.UploadedAt)}
}
