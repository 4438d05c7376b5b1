package workflows

import (
	"go.temporal.io/sdk/workflow"

	"github.com/cicpa/weiquan/activities"
	"github.com/cicpa/weiquan/article23"
)

// ReasonCalendarUpdated, ReasonExtension and ReasonSupplement say why a clock moved
// (EventData.Reason of EventClockMoved).
const (
	ReasonCalendarUpdated = "calendar_updated"
	ReasonExtension       = "extension_approved"
	ReasonSupplement      = "supplement_received"
)

// applyCalendars recomputes every running clock with the calendar now in force. Breached,
// met and cancelled clocks keep their dates: a recorded breach is never erased.
func (s *caseState) applyCalendars(ctx workflow.Context) error {
	if err := s.lock(ctx); err != nil {
		return err
	}
	defer s.unlock()
	u := s.calendars[len(s.calendars)-1] // the latest reload supersedes the others
	s.calendars = nil
	running := s.staleClocks(u.Version)
	if len(running) == 0 {
		return nil
	}
	results, err := s.recompute(ctx, running, u.Version)
	if err != nil {
		workflow.GetLogger(ctx).Error("calendar update not applied", "version", u.Version, "error", err)
		return nil // the clocks keep their dates; the next reload tries again
	}
	for i, n := range running {
		c, _ := s.Case.Clock(n)
		s.moveClock(ctx, n, c.Start, results[i], ReasonCalendarUpdated)
	}
	s.emit(ctx, article23.EventCalendarUpdated, article23.SystemActor, article23.EventData{Version: results[0].CalendarVersion})
	return nil
}

// staleClocks names the running clocks not computed with calendar version v.
func (s *caseState) staleClocks(v string) []article23.ClockName {
	var names []article23.ClockName
	for _, c := range s.Case.Clocks {
		if c.State == article23.ClockRunning && (v == "" || c.CalendarVersion != v) {
			names = append(names, c.Name)
		}
	}
	return names
}

// recompute computes the clocks names anew from their start and length, all in parallel,
// with calendar version (the reload's; "" for whatever the worker has).
func (s *caseState) recompute(ctx workflow.Context, names []article23.ClockName, version string) ([]activities.DeadlineResult, error) {
	futures := make([]workflow.Future, len(names))
	for i, n := range names {
		c, _ := s.Case.Clock(n)
		req := s.deadlineRequest(c.Start, c.Workdays, "")
		req.CalendarVersion = version
		futures[i] = s.computeDeadline(ctx, req)
	}
	results := make([]activities.DeadlineResult, len(names))
	for i, f := range futures {
		if err := f.Get(ctx, &results[i]); err != nil {
			return nil, err
		}
	}
	return results, nil
}
