package api

import (
	"errors"
	"net/http"
	"net/url"
	"slices"

	"github.com/labstack/echo/v4"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/auth"
	"github.com/cicpa/weiquan/store"
	"github.com/cicpa/weiquan/wire"
)

// The staff directory: CICPA's admins manage every institute's staff, an institute's admin
// its own; secretaries and supervisors read their own institute's active staff (to hand a
// case to a colleague), without e-mail addresses.

// staffScope is the institutes whose staff the caller may list (nil: all) and whether they
// may change them.
func staffScope(cl auth.Claims) (institutes []string, manage bool) {
	switch {
	case cl.Role == article23.RoleAdmin && cl.Institute == article23.NationalInstitute:
		return nil, true
	case cl.Role == article23.RoleAdmin:
		return []string{cl.Institute}, true
	case cl.Role == article23.RoleSecretary, cl.Role == article23.RoleSupervisor:
		return []string{cl.Institute}, false
	}
	return []string{}, false
}

// manages reports whether the caller may change the staff of institute.
func manages(cl auth.Claims, institute string) bool {
	scope, manage := staffScope(cl)
	return manage && (scope == nil || (len(scope) == 1 && scope[0] == institute))
}

// handleListStaff lists the staff the caller may see: ?institute= narrows, ?role= and
// ?active=true|false filter.
func (s *Server) handleListStaff(c echo.Context) error {
	cl := claimsOf(c)
	scope, manage := staffScope(cl)
	var fs fields
	f := store.StaffFilter{Institutes: scope, Role: article23.Role(c.QueryParam("role"))}
	if inst := c.QueryParam("institute"); inst != "" {
		f.Institutes = narrow(scope, inst)
	}
	if f.Role != "" && !store.IsStaffRole(f.Role) {
		fs.add("role", "must be secretary, supervisor or admin")
	}
	if v := c.QueryParam("active"); v != "" {
		f.Active = ptrTo(queryBool(c, "active", &fs))
	}
	if !manage {
		f.Active = ptrTo(true)
	}
	if err := fs.err(); err != nil {
		return err
	}
	list, err := s.deps.Store.ListStaff(c.Request().Context(), f)
	if err != nil {
		return err
	}
	out := wire.StaffList{Staff: make([]wire.Staff, len(list))}
	for i, m := range list {
		out.Staff[i] = staffView(m, manage)
	}
	return c.JSON(http.StatusOK, out)
}

// staffView hides what only admins need from colleagues. The conversion holds wire.Staff to
// the store's member: a field added to one and not the other does not compile.
func staffView(sm store.StaffMember, manage bool) wire.Staff {
	m := wire.Staff(sm)
	m.CreatedAt, m.UpdatedAt = sh(m.CreatedAt), sh(m.UpdatedAt)
	m.LastSeenAt = shPtr(m.LastSeenAt)
	if !manage {
		m.Email, m.LastSeenAt = "", nil
	}
	return m
}

// handleAddStaff adds a person before their first sign-in (201), e.g. to assign them cases
// or give them an e-mail address at once.
func (s *Server) handleAddStaff(c echo.Context) error {
	var r wire.StaffRequest
	if err := decodeJSON(c, &r, false); err != nil {
		return err
	}
	cl := claimsOf(c)
	var fs fields
	if r.Institute == "" {
		fs.add("institute", "is required")
	}
	if r.Role == nil {
		fs.add("role", "is required")
	}
	if r.Name == nil {
		fs.add("name", "is required")
	}
	if err := fs.err(); err != nil {
		return err
	}
	if !manages(cl, r.Institute) {
		return problem(http.StatusForbidden, "forbidden", "only an admin of "+r.Institute+" or of CICPA manages its staff")
	}
	m := store.StaffMember{ID: r.ID, Institute: r.Institute, Role: *r.Role, Name: *r.Name, Active: r.Active == nil || *r.Active}
	if r.Email != nil {
		m.Email = *r.Email
	}
	added, err := s.deps.Store.AddStaff(c.Request().Context(), m)
	if err != nil {
		return staffProblem(err)
	}
	c.Response().Header().Set(echo.HeaderLocation, "/api/v1/staff/"+url.PathEscape(added.ID))
	return c.JSON(http.StatusCreated, staffView(added, true))
}

// handleUpdateStaff changes a person's name, e-mail, role or active flag. Admins cannot
// deactivate themselves (nobody would be left to undo it).
func (s *Server) handleUpdateStaff(c echo.Context) error {
	var r wire.StaffRequest
	if err := decodeJSON(c, &r, false); err != nil {
		return err
	}
	cl := claimsOf(c)
	ctx := c.Request().Context()
	id := c.Param("id")
	m, err := s.deps.Store.Staff(ctx, id)
	if err != nil {
		return err
	}
	if !manages(cl, m.Institute) {
		if scope, _ := staffScope(cl); scope != nil && !slices.Contains(scope, m.Institute) {
			return store.ErrNotFound // another institute's people are not the caller's business
		}
		return problem(http.StatusForbidden, "forbidden", "only an admin manages the staff directory")
	}
	var fs fields
	if r.ID != "" && r.ID != id {
		fs.add("id", "cannot be changed")
	}
	if r.Institute != "" && r.Institute != m.Institute {
		fs.add("institute", "cannot be changed: add the person to the other institute instead")
	}
	if r.Active != nil && !*r.Active && id == cl.Subject {
		fs.add("active", "you cannot deactivate yourself")
	}
	if err := fs.err(); err != nil {
		return err
	}
	updated, err := s.deps.Store.UpdateStaff(ctx, id, store.StaffPatch{Name: r.Name, Email: r.Email, Role: r.Role, Active: r.Active})
	if err != nil {
		return staffProblem(err)
	}
	s.forget(id)
	return c.JSON(http.StatusOK, staffView(updated, true))
}

// staffProblem maps the store's refusals of a staff change to problems naming the field.
func staffProblem(err error) error {
	var fe *store.StaffFieldError
	switch {
	case errors.As(err, &fe):
		var fs []FieldProblem
		for _, e := range unjoin(err) {
			if errors.As(e, &fe) {
				fs = append(fs, fieldProblem(fe.Field, fe.Format, fe.Args...))
			}
		}
		return invalid(fs)
	case errors.Is(err, store.ErrExists):
		return problem(http.StatusConflict, "already_exists", "a person with this id is already in the directory")
	}
	return err
}
