package workflows

import (
	"go.temporal.io/sdk/workflow"

	"github.com/cicpa/weiquan/article23"
)

func (s *caseState) validateCommittee(ctx workflow.Context, u RecordCommittee) error {
	return first(
		func() error { return s.checkStaff(u.Actor) },
		func() error { return s.checkFits(article23.ActionRecordCommittee) },
		func() error {
			if len(u.MembersPresent) == 0 {
				return refuse(CodeInvalidArgument, "members_present is required")
			}
			return required("expert_opinion", u.ExpertOpinion)
		},
		func() error { return s.checkActDate(ctx, "held_on", u.HeldOn) },
	)
}

// recordCommittee records the meeting and its expert opinion: the committee clock is met.
func (s *caseState) recordCommittee(ctx workflow.Context, u RecordCommittee) error {
	c, _ := s.Case.Clock(article23.ClockCommittee)
	used, err := s.countWorkdays(ctx, c.Start, u.HeldOn)
	if err != nil {
		return err
	}
	s.Case.Committee = &article23.Committee{HeldOn: u.HeldOn, MembersPresent: u.MembersPresent, ExpertOpinion: u.ExpertOpinion}
	s.setStage(article23.StageCommitteeHeld)
	s.emit(ctx, article23.EventCommitteeHeld, u.Actor, article23.EventData{Date: u.HeldOn})
	s.meetClock(ctx, article23.ClockCommittee, u.HeldOn, used)
	return nil
}

func (s *caseState) validateFeedback(ctx workflow.Context, u RecordFeedback) error {
	return first(
		func() error { return s.checkStaff(u.Actor) },
		func() error {
			if s.Case.Stage == article23.StageAccepted {
				return refuse(CodeCommitteeRequired, "feedback needs the committee's expert opinion first")
			}
			return s.checkFits(article23.ActionRecordFeedback)
		},
		func() error {
			if !u.Manner.Valid() {
				return refuse(CodeInvalidArgument, "manner must be letter, meeting, phone or email, got %q", u.Manner)
			}
			return required("summary", u.Summary)
		},
		func() error { return s.checkActDate(ctx, "given_on", u.GivenOn) },
	)
}

// recordFeedback records the feedback to the member: the feedback and cap clocks are met.
func (s *caseState) recordFeedback(ctx workflow.Context, u RecordFeedback) error {
	c, _ := s.Case.Clock(article23.ClockFeedback)
	used, err := s.countWorkdays(ctx, c.Start, u.GivenOn)
	if err != nil {
		return err
	}
	s.Case.Feedback = &article23.Feedback{GivenOn: u.GivenOn, Manner: u.Manner, Summary: u.Summary}
	s.setStage(article23.StageFeedbackGiven)
	// The member hears of the feedback in writing too (反馈意见书).
	s.emit(ctx, article23.EventFeedbackGiven, u.Actor, article23.EventData{Date: u.GivenOn}, tell(article23.AudienceMember, false))
	s.dropPendingExtension(ctx, "feedback given")
	s.meetClock(ctx, article23.ClockFeedback, u.GivenOn, used)
	s.meetClock(ctx, article23.ClockCap, u.GivenOn, used)
	return nil
}

func (s *caseState) validateClose(ctx workflow.Context, u Close) error {
	return first(
		func() error { return s.checkStaff(u.Actor) },
		func() error { return s.checkFits(article23.ActionClose) },
	)
}

// close closes a case whose member has had feedback.
func (s *caseState) close(ctx workflow.Context, u Close) error {
	s.finish(ctx, article23.StageClosed)
	s.emit(ctx, article23.EventClosed, u.Actor, article23.EventData{})
	return nil
}
