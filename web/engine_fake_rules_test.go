package web

import (
	"slices"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/calendar"
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

func date(d, today, notBefore string) error {
	switch {
	case d > today:
		return refuse(workflows.CodeDateInFuture, "%s is after today (%s)", d, today)
	case d < notBefore:
		return refuse(workflows.CodeDateBeforeStage, "%s is before %s", d, notBefore)
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
	cp, _ := c.Clock(article23.ClockCap)
	if u.Workdays > cp.Workdays || (u.Until != "" && u.Until > cp.Due) {
		return refuse(workflows.CodeBeyondCap, "at most %d working days, until %s", cp.Workdays, cp.Due)
	}
	if u.Until != "" && u.Until <= fb.Due || u.Workdays != 0 && u.Workdays <= fb.Workdays {
		return refuse(workflows.CodeExtensionTooShort, "feedback is already due on %s", fb.Due)
	}
	n := u.Workdays
	if u.Until != "" { // the working days from the feedback start to until
		start, _ := calendar.ParseDate(fb.Start)
		until, _ := calendar.ParseDate(u.Until)
		cnt, err := e.cal().WorkdaysBetween(start, until)
		if err != nil {
			return refuse(workflows.CodeInvalidDate, "%v", err)
		}
		n = cnt.Workdays
	}
	k := e.clock(article23.ClockFeedback, fb.CountFrom, fb.Start, n)
	c.Extensions = append(c.Extensions, article23.Extension{ID: len(c.Extensions) + 1, Reason: u.Reason, Workdays: n,
		OldDue: fb.Due, NewDue: k.Due, State: article23.ExtensionPending, RequestedBy: u.Actor, RequestedAt: e.now().UTC()})
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
	now := e.now().UTC()
	x.State, x.DecidedBy, x.DecidedAt, x.Note = article23.ExtensionRefused, &u.Actor, &now, u.Note
	if u.Approve { // the feedback clock moves to the new due date, from the same start
		fb, _ := c.Clock(article23.ClockFeedback)
		x.State, x.OldDue = article23.ExtensionApproved, fb.Due
		*fb = e.clock(article23.ClockFeedback, fb.CountFrom, fb.Start, x.Workdays)
		x.NewDue = fb.Due
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

// claimer: only a secretary claims a case (workflows' validateClaim).
func claimer(c *article23.Case, a article23.Actor) error {
	if a.Role != article23.RoleSecretary {
		return refuse(workflows.CodeForbidden, "only a secretary of institute %s may claim its cases", c.Institute)
	}
	return nil
}

func unassigned(c *article23.Case) error {
	if c.Secretary != "" {
		return refuse(workflows.CodeAlreadyAssigned, "case %s is already assigned to %s", c.Number, c.Secretary)
	}
	return nil
}

// handsData is what the workflow logs with a change of hands, and whom it tells: a
// reassignment names the new assignee and the previous one and tells the new one; a claim
// names the claimer and tells nobody.
func handsData(arg any, previous string) (article23.EventData, []article23.Audience) {
	switch u := arg.(type) {
	case workflows.Reassign:
		return article23.EventData{Secretary: u.Secretary, Name: u.Name, Previous: previous}, []article23.Audience{article23.AudienceSecretary}
	case workflows.Claim:
		return article23.EventData{Secretary: u.Actor.ID, Name: u.Actor.Name}, nil
	}
	return actData(arg)
}

// actData is the data and audiences the workflow records with an act, so pages and messages
// show what it said.
func actData(arg any) (article23.EventData, []article23.Audience) {
	member := []article23.Audience{article23.AudienceMember}
	switch u := arg.(type) {
	case workflows.Decide:
		return article23.EventData{Date: u.NoticeServedOn, Reason: u.Reasons}, member
	case workflows.RequestSupplement:
		return article23.EventData{Note: u.What}, member
	case workflows.RecordCommittee:
		return article23.EventData{Date: u.HeldOn}, member
	case workflows.RecordFeedback:
		return article23.EventData{Date: u.GivenOn}, member
	case workflows.RequestExtension:
		return article23.EventData{Reason: u.Reason, NewDue: u.Until, Workdays: u.Workdays}, nil
	case workflows.Withdraw:
		return article23.EventData{Reason: u.Reason}, []article23.Audience{article23.AudienceSecretary}
	case workflows.RecordAttachments:
		return article23.EventData{Attachments: u.Files}, nil
	}
	return article23.EventData{}, nil
}
