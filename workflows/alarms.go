package workflows

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/cicpa/weiquan/activities"
	"github.com/cicpa/weiquan/article23"
)

// key identifies an alarm for deduplication: a clock breaches and escalates once; a reminder
// is sent once per step for each due date the clock has had.
func (a Alarm) key() string {
	if a.Kind == AlarmReminder {
		return fmt.Sprintf("%s/%s/%d/%s", a.Clock, a.Kind, a.Step, a.Due)
	}
	return fmt.Sprintf("%s/%s/%d", a.Clock, a.Kind, a.Step)
}

// arm replaces the pending alarms of clock c with those of res. Reminders already past are
// dropped (a reminder is never sent late); a breach or escalation already past fires at once.
func (s *caseState) arm(now time.Time, c article23.Clock, res activities.DeadlineResult) {
	s.disarm(c.Name)
	for i, at := range res.ReminderAt {
		if at.After(now) && i < len(s.Case.Policy.ReminderWorkdays) {
			s.addAlarm(Alarm{Clock: c.Name, Kind: AlarmReminder, Step: s.Case.Policy.ReminderWorkdays[i], Due: c.Due, At: at})
		}
	}
	if c.State == article23.ClockRunning {
		s.addAlarm(Alarm{Clock: c.Name, Kind: AlarmBreach, Step: 1, Due: c.Due, At: c.DeadlineAt})
	}
	if !res.EscalateAt.IsZero() {
		s.addAlarm(Alarm{Clock: c.Name, Kind: AlarmEscalation, Step: 2, Due: c.Due, At: res.EscalateAt})
	}
}

// addAlarm adds a unless an alarm with the same key has fired.
func (s *caseState) addAlarm(a Alarm) {
	for _, f := range s.Alarms {
		if f.Fired && f.key() == a.key() {
			return
		}
	}
	s.Alarms = append(s.Alarms, a)
}

// disarm drops the pending alarms of clock n; fired ones stay as the record of what fired.
func (s *caseState) disarm(n article23.ClockName) {
	kept := s.Alarms[:0]
	for _, a := range s.Alarms {
		if a.Fired || a.Clock != n {
			kept = append(kept, a)
		}
	}
	s.Alarms = kept
}

// nextAlarm returns the index of the earliest pending alarm, or -1.
func (s *caseState) nextAlarm() int {
	next := -1
	for i, a := range s.Alarms {
		if !a.Fired && (next < 0 || a.At.Before(s.Alarms[next].At)) {
			next = i
		}
	}
	return next
}

// fireDue fires every alarm whose instant has come, earliest first, and reports whether any did.
func (s *caseState) fireDue(ctx workflow.Context) bool {
	fired := false
	for i := s.nextAlarm(); i >= 0 && !s.Alarms[i].At.After(workflow.Now(ctx)); i = s.nextAlarm() {
		s.Alarms[i].Fired = true
		s.fire(ctx, s.Alarms[i])
		fired = true
	}
	return fired
}

// fire turns alarm a into its events; an alarm whose clock is no longer running is spent silently.
func (s *caseState) fire(ctx workflow.Context, a Alarm) {
	c, ok := s.Case.Clock(a.Clock)
	if !ok {
		return
	}
	switch {
	case a.Kind == AlarmReminder && c.State == article23.ClockRunning:
		s.emit(ctx, article23.EventReminder, article23.SystemActor,
			article23.EventData{Clock: c.Name, Due: c.Due, Step: a.Step},
			article23.Notification{Audience: article23.AudienceSecretary, NotAfter: c.DeadlineAt})
	case a.Kind == AlarmBreach && c.State == article23.ClockRunning:
		s.breach(ctx, c, a.At)
	case a.Kind == AlarmEscalation && c.State == article23.ClockBreached && c.MetOn == "":
		s.escalate(ctx, c.Name, a.Step, article23.AudienceNationalSupervisors)
	}
}

// breach marks clock c breached at its deadline instant and raises the level-1 escalation.
func (s *caseState) breach(ctx workflow.Context, c *article23.Clock, at time.Time) {
	c.State = article23.ClockBreached
	c.BreachedAt = &at
	c.WorkdaysUsed = c.Workdays
	s.emit(ctx, article23.EventClockBreached, article23.SystemActor,
		article23.EventData{Clock: c.Name, Due: c.Due}, tell(article23.AudienceSecretary, true))
	s.escalate(ctx, c.Name, 1, article23.AudienceSupervisors)
}

// escalate raises an escalation of clock n at level to audience, at once.
func (s *caseState) escalate(ctx workflow.Context, n article23.ClockName, level int, to article23.Audience) {
	e := article23.Escalation{ID: len(s.Case.Escalations) + 1, Clock: n, Level: level, RaisedAt: workflow.Now(ctx).UTC()}
	s.Case.Escalations = append(s.Case.Escalations, e)
	s.emit(ctx, article23.EventEscalated, article23.SystemActor,
		article23.EventData{Clock: n, Level: level, EscalationID: e.ID}, tell(to, true))
}

// alarmSummary labels the timer of alarm a in the Temporal UI.
func alarmSummary(a Alarm) string {
	switch a.Kind {
	case AlarmReminder:
		return fmt.Sprintf("%s reminder, %d working days before %s", a.Clock, a.Step, a.Due)
	case AlarmBreach:
		return fmt.Sprintf("%s deadline, end of %s", a.Clock, a.Due)
	}
	return fmt.Sprintf("%s level-%d escalation", a.Clock, a.Step)
}
