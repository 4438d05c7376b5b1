package workflows

import (
	"go.temporal.io/sdk/workflow"

	"github.com/cicpa/weiquan/article23"
)

func (s *caseState) validateWithdraw(ctx workflow.Context, u Withdraw) error {
	return first(
		func() error { return s.checkOwner(u.Actor) },
		func() error {
			return s.checkFits(article23.ActionWithdraw)
		},
	)
}

// withdraw ends the case at the member's request: every running clock is cancelled.
func (s *caseState) withdraw(ctx workflow.Context, u Withdraw) error {
	s.dropPendingExtension(ctx, "withdrawn")
	s.finish(ctx, article23.StageWithdrawn)
	s.emit(ctx, article23.EventWithdrawn, u.Actor, article23.EventData{Reason: u.Reason}, tell(article23.AudienceSecretary, false))
	return nil
}

func (s *caseState) validateReassign(ctx workflow.Context, u Reassign) error {
	return first(
		func() error { return s.checkStaff(u.Actor) },
		func() error { return s.checkFits(article23.ActionReassign) },
		func() error { return required("secretary", u.Secretary) },
	)
}

// reassign hands the case to another secretary of the institute, who is told.
func (s *caseState) reassign(ctx workflow.Context, u Reassign) error {
	prev := s.Case.Secretary
	s.Case.Secretary = u.Secretary
	s.emit(ctx, article23.EventReassigned, u.Actor, article23.EventData{Secretary: u.Secretary, Name: u.Name, Previous: prev},
		tell(article23.AudienceSecretary, false))
	return nil
}

func (s *caseState) validateClaim(ctx workflow.Context, u Claim) error {
	return first(
		func() error { return s.checkStaff(u.Actor) },
		func() error {
			if u.Actor.Role != article23.RoleSecretary {
				return refuse(CodeForbidden, "only a secretary of institute %s may claim its cases", s.Case.Institute)
			}
			return nil
		},
		func() error { return s.checkFits(article23.ActionClaim) },
		func() error {
			if s.Case.Secretary != "" {
				return refuse(CodeAlreadyAssigned, "case %s is already assigned to %s", s.Case.Number, s.Case.Secretary)
			}
			return nil
		},
	)
}

// claim makes the calling secretary the case's assignee; nobody else needs telling.
func (s *caseState) claim(ctx workflow.Context, u Claim) error {
	s.Case.Secretary = u.Actor.ID
	s.emit(ctx, article23.EventClaimed, u.Actor, article23.EventData{Secretary: u.Actor.ID, Name: u.Actor.Name})
	return nil
}

func (s *caseState) validateAcknowledge(ctx workflow.Context, u AcknowledgeEscalation) error {
	return first(
		func() error { return s.checkSupervisor(u.Actor) },
		func() error {
			if u.EscalationID < 1 || u.EscalationID > len(s.Case.Escalations) {
				return refuse(CodeNotFound, "case %s has no escalation %d", s.Case.Number, u.EscalationID)
			}
			e := s.Case.Escalations[u.EscalationID-1]
			if e.Level > 1 && u.Actor.Institute != article23.NationalInstitute {
				return refuse(CodeForbidden, "a level-%d escalation is for %s's supervisors", e.Level, article23.NationalInstitute)
			}
			if e.AcknowledgedBy != nil {
				return refuse(CodeAlreadyAcknowledged, "escalation %d was acknowledged by %s", e.ID, e.AcknowledgedBy.ID)
			}
			return nil
		},
	)
}

// acknowledge records that a supervisor has seen an escalation.
func (s *caseState) acknowledge(ctx workflow.Context, u AcknowledgeEscalation) error {
	now := workflow.Now(ctx).UTC()
	e := &s.Case.Escalations[u.EscalationID-1]
	e.AcknowledgedBy, e.AcknowledgedAt = &u.Actor, &now
	s.emit(ctx, article23.EventEscalationAcknowledged, u.Actor, article23.EventData{EscalationID: e.ID, Clock: e.Clock, Level: e.Level})
	return nil
}
