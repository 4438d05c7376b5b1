package enginetest

import (
	"fmt"

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
			if !u.Accept {
				if required("reasons", u.Reasons) != nil {
					return refuse(workflows.CodeReasonsRequired, "reasons required")
				}
			}
			return nil
		},
		func() error { return r.checkActDate(u.NoticeServedOn) },
	)
}

func (r *run) validateRequestSupplement(u workflows.RequestSupplement) error {
	return first(
		func() error { return r.checkStaff(u.Actor) },
		r.checkUndecided,
		func() error {
			switch {
			case !r.c.Policy.AllowSupplement:
				return refuse(workflows.CodeSupplementNotAllowed, "policy allows no supplement")
			case r.c.Supplement != nil:
				return refuse(workflows.CodeSupplementRequested, "already requested")
			}
			return nil
		},
		func() error { return r.checkFits(article23.ActionRequestSupplement) },
		func() error {
			if r.today() > r.windowEnds {
				return refuse(workflows.CodeSupplementWindowClosed, "supplements may be requested until "+r.windowEnds)
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
		func() error { return r.checkActDate(u.ReceivedOn) },
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
		func() error { return r.checkActDate(u.HeldOn) },
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
				return refuse(workflows.CodeInvalidArgument, fmt.Sprintf("manner %q", u.Manner))
			}
			return required("summary", u.Summary)
		},
		func() error { return r.checkActDate(u.GivenOn) },
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
				return refuse(workflows.CodeExtensionPending, fmt.Sprintf("extension %d is pending", x.ID))
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
				return refuse(workflows.CodeNotFound, fmt.Sprintf("no extension %d", u.ExtensionID))
			}
			if x := r.c.Extensions[u.ExtensionID-1]; x.State != article23.ExtensionPending {
				return refuse(workflows.CodeExtensionNotPending, fmt.Sprintf("extension %d was already %s", x.ID, x.State))
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
				return refuse(workflows.CodeForbidden, "only a secretary may claim")
			}
			return nil
		},
		func() error { return r.checkFits(article23.ActionClaim) },
		func() error {
			if r.c.Secretary != "" {
				return refuse(workflows.CodeAlreadyAssigned, "already assigned to "+r.c.Secretary)
			}
			return nil
		},
	)
}

func (r *run) validateRecordAttachments(u workflows.RecordAttachments) error {
	return first(
		func() error {
			if r.checkStaff(u.Actor) != nil && r.checkOwner(u.Actor) != nil {
				return refuse(workflows.CodeForbidden, "only the applicant or the institute's staff")
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
				return refuse(workflows.CodeNotFound, fmt.Sprintf("no escalation %d", u.EscalationID))
			}
			x := r.c.Escalations[u.EscalationID-1]
			switch {
			case x.Level > 1 && u.Actor.Institute != article23.NationalInstitute:
				return refuse(workflows.CodeForbidden, "a higher level is for CICPA")
			case x.AcknowledgedBy != nil:
				return refuse(workflows.CodeAlreadyAcknowledged, "already acknowledged")
			}
			return nil
		},
	)
}
