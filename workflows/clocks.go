package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/cicpa/weiquan/activities"
	"github.com/cicpa/weiquan/article23"
)

// acts names the activities; only its method values are used, never the nil receiver.
var acts *activities.Activities

// recordOptions: a database outage must never lose an event, so RecordEvent retries forever.
// One record is one short transaction: 10 s (like the workflow task timeout) is ample, and it
// is how long a record held by a killed worker waits before it is retried. Timeouts are not
// part of replay, so changing them needs no version.
var recordOptions = workflow.ActivityOptions{
	StartToCloseTimeout: 10 * time.Second,
	RetryPolicy: &temporal.RetryPolicy{
		InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: time.Minute, MaximumAttempts: 0,
	},
}

// computeOptions: the calendar is in memory; a refusal is non-retryable, anything else is
// retried a few times and then reported to the caller of the update.
var computeOptions = workflow.ActivityOptions{
	StartToCloseTimeout: 10 * time.Second,
	RetryPolicy: &temporal.RetryPolicy{
		InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: 10 * time.Second, MaximumAttempts: 5,
	},
}

// deadlineRequest asks for the deadline workdays after start (or up to until) with the
// case policy's reminders, escalation and working hours.
func (s *caseState) deadlineRequest(start string, workdays int, until string) activities.DeadlineRequest {
	p := s.Case.Policy
	return activities.DeadlineRequest{Start: start, Workdays: workdays, Until: until,
		ReminderWorkdays: p.ReminderWorkdays, EscalateAfterWorkdays: p.EscalateAfterWorkdays,
		WorkingHoursStart: p.WorkingHoursStart}
}

// LocalDeadlinesChange is the workflow.GetVersion change ID that chooses, once per run, how
// the workflow runs its activities; its versions are the Path constants.
const LocalDeadlinesChange = "local-deadlines"

// The execution paths of LocalDeadlinesChange. A run keeps the path it started on, so cases
// started before a change replay on the commands they were recorded with.
const (
	// PathActivities: every activity is a full activity (cases started before the change).
	PathActivities = workflow.DefaultVersion
	// PathLocalDeadlines: ComputeDeadline and CountWorkdays run as local activities.
	PathLocalDeadlines workflow.Version = 1
	// PathLocalRecords: the events a workflow task emits are recorded together by one local
	// RecordEvents (one transaction).
	PathLocalRecords workflow.Version = 2
)

// localComputeOptions: the same calendar work in process, microseconds; retried like
// computeOptions, all within the workflow task's lifetime.
var localComputeOptions = workflow.LocalActivityOptions{
	ScheduleToCloseTimeout: 30 * time.Second,
	StartToCloseTimeout:    5 * time.Second,
	RetryPolicy: &temporal.RetryPolicy{
		InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: 10 * time.Second, MaximumAttempts: 5,
	},
}

// localRecordOptions: RecordEvents in process, retried like recordOptions and never given up.
// A local activity's schedule-to-close defaults to its start-to-close, so "forever" is spelled
// out. Retries shorter than the workflow task timeout run inside the task (the SDK keeps it
// alive); longer back-offs become durable timers, so a database outage costs a marker and a
// timer per retry, and a crashed worker's task is retried by the next one: Record is
// idempotent per (case, seq).
var localRecordOptions = workflow.LocalActivityOptions{
	ScheduleToCloseTimeout: 10 * 365 * 24 * time.Hour,
	StartToCloseTimeout:    10 * time.Second,
	RetryPolicy:            recordOptions.RetryPolicy,
}

// choosePath decides once per run, at start, how activities run: cases started before a
// change replay on the path they were recorded with, new ones take the latest.
func (s *caseState) choosePath(ctx workflow.Context) {
	s.path = workflow.GetVersion(ctx, LocalDeadlinesChange, PathActivities, PathLocalRecords)
}

// calendarActivity runs a calendar activity on the path chosen at start.
func (s *caseState) calendarActivity(ctx workflow.Context, fn, arg any) workflow.Future {
	if s.path >= PathLocalDeadlines {
		return workflow.ExecuteLocalActivity(workflow.WithLocalActivityOptions(ctx, localComputeOptions), fn, arg)
	}
	return workflow.ExecuteActivity(workflow.WithActivityOptions(ctx, computeOptions), fn, arg)
}

// maxRecordBatch bounds the records of one RecordEvents call (each carries a case snapshot).
const maxRecordBatch = 50

// record records the first records of the outbox on the path chosen at start and returns how
// many it took: on PathLocalRecords all of them (up to maxRecordBatch) in one local
// RecordEvents, one transaction; before it, one RecordEvent activity for the first.
func (s *caseState) record(ctx workflow.Context, outbox []article23.Record) (int, workflow.Future) {
	if s.path >= PathLocalRecords {
		n := min(len(outbox), maxRecordBatch)
		return n, workflow.ExecuteLocalActivity(workflow.WithLocalActivityOptions(ctx, localRecordOptions), acts.RecordEvents, outbox[:n])
	}
	return 1, workflow.ExecuteActivity(workflow.WithActivityOptions(ctx, recordOptions), acts.RecordEvent, outbox[0])
}

// computeDeadline starts ComputeDeadline; Get the future for the result.
func (s *caseState) computeDeadline(ctx workflow.Context, req activities.DeadlineRequest) workflow.Future {
	return s.calendarActivity(ctx, acts.ComputeDeadline, req)
}

// countWorkdays returns the working days in (from, to]: how long an act took.
func (s *caseState) countWorkdays(ctx workflow.Context, from, to string) (int, error) {
	var r activities.CountResult
	err := s.calendarActivity(ctx, acts.CountWorkdays, activities.CountRequest{From: from, To: to}).Get(ctx, &r)
	return r.Workdays, err
}

// newClock is a running clock named n computed as res.
func newClock(n article23.ClockName, from article23.CountFrom, start string, res activities.DeadlineResult) article23.Clock {
	c := article23.Clock{Name: n, Start: start, State: article23.ClockRunning, CountFrom: from}
	applyDeadline(&c, res)
	return c
}

// applyDeadline copies a computed deadline into c, keeping its state (a breach stays).
func applyDeadline(c *article23.Clock, res activities.DeadlineResult) {
	c.Workdays, c.Due, c.DeadlineAt = res.Workdays, res.Due, res.DeadlineAt
	c.CalendarVersion, c.Provisional, c.Explanation = res.CalendarVersion, res.Provisional, res.Explanation
}

// putClock stores c (replacing the clock of the same name) and re-arms its alarms from res.
func (s *caseState) putClock(ctx workflow.Context, c article23.Clock, res activities.DeadlineResult) {
	if old, ok := s.Case.Clock(c.Name); ok {
		*old = c
	} else {
		s.Case.Clocks = append(s.Case.Clocks, c)
	}
	s.arm(workflow.Now(ctx), c, res)
}

// startClock adds the running clock n and emits EventClockStarted.
func (s *caseState) startClock(ctx workflow.Context, n article23.ClockName, from article23.CountFrom, start string, res activities.DeadlineResult) {
	s.putClock(ctx, newClock(n, from, start, res), res)
	s.emit(ctx, article23.EventClockStarted, article23.SystemActor,
		article23.EventData{Clock: n, Due: res.Due, Workdays: res.Workdays, Version: res.CalendarVersion})
}

// moveClock recomputes clock n as res and emits EventClockMoved if its due date changed.
func (s *caseState) moveClock(ctx workflow.Context, n article23.ClockName, start string, res activities.DeadlineResult, reason string) {
	c, _ := s.Case.Clock(n)
	old := *c
	c.Start = start
	applyDeadline(c, res)
	s.arm(workflow.Now(ctx), *c, res)
	if old.Due != c.Due {
		s.emit(ctx, article23.EventClockMoved, article23.SystemActor,
			article23.EventData{Clock: n, OldDue: old.Due, NewDue: c.Due, Reason: reason, Workdays: c.Workdays, Version: c.CalendarVersion},
			tell(article23.AudienceSecretary, false), tell(article23.AudienceMember, false))
	}
}

// meetClock records that the act of clock n took place on date on, after used working days.
// A breached clock stays breached unless on was within its due date (RealDatesChange); its
// pending escalation is dropped (the act is done).
func (s *caseState) meetClock(ctx workflow.Context, n article23.ClockName, on string, used int) {
	c, ok := s.Case.Clock(n)
	if !ok {
		return
	}
	c.MetOn, c.WorkdaysUsed = on, used
	s.disarm(n)
	s.judgeByStatedDate(ctx, c, on)
	if c.State != article23.ClockRunning {
		return
	}
	c.State = article23.ClockMet
	s.emit(ctx, article23.EventClockMet, article23.SystemActor, article23.EventData{Clock: n, Due: c.Due, Date: on, Workdays: used})
}

// cancelClocks cancels every running clock and drops every pending alarm: the case ended.
func (s *caseState) cancelClocks() {
	for i := range s.Case.Clocks {
		if s.Case.Clocks[i].State == article23.ClockRunning {
			s.Case.Clocks[i].State = article23.ClockCancelled
		}
		s.disarm(s.Case.Clocks[i].Name)
	}
}
