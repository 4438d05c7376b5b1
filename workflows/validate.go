package workflows

import (
	"strings"

	"go.temporal.io/sdk/workflow"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/calendar"
)

// CheckDate checks that d is a real YYYY-MM-DD date, not after today (Asia/Shanghai) and
// not before notBefore (the day the current stage began; "" for no bound).
func CheckDate(field, d, today, notBefore string) error {
	if _, err := calendar.ParseDate(d); err != nil {
		return refuse(CodeInvalidDate, "%s: %q is not a date (YYYY-MM-DD)", field, d)
	}
	if d > today {
		return refuse(CodeDateInFuture, "%s: %s is after today (%s, Asia/Shanghai)", field, d, today)
	}
	if notBefore != "" && d < notBefore {
		return refuse(CodeDateBeforeStage, "%s: %s is before %s, when the case's current stage began", field, d, notBefore)
	}
	return nil
}

// checkActDate is CheckDate against the workflow's today and the start of the current stage.
func (s *caseState) checkActDate(ctx workflow.Context, field, d string) error {
	return CheckDate(field, d, today(ctx), s.Case.StageSince())
}

// checkStaff allows the secretaries and supervisors of the case's institute.
func (s *caseState) checkStaff(a article23.Actor) error {
	if a.ID == "" || (a.Role != article23.RoleSecretary && a.Role != article23.RoleSupervisor) || a.Institute != s.Case.Institute {
		return refuse(CodeForbidden, "only the secretaries and supervisors of institute %s may do this", s.Case.Institute)
	}
	return nil
}

// checkSupervisor allows the supervisors of the case's institute and CICPA's.
func (s *caseState) checkSupervisor(a article23.Actor) error {
	if a.ID == "" || a.Role != article23.RoleSupervisor || (a.Institute != s.Case.Institute && a.Institute != article23.NationalInstitute) {
		return refuse(CodeForbidden, "only the supervisors of institute %s or of %s may do this", s.Case.Institute, article23.NationalInstitute)
	}
	return nil
}

// checkOwner allows only the member who made the request.
func (s *caseState) checkOwner(a article23.Actor) error {
	if a.ID == "" || a.Role != article23.RoleMember || a.MemberNo != s.Case.Applicant.MemberNo {
		return refuse(CodeForbidden, "only the member who made the request may do this")
	}
	return nil
}

// checkFits refuses unless action a fits the case's stage (article23's stage × action
// table); a withdrawn case has its own code.
func (s *caseState) checkFits(a article23.Action) error {
	if article23.Fits(s.Case.Stage, a) {
		return nil
	}
	if s.Case.Stage == article23.StageWithdrawn {
		return refuse(CodeWithdrawn, "the member withdrew the case")
	}
	return refuse(CodeWrongStage, "not possible in stage %s", s.Case.Stage)
}

// required refuses an empty (or blank) field.
func required(field, v string) error {
	if isBlank(v) {
		return refuse(CodeInvalidArgument, "%s is required", field)
	}
	return nil
}

// first returns the first error of checks, run in order.
func first(checks ...func() error) error {
	for _, c := range checks {
		if err := c(); err != nil {
			return err
		}
	}
	return nil
}

// isBlank reports whether v holds nothing but white space.
func isBlank(v string) bool { return strings.TrimSpace(v) == "" }
