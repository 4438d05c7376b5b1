package workflows

import (
	"go.temporal.io/sdk/workflow"

	"github.com/cicpa/weiquan/activities"
	"github.com/cicpa/weiquan/article23"
)

func (s *caseState) validateDecideExtension(ctx workflow.Context, u DecideExtension) error {
	return first(
		func() error { return s.checkSupervisor(u.Actor) },
		func() error {
			if u.ExtensionID < 1 || u.ExtensionID > len(s.Case.Extensions) {
				return refuse(CodeNotFound, "case %s has no extension %d", s.Case.Number, u.ExtensionID)
			}
			if e := s.Case.Extensions[u.ExtensionID-1]; e.State != article23.ExtensionPending {
				return refuse(CodeExtensionNotPending, "extension %d was already %s", e.ID, e.State)
			}
			return nil
		},
		func() error { return s.checkFits(article23.ActionDecideExtension) },
		func() error {
			if u.Approve {
				return s.checkFeedbackRunning()
			}
			return nil
		},
	)
}

// decideExtension approves (moving the feedback clock) or refuses a pending extension.
func (s *caseState) decideExtension(ctx workflow.Context, u DecideExtension) error {
	fb, _ := s.Case.Clock(article23.ClockFeedback)
	var res activities.DeadlineResult
	if u.Approve {
		if err := s.computeDeadline(ctx, s.deadlineRequest(fb.Start, s.Case.Extensions[u.ExtensionID-1].Workdays, "")).Get(ctx, &res); err != nil {
			return err
		}
	}
	now := workflow.Now(ctx).UTC()
	e := &s.Case.Extensions[u.ExtensionID-1]
	e.DecidedBy, e.DecidedAt, e.Note = &u.Actor, &now, u.Note
	data := article23.EventData{ExtensionID: e.ID, Note: u.Note}
	if !u.Approve {
		e.State = article23.ExtensionRefused
		s.emit(ctx, article23.EventExtensionRefused, u.Actor, data, tell(article23.AudienceSecretary, false))
		return nil
	}
	e.State, e.OldDue, e.NewDue = article23.ExtensionApproved, fb.Due, res.Due
	data.OldDue, data.NewDue = fb.Due, res.Due
	// The member is told of the new date and its reason (延期通知书).
	s.emit(ctx, article23.EventExtensionApproved, u.Actor, data, tell(article23.AudienceSecretary, false), tell(article23.AudienceMember, false))
	s.moveClock(ctx, article23.ClockFeedback, fb.Start, res, ReasonExtension)
	return nil
}

// dropPendingExtension refuses, as the system, an extension made moot by the case moving on.
func (s *caseState) dropPendingExtension(ctx workflow.Context, why string) {
	e := s.pendingExtension()
	if e == nil {
		return
	}
	now := workflow.Now(ctx).UTC()
	e.State, e.DecidedBy, e.DecidedAt, e.Note = article23.ExtensionRefused, &article23.SystemActor, &now, why
	s.emit(ctx, article23.EventExtensionRefused, article23.SystemActor, article23.EventData{ExtensionID: e.ID, Note: why})
}
