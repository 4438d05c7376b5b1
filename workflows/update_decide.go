package workflows

import (
	"go.temporal.io/sdk/workflow"

	"github.com/cicpa/weiquan/activities"
	"github.com/cicpa/weiquan/article23"
)

func (s *caseState) validateDecide(ctx workflow.Context, u Decide) error {
	return first(
		func() error { return s.checkStaff(u.Actor) },
		func() error { return s.checkUndecided() },
		func() error { return s.checkFits(article23.ActionDecide) },
		func() error {
			if !u.Accept && isBlank(u.Reasons) {
				return refuse(CodeReasonsRequired, "not accepting a request needs the reasons the member will be told")
			}
			return nil
		},
		func() error { return s.checkActDate(ctx, "notice_served_on", u.NoticeServedOn) },
	)
}

// checkUndecided refuses a second decision, even on a case withdrawn afterwards.
func (s *caseState) checkUndecided() error {
	if s.Case.Decision != nil {
		return refuse(CodeAlreadyDecided, "the request was already decided on %s", s.Case.Decision.DecidedOn)
	}
	return nil
}

// decide records the decision; on acceptance it starts the committee, feedback and cap clocks.
func (s *caseState) decide(ctx workflow.Context, u Decide) error {
	on := u.NoticeServedOn
	used, started, err := s.decisionCalendar(ctx, on, u.Accept)
	if err != nil {
		return err
	}
	s.Case.Decision = &article23.Decision{Accepted: u.Accept, Reasons: u.Reasons, DecidedOn: on, NoticeServedOn: on}
	if !u.Accept {
		s.setStage(article23.StageNotAccepted)
		s.emit(ctx, article23.EventNotAccepted, u.Actor, article23.EventData{Date: on, Reason: u.Reasons}, tell(article23.AudienceMember, false))
		s.meetClock(ctx, article23.ClockDecision, on, used)
		s.finish(ctx, article23.StageNotAccepted)
		return nil
	}
	s.setStage(article23.StageAccepted)
	s.emit(ctx, article23.EventAccepted, u.Actor, article23.EventData{Date: on}, tell(article23.AudienceMember, false))
	s.meetClock(ctx, article23.ClockDecision, on, used)
	for i, n := range acceptedClocks {
		s.startClock(ctx, n, s.Case.Policy.CountFrom, s.countStart(on), started[i])
	}
	return nil
}

// decisionCalendar is how many working days the decision served on on took and, when it
// accepts, the deadlines of the clocks it starts: in one local ActCalendar on
// PathsFewerEvents, else as a count and then the clocks computed in parallel.
func (s *caseState) decisionCalendar(ctx workflow.Context, on string, accept bool) (int, []activities.DeadlineResult, error) {
	dc, _ := s.Case.Clock(article23.ClockDecision)
	if s.fewerEvents {
		req := activities.ActCalendarRequest{Count: activities.CountRequest{From: dc.Start, To: on}}
		if accept {
			req.Deadlines = s.acceptedRequests(s.countStart(on))
		}
		var res activities.ActCalendarResult
		err := workflow.ExecuteLocalActivity(workflow.WithLocalActivityOptions(ctx, localComputeOptions), acts.ActCalendar, req).Get(ctx, &res)
		return res.Count.Workdays, res.Deadlines, err
	}
	used, err := s.countWorkdays(ctx, dc.Start, on)
	if err != nil || !accept {
		return used, nil, err
	}
	started, err := s.recomputeFrom(ctx, s.countStart(on))
	return used, started, err
}

// acceptedRequests asks for the accepted clocks' deadlines counted from start.
func (s *caseState) acceptedRequests(start string) []activities.DeadlineRequest {
	reqs := make([]activities.DeadlineRequest, len(acceptedClocks))
	for i, n := range acceptedClocks {
		reqs[i] = s.deadlineRequest(start, s.Case.Policy.Workdays(n), "")
	}
	return reqs
}

// acceptedClocks start when a request is accepted.
var acceptedClocks = []article23.ClockName{article23.ClockCommittee, article23.ClockFeedback, article23.ClockCap}

// countStart is the day the committee, feedback and cap periods count from under the policy.
func (s *caseState) countStart(decidedOn string) string {
	if s.Case.Policy.CountFrom == article23.CountFromReceipt {
		return s.Case.ReceivedOn
	}
	return decidedOn
}

// recomputeFrom computes the accepted clocks from start, in parallel.
func (s *caseState) recomputeFrom(ctx workflow.Context, start string) ([]activities.DeadlineResult, error) {
	reqs := s.acceptedRequests(start)
	futures := make([]workflow.Future, len(reqs))
	for i, req := range reqs {
		futures[i] = s.computeDeadline(ctx, req)
	}
	results := make([]activities.DeadlineResult, len(futures))
	for i, f := range futures {
		if err := f.Get(ctx, &results[i]); err != nil {
			return nil, err
		}
	}
	return results, nil
}
