package web

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/wire"
)

// The staff directory page: an admin lists the people of the institutes they manage (CICPA's
// admin every institute, with a filter), adds someone before their first sign-in, and
// changes a person's name, e-mail and role or deactivates them. Every change is one call to
// /api/v1/staff, which decides who may do what.

// staffPage is the directory as the page shows it.
type staffPage struct {
	Staff      []wire.Staff
	National   bool   // CICPA's admin: every institute, and a filter
	Institute  string // the filter; "" is every institute in scope
	Institutes []string
	Roles      []article23.Role
	Self       string // the admin's own id: no button to deactivate themselves
	Edit       string // the id whose change was refused, with what was posted and why
	EditForm   url.Values
	EditErrors map[string]string
}

// EditVal is the value an edit form shows: what was posted if this row's edit was refused,
// else the directory's.
func (p staffPage) EditVal(id, field, current string) string {
	if id == p.Edit && p.EditForm.Has(field) {
		return p.EditForm.Get(field)
	}
	return current
}

// EditOpen reports whether row id's edit form was posted and refused: it stays open.
func (p staffPage) EditOpen(id string) bool { return id == p.Edit && p.EditForm.Has("name") }

// EditErr is the error beside field of row id's edit form.
func (p staffPage) EditErr(id, field string) string {
	if id != p.Edit {
		return ""
	}
	return p.EditErrors[field]
}

// Back is the page's address with its filter, where a change comes back to.
func (p staffPage) Back() string {
	if p.Institute == "" {
		return "/admin/staff"
	}
	return "/admin/staff?institute=" + url.QueryEscape(p.Institute)
}

func (c *Console) handleStaff(w http.ResponseWriter, r *http.Request, s *session) {
	c.renderStaff(w, r, s, http.StatusOK, func(*view, *staffPage) {})
}

// renderStaff shows the directory; refused, when a post was refused, puts its problem on
// the view or the page.
func (c *Console) renderStaff(w http.ResponseWriter, r *http.Request, s *session, status int, refused func(*view, *staffPage)) {
	if !s.Is("admin") {
		c.fail(w, r, s, http.StatusForbidden, "problem.forbidden")
		return
	}
	p := staffPage{National: s.National(), Institutes: institutes, Roles: []article23.Role{article23.RoleSecretary,
		article23.RoleSupervisor, article23.RoleAdmin}, Self: s.Subject, EditErrors: map[string]string{}}
	q := url.Values{}
	inst := r.URL.Query().Get("institute")
	if r.Method == http.MethodPost {
		inst = r.PostFormValue("filter")
	}
	if p.National && slices.Contains(institutes, inst) {
		p.Institute = inst
		q.Set("institute", inst)
	}
	var list wire.StaffList
	if err := c.get(r, s, "/api/v1/staff", q, &list); err != nil {
		c.apiFailure(w, r, s, err)
		return
	}
	p.Staff = list.Staff
	v := c.newView(r, s, "staff.title", nil)
	refused(v, &p)
	v.Data = p
	c.render(w, status, "staff", v)
}

// handleAddStaff adds a person to the directory: POST /api/v1/staff.
func (c *Console) handleAddStaff(w http.ResponseWriter, r *http.Request, s *session) {
	f := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	name, role, active := f("name"), article23.Role(f("role")), true
	body := wire.StaffRequest{ID: f("id"), Name: &name, Role: &role, Institute: s.Institute, Active: &active}
	if s.National() {
		body.Institute = f("new_institute")
	}
	if e := f("email"); e != "" {
		body.Email = &e
	}
	res := c.postJSON(r, s, "/api/v1/staff", formNonce(r), body)
	if !res.OK() {
		c.formFailure(w, r, s, res.problem(), func(p *wire.Problem) {
			c.renderStaff(w, r, s, statusOf(p), func(v *view, _ *staffPage) {
				v.Form = r.PostForm
				c.showProblem(v, p, "")
				if msg, ok := v.Errors["institute"]; ok {
					v.Errors["new_institute"] = msg
				}
				if p.Code == "already_exists" {
					v.Errors["id"] = v.T("problem.already_exists")
				}
			})
		})
		return
	}
	redirect(w, r, staffBack(r), "staff_added")
}

// handleUpdateStaff changes a person's name, e-mail and role: PATCH /api/v1/staff/{id}.
func (c *Console) handleUpdateStaff(w http.ResponseWriter, r *http.Request, s *session) {
	f := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	name, email, role := f("name"), f("email"), article23.Role(f("role"))
	c.patchStaff(w, r, s, wire.StaffRequest{Name: &name, Email: &email, Role: &role}, "staff_saved")
}

// handleStaffActive deactivates or reactivates a person.
func (c *Console) handleStaffActive(w http.ResponseWriter, r *http.Request, s *session) {
	active := r.PostFormValue("active") == "true"
	done := "staff_deactivated"
	if active {
		done = "staff_activated"
	}
	c.patchStaff(w, r, s, wire.StaffRequest{Active: &active}, done)
}

func (c *Console) patchStaff(w http.ResponseWriter, r *http.Request, s *session, body wire.StaffRequest, done string) {
	id := r.PathValue("id")
	res := c.sendJSON(r, s, http.MethodPatch, "/api/v1/staff/"+url.PathEscape(id), formNonce(r), body)
	if !res.OK() {
		c.formFailure(w, r, s, res.problem(), func(p *wire.Problem) {
			c.renderStaff(w, r, s, statusOf(p), func(v *view, page *staffPage) {
				page.Edit, page.EditForm = id, r.PostForm
				c.showProblem(v, p, "")
				page.EditErrors, v.Errors = v.Errors, map[string]string{}
			})
		})
		return
	}
	redirect(w, r, staffBack(r), done)
}

// staffBack is the directory with the filter the form was posted from.
func staffBack(r *http.Request) string {
	if inst := r.PostFormValue("filter"); slices.Contains(institutes, inst) {
		return "/admin/staff?institute=" + url.QueryEscape(inst)
	}
	return "/admin/staff"
}
