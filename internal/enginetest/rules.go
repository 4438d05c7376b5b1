package enginetest

import (
	"strings"

	"go.temporal.io/sdk/temporal"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/calendar"
	"github.com/cicpa/weiquan/workflows"
)

// The workflow's checks, after workflows/validate.go and the update files, in their order.

func refuse(code, msg string) error {
	return temporal.NewApplicationErrorWithOptions(msg, code, temporal.ApplicationErrorOptions{NonRetryable: true})
}

func first(checks ...func() error) error {
	for _, c := range checks {
		if err := c(); err != nil {
			return err
		}
	}
	return nil
}

func validateInput(in workflows.CaseInput, today string) error {
	c := in.Case
	switch {
	case in.Version != workflows.CaseInputVersion:
		return refuse(workflows.CodeInvalidArgument, "case input version")
	case c.Number == "" || c.Institute == "" || c.Applicant.MemberNo == "":
		return refuse(workflows.CodeInvalidArgument, "number, institute and applicant member_no are required")
	case c.Policy.Validate() != nil:
		return refuse(workflows.CodeInvalidArgument, "policy: "+c.Policy.Validate().Error())
	}
	return checkDate(c.ReceivedOn, today, "")
}

func checkDate(d, today, notBefore string) error {
	switch {
	case !validDate(d):
		return refuse(workflows.CodeInvalidDate, d+" is not a date")
	case d > today:
		return refuse(workflows.CodeDateInFuture, d+" is after today ("+today+")")
	case notBefore != "" && d < notBefore:
		return refuse(workflows.CodeDateBeforeStage, d+" is before "+notBefore)
	}
	return nil
}

func validDate(d string) bool {
	_, err := calendar.ParseDate(d)
	return err == nil
}

func (r *run) checkActDate(d string) error { return checkDate(d, r.today(), r.stageSince()) }

func (r *run) stageSince() string {
	c := r.c
	switch {
	case c.Committee != nil:
		return c.Committee.HeldOn
	case c.Decision != nil:
		return c.Decision.DecidedOn
	case c.Supplement != nil && c.Supplement.ReceivedOn != "":
		return c.Supplement.ReceivedOn
	case c.Supplement != nil:
		return c.Supplement.RequestedOn
	}
	return c.ReceivedOn
}

func (r *run) checkStaff(a article23.Actor) error {
	if a.ID == "" || (a.Role != article23.RoleSecretary && a.Role != article23.RoleSupervisor) || a.Institute != r.c.Institute {
		return refuse(workflows.CodeForbidden, "only the institute's staff")
	}
	return nil
}

func (r *run) checkSupervisor(a article23.Actor) error {
	if a.ID == "" || a.Role != article23.RoleSupervisor || (a.Institute != r.c.Institute && a.Institute != article23.NationalInstitute) {
		return refuse(workflows.CodeForbidden, "only supervisors")
	}
	return nil
}

func (r *run) checkOwner(a article23.Actor) error {
	if a.ID == "" || a.Role != article23.RoleMember || a.MemberNo != r.c.Applicant.MemberNo {
		return refuse(workflows.CodeForbidden, "only the applicant")
	}
	return nil
}

// checkFits is the workflow's: article23's table, and a withdrawn case's own code.
func (r *run) checkFits(a article23.Action) error {
	switch {
	case article23.Fits(r.c.Stage, a):
		return nil
	case r.c.Stage == article23.StageWithdrawn:
		return refuse(workflows.CodeWithdrawn, "the member withdrew the case")
	}
	return refuse(workflows.CodeWrongStage, "not possible in stage "+string(r.c.Stage))
}

func (r *run) checkUndecided() error {
	if r.c.Decision != nil {
		return refuse(workflows.CodeAlreadyDecided, "already decided on "+r.c.Decision.DecidedOn)
	}
	return nil
}

func required(field, v string) error {
	if strings.TrimSpace(v) == "" {
		return refuse(workflows.CodeInvalidArgument, field+" is required")
	}
	return nil
}

func (r *run) checkFeedbackRunning() error {
	if fb, _ := r.c.Clock(article23.ClockFeedback); fb != nil && fb.State == article23.ClockBreached {
		return refuse(workflows.CodeClockBreached, "the feedback deadline has passed")
	}
	return nil
}

func (r *run) checkExtensionLength(u workflows.RequestExtension) error {
	fb, _ := r.c.Clock(article23.ClockFeedback)
	cp, _ := r.c.Clock(article23.ClockCap)
	switch {
	case (u.Until == "") == (u.Workdays == 0) || u.Workdays < 0:
		return refuse(workflows.CodeInvalidArgument, "give either until or workdays")
	case u.Workdays > cp.Workdays || u.Until > cp.Due:
		return refuse(workflows.CodeBeyondCap, "beyond the cap")
	case u.Workdays != 0 && u.Workdays <= fb.Workdays:
		return refuse(workflows.CodeExtensionTooShort, "not longer")
	case u.Until != "" && !validDate(u.Until):
		return refuse(workflows.CodeInvalidDate, "until is not a date")
	case u.Until != "" && u.Until <= fb.Due:
		return refuse(workflows.CodeExtensionTooShort, "not later")
	}
	return nil
}
