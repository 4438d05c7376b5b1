package api

import (
	"fmt"
	"net/http"
	"slices"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/auth"
	"github.com/cicpa/weiquan/store"
)

// Every authorisation decision of the API is made here. The workflow re-checks the actor of
// each update, so a mistake here can show too much, never let a person act beyond their role.

// permission is what a route asks to do with a case.
type permission string

// Permissions on one case.
const (
	permView      permission = "view"      // read the case, its deadlines, attachments and written notices
	permAttach    permission = "attach"    // add an attachment: the applicant or the institute's staff
	permStaff     permission = "staff"     // the institute's secretaries and supervisors act, record a notice served
	permSupervise permission = "supervise" // the institute's supervisors or CICPA's
	permWithdraw  permission = "withdraw"  // the applicant member
)

// caseRef is what authorisation needs to know about a case.
type caseRef struct {
	Institute string
	MemberNo  string // the applicant's
}

func refOf(c article23.Case) caseRef {
	return caseRef{Institute: c.Institute, MemberNo: c.Applicant.MemberNo}
}

// sees reports whether the caller may know the case exists. A member sees their own cases,
// staff their institute's, CICPA's supervisors every case; an admin manages reference data
// and sees no case.
func sees(cl auth.Claims, c caseRef) bool {
	switch cl.Role {
	case article23.RoleMember:
		return cl.MemberNo != "" && cl.MemberNo == c.MemberNo
	case article23.RoleSecretary:
		return cl.Institute == c.Institute
	case article23.RoleSupervisor:
		return cl.Institute == c.Institute || cl.Institute == article23.NationalInstitute
	}
	return false
}

// allowed reports whether the caller, who sees the case, may do p on it.
func allowed(cl auth.Claims, p permission, c caseRef) bool {
	staff := (cl.Role == article23.RoleSecretary || cl.Role == article23.RoleSupervisor) && cl.Institute == c.Institute
	owner := cl.Role == article23.RoleMember && cl.MemberNo == c.MemberNo
	switch p {
	case permView:
		return true
	case permAttach:
		return owner || staff
	case permStaff:
		return staff
	case permSupervise:
		return cl.Role == article23.RoleSupervisor
	case permWithdraw:
		return owner
	}
	return false
}

// authorize returns nil when the caller may do p on the case; ErrNotFound (404) when the
// caller may not even know it exists, so case numbers cannot be probed; else 403.
func authorize(cl auth.Claims, p permission, c caseRef) error {
	if !sees(cl, c) {
		return store.ErrNotFound
	}
	if !allowed(cl, p, c) {
		return problem(http.StatusForbidden, "forbidden", fmt.Sprintf("a %s may not do this on this case", cl.Role))
	}
	return nil
}

// caseScope restricts a case list to what the caller sees. institute narrows it further
// ("" for no narrowing); a narrowing outside the scope selects nothing.
func caseScope(cl auth.Claims, institute string) store.CaseFilter {
	var f store.CaseFilter
	switch {
	case cl.Role == article23.RoleMember:
		f.ApplicantMemberNo = cl.MemberNo
	case cl.Role == article23.RoleSupervisor && cl.Institute == article23.NationalInstitute:
		// every institute
	case cl.Role == article23.RoleSecretary, cl.Role == article23.RoleSupervisor:
		f.Institutes = []string{cl.Institute}
	default:
		f.Institutes = []string{}
	}
	if institute != "" {
		f.Institutes = narrow(f.Institutes, institute)
	}
	return f
}

// narrow intersects a scope (nil: every institute) with one institute.
func narrow(scope []string, institute string) []string {
	if scope == nil || slices.Contains(scope, institute) {
		return []string{institute}
	}
	return []string{}
}

// instituteScope is the institutes the caller may see figures and escalations of (nil: all).
func instituteScope(cl auth.Claims) []string { return caseScope(cl, "").Institutes }

// authorizeSubmit checks who may open a case: a member for themselves at their own
// institute (received now), a secretary for their institute (paper, any receipt date).
func authorizeSubmit(cl auth.Claims, req createCaseRequest) error {
	switch {
	case cl.Role == article23.RoleMember && req.Institute == cl.Institute && req.Applicant.MemberNo == cl.MemberNo:
		if req.ReceivedOn != "" {
			return invalid([]FieldProblem{fieldProblem("received_on", "only a secretary registering paper materials gives a receipt date")})
		}
		return nil
	case cl.Role == article23.RoleMember:
		return problem(http.StatusForbidden, "forbidden", "a member submits requests for themselves, to their own institute")
	case cl.Role == article23.RoleSecretary && req.Institute == cl.Institute:
		return nil
	}
	return problem(http.StatusForbidden, "forbidden", "only a member or a secretary of the institute opens a case")
}

// inboxOwner is whose in-app notifications the caller reads and marks: their own, by token
// subject, whatever their role. Another person's item is not found, never forbidden.
func inboxOwner(cl auth.Claims) string { return cl.Subject }

// requireRole refuses callers whose role is not among roles.
func requireRole(cl auth.Claims, roles ...article23.Role) error {
	if slices.Contains(roles, cl.Role) {
		return nil
	}
	return problem(http.StatusForbidden, "forbidden", fmt.Sprintf("a %s may not do this", cl.Role))
}
