package enginetest

import (
	"fmt"

	"github.com/cicpa/weiquan/activities"
	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/calendar"
)

// The clock and log helpers, after workflows/clocks.go and state.go.

func (r *run) today() string { return calendar.DateOf(r.now).String() }

func (r *run) request(start string, workdays int, until string) activities.DeadlineRequest {
	p := r.c.Policy
	return activities.DeadlineRequest{Start: start, Workdays: workdays, Until: until, ReminderWorkdays: p.ReminderWorkdays,
		EscalateAfterWorkdays: p.EscalateAfterWorkdays, WorkingHoursStart: p.WorkingHoursStart}
}

func (r *run) compute(req activities.DeadlineRequest) (activities.DeadlineResult, error) {
	return r.eng.ComputeDeadline(r.ctx, req)
}

func (r *run) count(from, to string) (int, error) {
	res, err := r.eng.CountWorkdays(r.ctx, activities.CountRequest{From: from, To: to})
	return res.Workdays, err
}

// emit appends event t to the log and its record, with the case as it is now, to the outbox.
func (r *run) emit(t article23.EventType, a article23.Actor, d article23.EventData, tell ...article23.Audience) {
	now := r.now.UTC()
	ev := article23.Event{Seq: int64(len(r.events)) + 1, Type: t, Actor: a, At: now, Data: mustJSON(d)}
	r.events = append(r.events, ev)
	r.c.UpdatedAt = now
	var notes []article23.Notification
	for _, au := range tell {
		notes = append(notes, r.note(ev.Seq, au, t))
	}
	r.outbox = append(r.outbox, article23.Record{Event: ev, Case: cloneCase(r.c), Notifications: notes})
	r.addTold(ev.Seq, notes)
}

func (r *run) note(seq int64, au article23.Audience, t article23.EventType) article23.Notification {
	return article23.Notification{Key: fmt.Sprintf("%s/%d/%s", r.c.Number, seq, au), Audience: au, Kind: string(t)}
}

func (r *run) startClock(n article23.ClockName, from article23.CountFrom, start string, res activities.DeadlineResult) {
	k := article23.Clock{Name: n, Start: start, State: article23.ClockRunning, CountFrom: from}
	apply(&k, res)
	if old, ok := r.c.Clock(n); ok {
		*old = k
	} else {
		r.c.Clocks = append(r.c.Clocks, k)
	}
	r.emit(article23.EventClockStarted, article23.SystemActor, article23.EventData{Clock: n, Due: res.Due, Workdays: res.Workdays, Version: res.CalendarVersion})
}

func apply(k *article23.Clock, res activities.DeadlineResult) {
	k.Workdays, k.Due, k.DeadlineAt = res.Workdays, res.Due, res.DeadlineAt
	k.CalendarVersion, k.Provisional, k.Explanation = res.CalendarVersion, res.Provisional, res.Explanation
}

func (r *run) moveClock(n article23.ClockName, start string, res activities.DeadlineResult, reason string) {
	k, _ := r.c.Clock(n)
	old := *k
	k.Start = start
	apply(k, res)
	if old.Due != k.Due {
		r.emit(article23.EventClockMoved, article23.SystemActor, article23.EventData{Clock: n, OldDue: old.Due, NewDue: k.Due, Reason: reason,
			Workdays: k.Workdays, Version: k.CalendarVersion}, article23.AudienceSecretary, article23.AudienceMember)
	}
}

// meetClock: the act of clock n took place on on, after used working days, judged by its
// stated date (a breach it answers is withdrawn).
func (r *run) meetClock(n article23.ClockName, on string, used int) {
	k, ok := r.c.Clock(n)
	if !ok {
		return
	}
	k.MetOn, k.WorkdaysUsed, k.EnteredOn = on, used, r.today()
	if on < k.EnteredOn {
		k.EntryLagWorkdays, _ = r.count(on, k.EnteredOn)
	}
	if k.State == article23.ClockBreached && on <= k.Due {
		r.withdrawBreach(k, on)
	}
	if k.State != article23.ClockRunning {
		return
	}
	k.State = article23.ClockMet
	r.emit(article23.EventClockMet, article23.SystemActor, article23.EventData{Clock: n, Due: k.Due, Date: on, Workdays: used})
}

func (r *run) withdrawBreach(k *article23.Clock, on string) {
	k.State, k.BreachedAt = article23.ClockRunning, nil
	now := r.now.UTC()
	note := ""
	for i := range r.c.Escalations {
		x := &r.c.Escalations[i]
		if x.Clock == k.Name && x.AcknowledgedAt == nil && x.ResolvedAt == nil {
			x.ResolvedAt = &now
			if note != "" {
				note += ","
			}
			note += fmt.Sprint(x.ID)
		}
	}
	r.emit(article23.EventBreachWithdrawn, article23.SystemActor, article23.EventData{Clock: k.Name, Due: k.Due, Date: on,
		Workdays: k.EntryLagWorkdays, Note: note}, article23.AudienceSupervisors)
}

// finish ends the case in stage st: every running clock is cancelled.
func (r *run) finish(st article23.Stage) {
	r.c.Stage = st
	for i := range r.c.Clocks {
		if r.c.Clocks[i].State == article23.ClockRunning {
			r.c.Clocks[i].State = article23.ClockCancelled
		}
	}
}

func (r *run) pendingExtension() *article23.Extension {
	for i := range r.c.Extensions {
		if r.c.Extensions[i].State == article23.ExtensionPending {
			return &r.c.Extensions[i]
		}
	}
	return nil
}

// dropPendingExtension refuses, as the system, an extension made moot by the case moving on.
func (r *run) dropPendingExtension(why string) {
	x := r.pendingExtension()
	if x == nil {
		return
	}
	now := r.now.UTC()
	x.State, x.DecidedBy, x.DecidedAt, x.Note = article23.ExtensionRefused, &article23.SystemActor, &now, why
	r.emit(article23.EventExtensionRefused, article23.SystemActor, article23.EventData{ExtensionID: x.ID, Note: why})
}
