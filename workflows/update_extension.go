package workflows

import (
	"go.temporal.io/sdk/workflow"

	"github.com/cicpa/weiquan/activities"
	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/calendar"
)

func (s *caseState) validateRequestExtension(ctx workflow.Context, u RequestExtension) error {
	return first(
		func() error { return s.checkStaff(u.Actor) },
		func() error { return s.checkFits(article23.ActionRequestExtension) },
		func() error { return required("reason", u.Reason) },
		func() error {
			if s.pendingExtension() != nil {
				return refuse(CodeExtensionPending, "extension %d awaits a supervisor's decision", s.pendingExtension().ID)
			}
			return s.checkFeedbackRunning()
		},
		func() error { return s.checkExtensionLength(u) },
	)
}

// checkFeedbackRunning refuses to move a feedback deadline that has already passed.
func (s *caseState) checkFeedbackRunning() error {
	if fb, _ := s.Case.Clock(article23.ClockFeedback); fb.State == article23.ClockBreached {
		return refuse(CodeClockBreached, "the feedback deadline %s has passed; an extension cannot undo a breach", fb.Due)
	}
	return nil
}

// checkExtensionLength checks the new period: later than the current one, within the cap.
func (s *caseState) checkExtensionLength(u RequestExtension) error {
	fb, _ := s.Case.Clock(article23.ClockFeedback)
	cp, _ := s.Case.Clock(article23.ClockCap)
	switch {
	case (u.Until == "") == (u.Workdays == 0) || u.Workdays < 0:
		return refuse(CodeInvalidArgument, "give either until (a date) or workdays (a positive number)")
	case u.Workdays > cp.Workdays || u.Until > cp.Due:
		return refuse(CodeBeyondCap, "feedback may be extended to at most %d working days from %s, that is until %s", cp.Workdays, cp.Start, cp.Due)
	case u.Workdays != 0 && u.Workdays <= fb.Workdays:
		return refuse(CodeExtensionTooShort, "the feedback period is already %d working days", fb.Workdays)
	case u.Until != "" && !validDate(u.Until):
		return refuse(CodeInvalidDate, "until: %q is not a date (YYYY-MM-DD)", u.Until)
	case u.Until != "" && u.Until <= fb.Due:
		return refuse(CodeExtensionTooShort, "feedback is already due on %s", fb.Due)
	}
	return nil
}

// validDate reports whether d is a real YYYY-MM-DD date.
func validDate(d string) bool {
	_, err := calendar.ParseDate(d)
	return err == nil
}

// pendingExtension is the extension awaiting a decision, or nil.
func (s *caseState) pendingExtension() *article23.Extension {
	for i := range s.Case.Extensions {
		if s.Case.Extensions[i].State == article23.ExtensionPending {
			return &s.Case.Extensions[i]
		}
	}
	return nil
}

// requestExtension computes the proposed feedback deadline and asks the supervisors.
func (s *caseState) requestExtension(ctx workflow.Context, u RequestExtension) error {
	fb, _ := s.Case.Clock(article23.ClockFeedback)
	var res activities.DeadlineResult
	if err := s.computeDeadline(ctx, s.deadlineRequest(fb.Start, u.Workdays, u.Until)).Get(ctx, &res); err != nil {
		return err
	}
	if res.Workdays <= fb.Workdays {
		return refuse(CodeExtensionTooShort, "no working day between %s and %s", fb.Due, u.Until)
	}
	e := article23.Extension{ID: len(s.Case.Extensions) + 1, Reason: u.Reason, Workdays: res.Workdays, NewDue: res.Due,
		OldDue: fb.Due, State: article23.ExtensionPending, RequestedBy: u.Actor, RequestedAt: workflow.Now(ctx).UTC()}
	s.Case.Extensions = append(s.Case.Extensions, e)
	s.emit(ctx, article23.EventExtensionRequested, u.Actor,
		article23.EventData{ExtensionID: e.ID, OldDue: e.OldDue, NewDue: e.NewDue, Workdays: e.Workdays, Reason: e.Reason},
		tell(article23.AudienceSupervisors, false))
	return nil
}
