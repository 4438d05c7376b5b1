package workflows

import (
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/cicpa/weiquan/activities"
	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/calendar"
)

// CaseWorkflow runs one Article 23 case from receipt until it is closed, not accepted or
// withdrawn, plus Linger. It returns the final case.
func CaseWorkflow(ctx workflow.Context, in CaseInput) (article23.Case, error) {
	if err := ValidateInput(in, today(ctx)); err != nil {
		return article23.Case{}, err
	}
	s := newCaseState(in)
	s.choosePaths(ctx, in)
	if err := s.register(ctx); err != nil {
		return article23.Case{}, err
	}
	if err := s.start(ctx); err != nil {
		return article23.Case{}, err
	}
	err := s.run(ctx, workflow.GetSignalChannel(ctx, CalendarUpdatedSignal))
	return cloneCase(s.Case), err
}

// today is the workflow's current date in Asia/Shanghai.
func today(ctx workflow.Context) string { return calendar.DateOf(workflow.Now(ctx)).String() }

// ValidateInput refuses a case the workflow cannot run; the API checks the same first.
func ValidateInput(in CaseInput, today string) error {
	c := in.Case
	switch {
	case in.Version != CaseInputVersion:
		return refuse(CodeInvalidArgument, "case input version %d, want %d", in.Version, CaseInputVersion)
	case c.Number == "" || c.Institute == "" || c.Applicant.MemberNo == "":
		return refuse(CodeInvalidArgument, "number, institute and applicant member_no are required")
	case c.Policy.Validate() != nil:
		return refuse(CodeInvalidArgument, "policy: %v", c.Policy.Validate())
	}
	return CheckDate("received_on", c.ReceivedOn, today, "")
}

// start computes the decision clock (and the supplement window) and records the receipt.
// An update may reach its handler before start runs; lock makes it wait for ready.
func (s *caseState) start(ctx workflow.Context) error {
	s.busy = true
	defer func() { s.busy, s.ready = false, true }()
	p, on := s.Case.Policy, s.Case.ReceivedOn
	decision := s.computeDeadline(ctx, s.deadlineRequest(on, p.DecisionWorkdays, ""))
	if p.AllowSupplement {
		var w activities.DeadlineResult
		if err := s.computeDeadline(ctx, activities.DeadlineRequest{Start: on, Workdays: p.SupplementWindowWorkdays}).Get(ctx, &w); err != nil {
			return err
		}
		s.supplementWindowEnds = w.Due
	}
	var res activities.DeadlineResult
	if err := decision.Get(ctx, &res); err != nil {
		return err
	}
	s.emit(ctx, article23.EventReceived, s.Case.SubmittedBy, article23.EventData{Date: on, Due: res.Due},
		tell(article23.AudienceMember, false), tell(article23.AudienceSecretary, false))
	s.startClock(ctx, article23.ClockDecision, article23.CountFromReceipt, on, res)
	return nil
}

// run is the main loop: record events in order, apply calendar updates, fire due alarms,
// then sleep until the earliest pending alarm or until something changes.
func (s *caseState) run(ctx workflow.Context, signals workflow.ReceiveChannel) error {
	for {
		s.flush(ctx)
		var u CalendarUpdated
		for signals.ReceiveAsync(&u) {
			s.calendars = append(s.calendars, u)
		}
		if len(s.calendars) > 0 {
			if err := s.applyCalendars(ctx); err != nil {
				return err
			}
			continue
		}
		if fired, err := s.fireLocked(ctx); err != nil || fired {
			if err != nil {
				return err
			}
			continue
		}
		if err := s.publish(ctx); err != nil {
			return err
		}
		if s.finished() && !workflow.Now(ctx).Before(s.endedAt.Add(Linger)) && len(s.outbox) == 0 {
			return s.drain(ctx)
		}
		if err := s.sleep(ctx, signals); err != nil {
			return err
		}
	}
}

// fireLocked fires the due alarms while holding the state.
func (s *caseState) fireLocked(ctx workflow.Context) (bool, error) {
	if err := s.lock(ctx); err != nil {
		return false, err
	}
	defer s.unlock()
	return s.fireDue(ctx), nil
}

// drain waits for running handlers and records what they emitted before the workflow ends.
func (s *caseState) drain(ctx workflow.Context) error {
	if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) }); err != nil {
		return err
	}
	s.flush(ctx)
	return nil
}

// flush records the outbox strictly in seq order, awaiting each call before the next; events
// emitted while a call runs go in the next one.
func (s *caseState) flush(ctx workflow.Context) {
	for ready := s.recordable(); len(ready) > 0; ready = s.recordable() {
		n, f := s.record(ctx, ready)
		if err := f.Get(ctx, nil); err != nil {
			// Only a malformed record fails for good: a bug, not a reason to stop the case.
			first, last := s.outbox[0].Event, s.outbox[n-1].Event
			workflow.GetLogger(ctx).Error("events not recorded", "seq", first.Seq, "to", last.Seq, "type", first.Type, "error", err)
		}
		s.outbox = s.outbox[n:]
	}
}

// sleep waits until the earliest pending alarm (or the end of Linger) or until a handler
// or a signal changes something: the updatable-timer pattern.
func (s *caseState) sleep(ctx workflow.Context, signals workflow.ReceiveChannel) error {
	s.changed = false
	woken := func() bool { return s.changed || len(s.recordable()) > 0 || signals.Len() > 0 }
	at, summary := s.nextWake()
	if s.fewerEvents {
		return s.sleepOnKeptTimer(ctx, at, summary, woken)
	}
	if at.IsZero() {
		return workflow.Await(ctx, woken)
	}
	d := at.Sub(workflow.Now(ctx))
	if d <= 0 {
		return nil
	}
	_, err := workflow.AwaitWithOptions(ctx, workflow.AwaitOptions{Timeout: d, TimerOptions: workflow.TimerOptions{Summary: summary}}, woken)
	return err
}

// keptTimer is the alarm timer of a case on PathsFewerEvents: it outlives the sleep that
// started it, so an act that leaves the next wake where it was starts no timer, and one that
// moves it cancels the old timer instead of leaving it to fire later for nothing (the SDK's
// AwaitWithOptions leaves it: its cancel-on-condition flag is off by default in v1.50).
type keptTimer struct {
	at      time.Time
	summary string
	fired   workflow.Future
	cancel  workflow.CancelFunc
}

// sleepOnKeptTimer is sleep on PathsFewerEvents: it waits on the kept timer when it is set
// for at (starting it when none is), cancelling a kept timer set for another instant.
func (s *caseState) sleepOnKeptTimer(ctx workflow.Context, at time.Time, summary string, woken func() bool) error {
	if t := s.timer; t != nil && (!t.at.Equal(at) || t.summary != summary) {
		t.cancel()
		s.timer = nil
	}
	if at.IsZero() {
		return workflow.Await(ctx, woken)
	}
	d := at.Sub(workflow.Now(ctx))
	if d <= 0 {
		return nil
	}
	if s.timer == nil {
		tctx, cancel := workflow.WithCancel(ctx)
		s.timer = &keptTimer{at: at, summary: summary, cancel: cancel,
			fired: workflow.NewTimerWithOptions(tctx, d, workflow.TimerOptions{Summary: summary})}
	}
	t := s.timer
	err := workflow.Await(ctx, func() bool { return woken() || t.fired.IsReady() })
	if t.fired.IsReady() {
		s.timer = nil
	}
	return err
}

// nextWake is the instant of the earliest pending alarm, or the end of Linger of a finished case.
func (s *caseState) nextWake() (time.Time, string) {
	if i := s.nextAlarm(); i >= 0 {
		return s.Alarms[i].At, alarmSummary(s.Alarms[i])
	}
	if s.finished() {
		return s.endedAt.Add(Linger), "case finished: stay open for late actions"
	}
	return time.Time{}, ""
}

// finish ends the case: stage st, every running clock cancelled, every alarm dropped.
func (s *caseState) finish(ctx workflow.Context, st article23.Stage) {
	s.setStage(st)
	s.cancelClocks()
	s.endedAt = workflow.Now(ctx)
}
