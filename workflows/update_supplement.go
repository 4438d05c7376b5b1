package workflows

import (
	"go.temporal.io/sdk/workflow"

	"github.com/cicpa/weiquan/activities"
	"github.com/cicpa/weiquan/article23"
)

func (s *caseState) validateRequestSupplement(ctx workflow.Context, u RequestSupplement) error {
	return first(
		func() error { return s.checkStaff(u.Actor) },
		func() error { return s.checkUndecided() },
		func() error {
			switch {
			case !s.Case.Policy.AllowSupplement:
				return refuse(CodeSupplementNotAllowed, "institute %s's policy allows no request for supplementary materials", s.Case.Institute)
			case s.Case.Supplement != nil:
				return refuse(CodeSupplementRequested, "supplementary materials were already requested on %s; only one request is allowed", s.Case.Supplement.RequestedOn)
			}
			return nil
		},
		func() error { return s.checkFits(article23.ActionRequestSupplement) },
		func() error {
			if d := today(ctx); d > s.supplementWindowEnds {
				return refuse(CodeSupplementWindowClosed, "supplements may be requested until %s, today is %s", s.supplementWindowEnds, d)
			}
			return nil
		},
		func() error { return required("what", u.What) },
	)
}

// requestSupplement asks the member for supplementary materials; the decision clock runs on.
func (s *caseState) requestSupplement(ctx workflow.Context, u RequestSupplement) error {
	s.Case.Supplement = &article23.Supplement{What: u.What, RequestedOn: today(ctx), RequestedBy: u.Actor, WindowEnds: s.supplementWindowEnds}
	s.setStage(article23.StageAwaitingSupplement)
	s.emit(ctx, article23.EventSupplementRequested, u.Actor, article23.EventData{Note: u.What}, tell(article23.AudienceMember, false))
	return nil
}

func (s *caseState) validateReceiveSupplement(ctx workflow.Context, u ReceiveSupplement) error {
	return first(
		func() error { return s.checkStaff(u.Actor) },
		func() error { return s.checkUndecided() },
		func() error { return s.checkFits(article23.ActionReceiveSupplement) },
		func() error { return s.checkActDate(ctx, "received_on", u.ReceivedOn) },
	)
}

// receiveSupplement records the supplement and restarts the decision clock from its date.
func (s *caseState) receiveSupplement(ctx workflow.Context, u ReceiveSupplement) error {
	var res activities.DeadlineResult
	req := s.deadlineRequest(u.ReceivedOn, s.Case.Policy.DecisionWorkdays, "")
	if err := s.computeDeadline(ctx, req).Get(ctx, &res); err != nil {
		return err
	}
	sup := *s.Case.Supplement
	sup.ReceivedOn = u.ReceivedOn
	s.Case.Supplement = &sup
	s.setStage(article23.StageReceived)
	s.emit(ctx, article23.EventSupplementReceived, u.Actor, article23.EventData{Date: u.ReceivedOn}, tell(article23.AudienceSecretary, false))
	s.moveClock(ctx, article23.ClockDecision, u.ReceivedOn, res, ReasonSupplement)
	return nil
}
