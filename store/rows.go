package store

import (
	"encoding/json"

	"github.com/cicpa/weiquan/article23"
)

func clockRowsFrom(c article23.Case) []clockRow {
	rows := make([]clockRow, 0, len(c.Clocks))
	for i, k := range c.Clocks {
		row := clockRow{
			CaseNumber: c.Number, Name: string(k.Name), Position: i, Institute: c.Institute,
			CaseOpen: c.Stage.Open(), StartOn: k.Start, Workdays: k.Workdays, DueOn: k.Due,
			DeadlineAt: k.DeadlineAt.UTC(), State: string(k.State), CalendarVersion: k.CalendarVersion,
			Provisional: k.Provisional, CountFrom: string(k.CountFrom), Explanation: k.Explanation,
			BreachedAt: utcPtr(k.BreachedAt), MetOn: k.MetOn, EnteredOn: k.EnteredOn,
		}
		if k.EnteredOn != "" {
			row.EntryLagWorkdays = ptr(k.EntryLagWorkdays)
		}
		// only a finished clock has used a number of days; a running one has not (yet)
		if k.State == article23.ClockMet || k.State == article23.ClockBreached {
			used := k.WorkdaysUsed
			row.WorkdaysUsed = &used
		}
		rows = append(rows, row)
	}
	return rows
}

func (r clockRow) toClock() article23.Clock {
	k := article23.Clock{
		Name: article23.ClockName(r.Name), Start: r.StartOn, Workdays: r.Workdays, Due: r.DueOn,
		DeadlineAt: r.DeadlineAt.UTC(), State: article23.ClockState(r.State), CountFrom: article23.CountFrom(r.CountFrom),
		CalendarVersion: r.CalendarVersion, Provisional: r.Provisional, Explanation: r.Explanation,
		BreachedAt: utcPtr(r.BreachedAt), MetOn: r.MetOn, EnteredOn: r.EnteredOn,
	}
	if r.WorkdaysUsed != nil {
		k.WorkdaysUsed = *r.WorkdaysUsed
	}
	if r.EntryLagWorkdays != nil {
		k.EntryLagWorkdays = *r.EntryLagWorkdays
	}
	return k
}

func extensionRowsFrom(c article23.Case) []extensionRow {
	rows := make([]extensionRow, 0, len(c.Extensions))
	for _, e := range c.Extensions {
		rows = append(rows, extensionRow{
			CaseNumber: c.Number, ID: e.ID, Institute: c.Institute, Reason: e.Reason, Workdays: e.Workdays,
			OldDue: e.OldDue, NewDue: e.NewDue, State: string(e.State),
			RequestedBy: toJSON(e.RequestedBy), RequestedAt: e.RequestedAt.UTC(),
			DecidedBy: optJSON(e.DecidedBy), DecidedAt: utcPtr(e.DecidedAt), Note: e.Note,
		})
	}
	return rows
}

func (r extensionRow) toExtension() article23.Extension {
	e := article23.Extension{
		ID: r.ID, Reason: r.Reason, Workdays: r.Workdays, NewDue: r.NewDue, OldDue: r.OldDue,
		State: article23.ExtensionState(r.State), RequestedAt: r.RequestedAt.UTC(),
		DecidedBy: optFromJSON[article23.Actor](r.DecidedBy), DecidedAt: utcPtr(r.DecidedAt), Note: r.Note,
	}
	fromJSON(r.RequestedBy, &e.RequestedBy)
	return e
}

func escalationRowsFrom(c article23.Case) []escalationRow {
	rows := make([]escalationRow, 0, len(c.Escalations))
	for _, e := range c.Escalations {
		rows = append(rows, escalationRow{
			CaseNumber: c.Number, ID: e.ID, Institute: c.Institute, Clock: string(e.Clock), Level: e.Level,
			RaisedAt: e.RaisedAt.UTC(), AcknowledgedBy: optJSON(e.AcknowledgedBy), AcknowledgedAt: utcPtr(e.AcknowledgedAt),
			ResolvedAt: utcPtr(e.ResolvedAt),
		})
	}
	return rows
}

func (r escalationRow) toEscalation() article23.Escalation {
	return article23.Escalation{
		ID: r.ID, Clock: article23.ClockName(r.Clock), Level: r.Level, RaisedAt: r.RaisedAt.UTC(),
		AcknowledgedBy: optFromJSON[article23.Actor](r.AcknowledgedBy), AcknowledgedAt: utcPtr(r.AcknowledgedAt),
		ResolvedAt: utcPtr(r.ResolvedAt),
	}
}

func eventRowFrom(number string, e article23.Event, task article23.TaskMark) eventRow {
	row := eventRow{CaseNumber: number, Seq: e.Seq, Type: string(e.Type), Actor: toJSON(e.Actor), At: e.At.UTC()}
	row.TaskEvent, row.TaskNs = task.Event, taskNs(task)
	if len(e.Data) > 0 {
		s := string(e.Data)
		row.Payload = &s
	}
	return row
}

func (r eventRow) toEvent() article23.Event {
	e := article23.Event{Seq: r.Seq, Type: article23.EventType(r.Type), At: r.At.UTC()}
	fromJSON(r.Actor, &e.Actor)
	if r.Payload != nil {
		e.Data = json.RawMessage(*r.Payload)
	}
	return e
}
