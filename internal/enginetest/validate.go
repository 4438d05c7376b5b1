package enginetest

import (
	"strings"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/workflows"
)

// Each update's validator, after the workflow's, check for check.

func (r *run) validateDecide(u workflows.Decide) error {
	return first(
		func() error { return r.checkStaff(u.Actor) },
		r.checkUndecided,
		func() error { return r.checkFits(article23.ActionDecide) },
		func() error {
			if !u.Accept && strings.TrimSpace(u.Reasons) == "" {
				return refuse(workflows.CodeReasonsRequired, "not accepting a request needs the reasons the member will be told")
			}
			return nil
		},
		func() error { return r.checkActDate("notice_served_on", u.NoticeServedOn) },
	)
}

func (r *run) validateRequestSupplement(u workflows.RequestSupplement) error {
	return first(
		func() error { return r.checkStaff(u.Actor) },
		r.checkUndecided,
		func() error {
			switch {
			case !r.c.Policy.AllowSupplement:
				return refuse(workflows.CodeSupplementNotAllowed, "institute %s's policy allows no request for supplementary materials", r.c.Institute)
			case r.c.Supplement != nil:
				return refuse(workflows.CodeSupplementRequested, "supplementary materials were already requested on %s; only one request is allowed", r.c.Supplement.RequestedOn)
			}
			return nil
		},
		func() error { return r.checkFits(article23.ActionRequestSupplement) },
		func() error {
			if d := r.today(); d > r.windowEnds {
				return refuse(workflows.CodeSupplementWindowClosed, "supplements may be requested until %s, today is %s", r.windowEnds, d)
			}
			return nil
		},
		func() error { return required("what", u.What) },
	)
}

func (r *run) validateReceiveSupplement(u workflows.ReceiveSupplement) error {
	return first(
		func() error { return r.checkStaff(u.Actor) },
		r.checkUndecided,
		func() error { return r.checkFits(article23.ActionReceiveSupplement) },
		func() error { return r.checkActDate("received_on", u.ReceivedOn) },
	)
}

func (r *run) validateCommittee(u workflows.RecordCommittee) error {
	return first(
		func() error { return r.checkStaff(u.Actor) },
		func() error { return r.checkFits(article23.ActionRecordCommittee) },
		func() error {
			if len(u.MembersPresent) == 0 {
				return refuse(workflows.CodeInvalidArgument, "members_present is required")
			}
			return required("expert_opinion", u.ExpertOpinion)
		},
		func() error { return r.checkActDate("held_on", u.HeldOn) },
	)
}

func (r *run) validateFeedback(u workflows.RecordFeedback) error {
	return first(
		func() error { return r.checkStaff(u.Actor) },
		func() error {
			if r.c.Stage == article23.StageAccepted {
				return refuse(workflows.CodeCommitteeRequired, "feedback needs the committee's expert opinion first")
			}
			return r.checkFits(article23.ActionRecordFeedback)
		},
		func() error {
			if !u.Manner.Valid() {
				return refuse(workflows.CodeInvalidArgument, "manner must be letter, meeting, phone or email, got %q", u.Manner)
			}
			return required("summary", u.Summary)
		},
		func() error { return r.checkActDate("given_on", u.GivenOn) },
	)
}

func (r *run) validateClose(u workflows.Close) error {
	return first(
		func() error { return r.checkStaff(u.Actor) },
		func() error { return r.checkFits(article23.ActionClose) },
	)
}

func (r *run) validateRequestExtension(u workflows.RequestExtension) error {
	return first(
		func() error { return r.checkStaff(u.Actor) },
		func() error { return r.checkFits(article23.ActionRequestExtension) },
		func() error { return required("reason", u.Reason) },
		func() error {
			if x := r.pendingExtension(); x != nil {
				return refuse(workflows.CodeExtensionPending, "extension %d awaits a supervisor's decision", x.ID)
			}
			return r.checkFeedbackRunning()
		},
		func() error { return r.checkExtensionLength(u) },
	)
}

func (r *run) validateDecideExtension(u workflows.DecideExtension) error {
	return first(
		func() error { return r.checkSupervisor(u.Actor) },
		func() error {
			if u.ExtensionID < 1 || u.ExtensionID > len(r.c.Extensions) {
				return refuse(workflows.CodeNotFound, "case %s has no extension %d", r.c.Number, u.ExtensionID)
			}
			if x := r.c.Extensions[u.ExtensionID-1]; x.State != article23.ExtensionPending {
				return refuse(workflows.CodeExtensionNotPending, "extension %d was already %s", x.ID, x.State)
			}
			return nil
		},
		func() error { return r.checkFits(article23.ActionDecideExtension) },
		func() error {
			if u.Approve {
				return r.checkFeedbackRunning()
			}
			return nil
		},
	)
}

func (r *run) validateWithdraw(u workflows.Withdraw) error {
	return first(
		func() error { return r.checkOwner(u.Actor) },
		func() error { return r.checkFits(article23.ActionWithdraw) },
	)
}

func (r *run) validateReassign(u workflows.Reassign) error {
	return first(
		func() error { return r.checkStaff(u.Actor) },
		func() error { return r.checkFits(article23.ActionReassign) },
		func() error { return required("secretary", u.Secretary) },
	)
}

func (r *run) validateClaim(u workflows.Claim) error {
	return first(
		func() error { return r.checkStaff(u.Actor) },
		func() error {
			if u.Actor.Role != article23.RoleSecretary {
				return refuse(workflows.CodeForbidden, "only a secretary of institute %s may claim its cases", r.c.Institute)
			}
			return nil
		},
		func() error { return r.checkFits(article23.ActionClaim) },
		func() error {
			if r.c.Secretary != "" {
				return refuse(workflows.CodeAlreadyAssigned, "case %s is already assigned to %s", r.c.Number, r.c.Secretary)
			}
			return nil
		},
	)
}

func (r *run) validateRecordAttachments(u workflows.RecordAttachments) error {
	return first(
		func() error {
			if r.checkStaff(u.Actor) != nil && r.checkOwner(u.Actor) != nil {
				return refuse(workflows.CodeForbidden, "only the member who made the request or the staff of institute %s may add materials", r.c.Institute)
			}
			return nil
		},
		func() error { return r.checkFits(article23.ActionRecordAttachments) },
		func() error {
			if len(u.Files) == 0 {
				return refuse(workflows.CodeInvalidArgument, "files is required")
			}
			return nil
		},
	)
}

func (r *run) validateAcknowledge(u workflows.AcknowledgeEscalation) error {
	return first(
		func() error { return r.checkSupervisor(u.Actor) },
		func() error {
			if u.EscalationID < 1 || u.EscalationID > len(r.c.Escalations) {
				return refuse(workflows.CodeNotFound, "case %s has no escalation %d", r.c.Number, u.EscalationID)
			}
			x := r.c.Escalations[u.EscalationID-1]
			switch {
			case x.Level > 1 && u.Actor.Institute != article23.NationalInstitute:
				return refuse(workflows.CodeForbidden, "a level-%d escalation is for %s's supervisors", x.Level, article23.NationalInstitute)
			case x.AcknowledgedBy != nil:
				return refuse(workflows.CodeAlreadyAcknowledged, "escalation %d was acknowledged by %s", x.ID, x.AcknowledgedBy.ID)
			}
			return nil
		},
	)
}
