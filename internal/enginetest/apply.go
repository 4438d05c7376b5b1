package enginetest

import (
	"github.com/cicpa/weiquan/activities"
	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/workflows"
)

// Each update's effect, after the workflow's: the same state, events, audiences, in order.

var acceptedClocks = []article23.ClockName{article23.ClockCommittee, article23.ClockFeedback, article23.ClockCap}

func (r *run) countStart(decidedOn string) string {
	if r.c.Policy.CountFrom == article23.CountFromReceipt {
		return r.c.ReceivedOn
	}
	return decidedOn
}

func (r *run) decide(u workflows.Decide) error {
	on := u.NoticeServedOn
	dc, _ := r.c.Clock(article23.ClockDecision)
	used, err := r.count(dc.Start, on)
	if err != nil {
		return err
	}
	var started []activities.DeadlineResult
	for _, n := range acceptedClocks {
		if !u.Accept {
			break
		}
		res, err := r.compute(r.request(r.countStart(on), r.c.Policy.Workdays(n), ""))
		if err != nil {
			return err
		}
		started = append(started, res)
	}
	r.c.Decision = &article23.Decision{Accepted: u.Accept, Reasons: u.Reasons, DecidedOn: on, NoticeServedOn: on}
	if !u.Accept {
		r.c.Stage = article23.StageNotAccepted
		r.emit(article23.EventNotAccepted, u.Actor, article23.EventData{Date: on, Reason: u.Reasons}, article23.AudienceMember)
		r.meetClock(article23.ClockDecision, on, used)
		r.finish(article23.StageNotAccepted)
		return nil
	}
	r.c.Stage = article23.StageAccepted
	r.emit(article23.EventAccepted, u.Actor, article23.EventData{Date: on}, article23.AudienceMember)
	r.meetClock(article23.ClockDecision, on, used)
	for i, n := range acceptedClocks {
		r.startClock(n, r.c.Policy.CountFrom, r.countStart(on), started[i])
	}
	return nil
}

func (r *run) requestSupplement(u workflows.RequestSupplement) error {
	r.c.Supplement = &article23.Supplement{What: u.What, RequestedOn: r.today(), RequestedBy: u.Actor, WindowEnds: r.windowEnds}
	r.c.Stage = article23.StageAwaitingSupplement
	r.emit(article23.EventSupplementRequested, u.Actor, article23.EventData{Note: u.What}, article23.AudienceMember)
	return nil
}

func (r *run) receiveSupplement(u workflows.ReceiveSupplement) error {
	res, err := r.compute(r.request(u.ReceivedOn, r.c.Policy.DecisionWorkdays, ""))
	if err != nil {
		return err
	}
	sup := *r.c.Supplement
	sup.ReceivedOn = u.ReceivedOn
	r.c.Supplement = &sup
	r.c.Stage = article23.StageReceived
	r.emit(article23.EventSupplementReceived, u.Actor, article23.EventData{Date: u.ReceivedOn}, article23.AudienceSecretary)
	r.moveClock(article23.ClockDecision, u.ReceivedOn, res, workflows.ReasonSupplement)
	return nil
}

func (r *run) recordCommittee(u workflows.RecordCommittee) error {
	k, _ := r.c.Clock(article23.ClockCommittee)
	used, err := r.count(k.Start, u.HeldOn)
	if err != nil {
		return err
	}
	r.c.Committee = &article23.Committee{HeldOn: u.HeldOn, MembersPresent: u.MembersPresent, ExpertOpinion: u.ExpertOpinion}
	r.c.Stage = article23.StageCommitteeHeld
	r.emit(article23.EventCommitteeHeld, u.Actor, article23.EventData{Date: u.HeldOn})
	r.meetClock(article23.ClockCommittee, u.HeldOn, used)
	return nil
}

func (r *run) recordFeedback(u workflows.RecordFeedback) error {
	k, _ := r.c.Clock(article23.ClockFeedback)
	used, err := r.count(k.Start, u.GivenOn)
	if err != nil {
		return err
	}
	r.c.Feedback = &article23.Feedback{GivenOn: u.GivenOn, Manner: u.Manner, Summary: u.Summary}
	r.c.Stage = article23.StageFeedbackGiven
	r.emit(article23.EventFeedbackGiven, u.Actor, article23.EventData{Date: u.GivenOn}, article23.AudienceMember)
	r.dropPendingExtension("feedback given")
	r.meetClock(article23.ClockFeedback, u.GivenOn, used)
	r.meetClock(article23.ClockCap, u.GivenOn, used)
	return nil
}

func (r *run) requestExtension(u workflows.RequestExtension) error {
	fb, _ := r.c.Clock(article23.ClockFeedback)
	res, err := r.compute(r.request(fb.Start, u.Workdays, u.Until))
	if err != nil {
		return err
	}
	if res.Workdays <= fb.Workdays {
		return refuse(workflows.CodeExtensionTooShort, "no working day between %s and %s", fb.Due, u.Until)
	}
	x := article23.Extension{ID: len(r.c.Extensions) + 1, Reason: u.Reason, Workdays: res.Workdays, NewDue: res.Due,
		OldDue: fb.Due, State: article23.ExtensionPending, RequestedBy: u.Actor, RequestedAt: r.now.UTC()}
	r.c.Extensions = append(r.c.Extensions, x)
	r.emit(article23.EventExtensionRequested, u.Actor,
		article23.EventData{ExtensionID: x.ID, OldDue: x.OldDue, NewDue: x.NewDue, Workdays: x.Workdays, Reason: x.Reason},
		article23.AudienceSupervisors)
	return nil
}

func (r *run) decideExtension(u workflows.DecideExtension) error {
	fb, _ := r.c.Clock(article23.ClockFeedback)
	var res activities.DeadlineResult
	if u.Approve {
		var err error
		if res, err = r.compute(r.request(fb.Start, r.c.Extensions[u.ExtensionID-1].Workdays, "")); err != nil {
			return err
		}
	}
	now := r.now.UTC()
	x := &r.c.Extensions[u.ExtensionID-1]
	x.DecidedBy, x.DecidedAt, x.Note = &u.Actor, &now, u.Note
	d := article23.EventData{ExtensionID: x.ID, Note: u.Note}
	if !u.Approve {
		x.State = article23.ExtensionRefused
		r.emit(article23.EventExtensionRefused, u.Actor, d, article23.AudienceSecretary)
		return nil
	}
	x.State, x.OldDue, x.NewDue = article23.ExtensionApproved, fb.Due, res.Due
	d.OldDue, d.NewDue = fb.Due, res.Due
	r.emit(article23.EventExtensionApproved, u.Actor, d, article23.AudienceSecretary, article23.AudienceMember)
	r.moveClock(article23.ClockFeedback, fb.Start, res, workflows.ReasonExtension)
	return nil
}

func (r *run) withdraw(u workflows.Withdraw) error {
	r.dropPendingExtension("withdrawn")
	r.finish(article23.StageWithdrawn)
	r.emit(article23.EventWithdrawn, u.Actor, article23.EventData{Reason: u.Reason}, article23.AudienceSecretary)
	return nil
}

func (r *run) reassign(u workflows.Reassign) error {
	prev := r.c.Secretary
	r.c.Secretary = u.Secretary
	r.emit(article23.EventReassigned, u.Actor, article23.EventData{Secretary: u.Secretary, Name: u.Name, Previous: prev},
		article23.AudienceSecretary)
	return nil
}

func (r *run) claim(u workflows.Claim) error {
	r.c.Secretary = u.Actor.ID
	r.emit(article23.EventClaimed, u.Actor, article23.EventData{Secretary: u.Actor.ID, Name: u.Actor.Name})
	return nil
}

func (r *run) acknowledge(u workflows.AcknowledgeEscalation) error {
	now := r.now.UTC()
	x := &r.c.Escalations[u.EscalationID-1]
	x.AcknowledgedBy, x.AcknowledgedAt = &u.Actor, &now
	r.emit(article23.EventEscalationAcknowledged, u.Actor, article23.EventData{EscalationID: x.ID, Clock: x.Clock, Level: x.Level})
	return nil
}
