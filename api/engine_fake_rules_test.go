package api

import (
	"slices"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/workflows"
)

// The fake engine's rules, after workflows/validate.go. Arguments are evaluated eagerly on a
// copy of the case, which is kept only when no check failed.

func first(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func set[T any](p *T, v T) error { *p = v; return nil }

func staff(c *article23.Case, a article23.Actor) error {
	if (a.Role != article23.RoleSecretary && a.Role != article23.RoleSupervisor) || a.Institute != c.Institute {
		return refuse(workflows.CodeForbidden, "only the institute's staff")
	}
	return nil
}

func supervisor(c *article23.Case, a article23.Actor) error {
	if a.Role != article23.RoleSupervisor || (a.Institute != c.Institute && a.Institute != article23.NationalInstitute) {
		return refuse(workflows.CodeForbidden, "only supervisors")
	}
	return nil
}

func undecided(c *article23.Case) error {
	if c.Decision != nil {
		return refuse(workflows.CodeAlreadyDecided, "already decided on %s", c.Decision.DecidedOn)
	}
	return nil
}

func stage(c *article23.Case, stages ...article23.Stage) error {
	switch {
	case slices.Contains(stages, c.Stage):
		return nil
	case c.Stage == article23.StageWithdrawn:
		return refuse(workflows.CodeWithdrawn, "the member withdrew the case")
	}
	return refuse(workflows.CodeWrongStage, "not possible in stage %s", c.Stage)
}

func reasons(u workflows.Decide) error {
	if !u.Accept && u.Reasons == "" {
		return refuse(workflows.CodeReasonsRequired, "reasons required")
	}
	return nil
}

func date(field, d, today, notBefore string) error {
	switch {
	case d > today:
		return refuse(workflows.CodeDateInFuture, "%s: %s is after today (%s)", field, d, today)
	case d < notBefore:
		return refuse(workflows.CodeDateBeforeStage, "%s: %s is before %s", field, d, notBefore)
	}
	return nil
}

func since(c *article23.Case) string {
	switch {
	case c.Committee != nil:
		return c.Committee.HeldOn
	case c.Decision != nil:
		return c.Decision.DecidedOn
	}
	return c.ReceivedOn
}

func (e *fakeEngine) decide(c *article23.Case, u workflows.Decide) {
	on := u.NoticeServedOn
	c.Decision = &article23.Decision{Accepted: u.Accept, Reasons: u.Reasons, DecidedOn: on, NoticeServedOn: on}
	c.Clocks[0].State, c.Clocks[0].MetOn = article23.ClockMet, on
	if !u.Accept {
		c.Stage = article23.StageNotAccepted
		return
	}
	c.Stage = article23.StageAccepted
	for _, n := range []article23.ClockName{article23.ClockCommittee, article23.ClockFeedback, article23.ClockCap} {
		c.Clocks = append(c.Clocks, e.clock(n, article23.CountFromDecision, on, c.Policy.Workdays(n)))
	}
}

func (e *fakeEngine) meet(c *article23.Case, n article23.ClockName, on string, next article23.Stage) error {
	k, ok := c.Clock(n)
	if !ok {
		return refuse(workflows.CodeWrongStage, "no %s clock", n)
	}
	k.State, k.MetOn, c.Stage = article23.ClockMet, on, next
	if n == article23.ClockCommittee {
		c.Committee = &article23.Committee{HeldOn: on}
	}
	return nil
}

func (e *fakeEngine) extend(c *article23.Case, u workflows.RequestExtension) error {
	fb, ok := c.Clock(article23.ClockFeedback)
	if !ok {
		return refuse(workflows.CodeWrongStage, "no feedback clock")
	}
	for _, x := range c.Extensions {
		if x.State == article23.ExtensionPending {
			return refuse(workflows.CodeExtensionPending, "extension %d is pending", x.ID)
		}
	}
	if u.Workdays > c.Policy.CapWorkdays {
		return refuse(workflows.CodeBeyondCap, "at most %d working days", c.Policy.CapWorkdays)
	}
	if u.Workdays != 0 && u.Workdays <= fb.Workdays {
		return refuse(workflows.CodeExtensionTooShort, "already %d working days", fb.Workdays)
	}
	c.Extensions = append(c.Extensions, article23.Extension{ID: len(c.Extensions) + 1, Reason: u.Reason, Workdays: u.Workdays,
		OldDue: fb.Due, State: article23.ExtensionPending, RequestedBy: u.Actor, RequestedAt: e.now().UTC()})
	return nil
}

func (e *fakeEngine) decideExtension(c *article23.Case, u workflows.DecideExtension) error {
	if u.ExtensionID < 1 || u.ExtensionID > len(c.Extensions) {
		return refuse(workflows.CodeNotFound, "no extension %d", u.ExtensionID)
	}
	x := &c.Extensions[u.ExtensionID-1]
	if x.State != article23.ExtensionPending {
		return refuse(workflows.CodeExtensionNotPending, "extension %d was already %s", x.ID, x.State)
	}
	x.State = article23.ExtensionRefused
	if u.Approve {
		x.State = article23.ExtensionApproved
	}
	return nil
}

func (e *fakeEngine) acknowledge(c *article23.Case, u workflows.AcknowledgeEscalation) error {
	if u.EscalationID < 1 || u.EscalationID > len(c.Escalations) {
		return refuse(workflows.CodeNotFound, "no escalation %d", u.EscalationID)
	}
	x := &c.Escalations[u.EscalationID-1]
	if x.Level > 1 && u.Actor.Institute != article23.NationalInstitute {
		return refuse(workflows.CodeForbidden, "level %d is for CICPA", x.Level)
	}
	if x.AcknowledgedBy != nil {
		return refuse(workflows.CodeAlreadyAcknowledged, "already acknowledged")
	}
	now := e.now().UTC()
	x.AcknowledgedBy, x.AcknowledgedAt = &u.Actor, &now
	return nil
}
