package enginetest

import (
	"fmt"
	"strings"

	"go.temporal.io/sdk/temporal"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/calendar"
	"github.com/cicpa/weiquan/workflows"
)

// The workflow's checks, after workflows/validate.go and the update files, in their order.

// refuse is the workflow's refusal: its messages are copied too, as the API reads a refused
// date's field from the message.
func refuse(code, format string, args ...any) error {
	return temporal.NewApplicationErrorWithOptions(fmt.Sprintf(format, args...), code, temporal.ApplicationErrorOptions{NonRetryable: true})
}

func first(checks ...func() error) error {
	for _, c := range checks {
		if err := c(); err != nil {
			return err
		}
	}
	return nil
}

func validDate(d string) bool {
	_, err := calendar.ParseDate(d)
	return err == nil
}

func (r *run) checkActDate(field, d string) error {
	return workflows.CheckDate(field, d, r.today(), r.c.StageSince())
}

func (r *run) checkStaff(a article23.Actor) error {
	if a.ID == "" || (a.Role != article23.RoleSecretary && a.Role != article23.RoleSupervisor) || a.Institute != r.c.Institute {
		return refuse(workflows.CodeForbidden, "only the secretaries and supervisors of institute %s may do this", r.c.Institute)
	}
	return nil
}

func (r *run) checkSupervisor(a article23.Actor) error {
	if a.ID == "" || a.Role != article23.RoleSupervisor || (a.Institute != r.c.Institute && a.Institute != article23.NationalInstitute) {
		return refuse(workflows.CodeForbidden, "only the supervisors of institute %s or of %s may do this", r.c.Institute, article23.NationalInstitute)
	}
	return nil
}

func (r *run) checkOwner(a article23.Actor) error {
	if a.ID == "" || a.Role != article23.RoleMember || a.MemberNo != r.c.Applicant.MemberNo {
		return refuse(workflows.CodeForbidden, "only the member who made the request may do this")
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
	return refuse(workflows.CodeWrongStage, "not possible in stage %s", r.c.Stage)
}

func (r *run) checkUndecided() error {
	if r.c.Decision != nil {
		return refuse(workflows.CodeAlreadyDecided, "the request was already decided on %s", r.c.Decision.DecidedOn)
	}
	return nil
}

func required(field, v string) error {
	if strings.TrimSpace(v) == "" {
		return refuse(workflows.CodeInvalidArgument, "%s is required", field)
	}
	return nil
}

func (r *run) checkFeedbackRunning() error {
	if fb, _ := r.c.Clock(article23.ClockFeedback); fb != nil && fb.State == article23.ClockBreached {
		return refuse(workflows.CodeClockBreached, "the feedback deadline %s has passed; an extension cannot undo a breach", fb.Due)
	}
	return nil
}

func (r *run) checkExtensionLength(u workflows.RequestExtension) error {
	fb, _ := r.c.Clock(article23.ClockFeedback)
	cp, _ := r.c.Clock(article23.ClockCap)
	switch {
	case (u.Until == "") == (u.Workdays == 0) || u.Workdays < 0:
		return refuse(workflows.CodeInvalidArgument, "give either until (a date) or workdays (a positive number)")
	case u.Workdays > cp.Workdays || u.Until > cp.Due:
		return refuse(workflows.CodeBeyondCap, "feedback may be extended to at most %d working days from %s, that is until %s", cp.Workdays, cp.Start, cp.Due)
	case u.Workdays != 0 && u.Workdays <= fb.Workdays:
		return refuse(workflows.CodeExtensionTooShort, "the feedback period is already %d working days", fb.Workdays)
	case u.Until != "" && !validDate(u.Until):
		return refuse(workflows.CodeInvalidDate, "until: %q is not a date (YYYY-MM-DD)", u.Until)
	case u.Until != "" && u.Until <= fb.Due:
		return refuse(workflows.CodeExtensionTooShort, "feedback is already due on %s", fb.Due)
	}
	return nil
}
