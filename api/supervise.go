package api

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/auth"
	"github.com/cicpa/weiquan/calendar"
	"github.com/cicpa/weiquan/store"
	"github.com/cicpa/weiquan/wire"
)

// taskFilter is what waits on a secretary or supervisor: every open case of the secretary's
// institute (only theirs with mine, only the queue with unassigned); every open case with a
// breached clock in the supervisor's scope, whether or not another clock still runs.
func taskFilter(cl auth.Claims, mine, unassigned bool) store.TaskFilter {
	f := store.TaskFilter{Institutes: instituteScope(cl)}
	switch cl.Role {
	case article23.RoleSecretary:
		f.Unassigned = unassigned
		if mine {
			f.Secretary = cl.Subject
		}
	case article23.RoleSupervisor:
		f.Breached = true
	}
	return f
}

func ptrTo[T any](v T) *T { return &v }

// handleTasks returns the caller's inbox.
func (s *Server) handleTasks(c echo.Context) error {
	cl := claimsOf(c)
	var fs fields
	mine, unassigned := queryBool(c, "mine", &fs), queryBool(c, "unassigned", &fs)
	if mine && unassigned {
		fs.add("unassigned", "cannot be combined with mine")
	}
	cursor := c.QueryParam("cursor")
	limit, _ := queryInt(c, "limit", 1, 500, &fs)
	if cursor != "" && !validCursor(cursor) {
		fs.add("cursor", "not a cursor this API returned")
	}
	if err := fs.err(); err != nil {
		return err
	}
	ctx := c.Request().Context()
	var out wire.Tasks
	var err error
	switch cl.Role {
	case article23.RoleSecretary, article23.RoleSupervisor:
		f := taskFilter(cl, mine, unassigned)
		f.Cursor, f.Limit = cursor, limit
		out, err = s.caseTasks(ctx, f)
	case article23.RoleMember:
		out, err = s.memberTasks(ctx, cl, cursor, limit)
	default:
		out = wire.Tasks{Cases: []wire.Task{}}
	}
	if err != nil {
		return err
	}
	if cl.Role == article23.RoleSupervisor && cursor == "" {
		if err := s.supervisorTasks(c, cl, &out); err != nil {
			return err
		}
	}
	return c.JSON(http.StatusOK, out)
}

// caseTasks is one page of staff tasks, each with its working days left or overdue and its
// assignee's name.
func (s *Server) caseTasks(ctx context.Context, f store.TaskFilter) (wire.Tasks, error) {
	page, err := s.deps.Store.ListTasks(ctx, f)
	if err != nil {
		return wire.Tasks{}, err
	}
	ids := make([]string, 0, len(page.Tasks))
	for _, t := range page.Tasks {
		ids = append(ids, t.Secretary)
	}
	names := s.staffNames(ctx, ids)
	cal, now := s.calendar(), s.deps.Now()
	out := wire.Tasks{Cases: make([]wire.Task, 0, len(page.Tasks)), Next: page.Next}
	for _, t := range page.Tasks {
		it := wire.Task{Summary: newSummary(t.CaseSummary), Clock: t.Clock, Due: t.Due,
			DeadlineAt: shPtr(t.DeadlineAt), Overdue: t.Overdue}
		if t.Secretary != "" {
			it.Assignee = &wire.Person{ID: t.Secretary, Name: orID(names[t.Secretary], t.Secretary)}
		}
		if due, err := calendar.ParseDate(t.Due); err == nil && cal != nil {
			if n, err := cal.Remaining(now, due); err == nil {
				if n.Overdue {
					it.OverdueWorkdays = ptrTo(-n.Workdays)
				} else {
					it.RemainingWorkdays = ptrTo(n.Workdays)
				}
			}
		}
		out.Cases = append(out.Cases, it)
	}
	return out, nil
}

// memberTasks are the member's cases awaiting their supplementary materials.
func (s *Server) memberTasks(ctx context.Context, cl auth.Claims, cursor string, limit int) (wire.Tasks, error) {
	f := caseScope(cl, "")
	f.Stage, f.Cursor, f.Limit = article23.StageAwaitingSupplement, cursor, limit
	page, err := s.deps.Store.ListCases(ctx, f)
	if err != nil {
		return wire.Tasks{}, err
	}
	out := wire.Tasks{Cases: make([]wire.Task, 0, len(page.Cases)), Next: page.Next}
	for _, sum := range newSummaries(page.Cases) {
		out.Cases = append(out.Cases, wire.Task{Summary: sum})
	}
	return out, nil
}

// supervisorTasks adds the extension requests and escalations waiting on a supervisor.
func (s *Server) supervisorTasks(c echo.Context, cl auth.Claims, out *wire.Tasks) error {
	exts, err := s.deps.Store.PendingExtensions(c.Request().Context(), instituteScope(cl))
	if err != nil {
		return err
	}
	for _, e := range exts {
		e.Extension.RequestedAt = sh(e.Extension.RequestedAt)
		out.Extensions = append(out.Extensions, wire.ExtensionTask{Case: newSummary(e.Case), Extension: e.Extension})
	}
	out.Escalations, err = s.openEscalations(c, cl)
	return err
}

// handleEscalations lists unacknowledged escalations (supervisors), oldest first.
func (s *Server) handleEscalations(c echo.Context) error {
	cl := claimsOf(c)
	if err := requireRole(cl, article23.RoleSupervisor); err != nil {
		return err
	}
	escs, err := s.openEscalations(c, cl)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, wire.Escalations{Escalations: escs})
}

// openEscalations are the escalations the supervisor can acknowledge: level 1 of their
// institute, and every level for CICPA's supervisors.
func (s *Server) openEscalations(c echo.Context, cl auth.Claims) ([]wire.EscalationTask, error) {
	escs, err := s.deps.Store.OpenEscalations(c.Request().Context(), instituteScope(cl))
	if err != nil {
		return nil, err
	}
	out := []wire.EscalationTask{}
	for _, e := range escs {
		if e.Escalation.Level > 1 && cl.Institute != article23.NationalInstitute {
			continue
		}
		e.Escalation.RaisedAt = sh(e.Escalation.RaisedAt)
		out = append(out, wire.EscalationTask{Case: newSummary(e.Case), Escalation: e.Escalation})
	}
	return out, nil
}

// validCursor reports whether s is shaped like the store's keyset cursor (base64url JSON
// with a case number), so a forged cursor is a 422 rather than a store error.
func validCursor(s string) bool {
	var cur struct {
		T int64  `json:"t"`
		N string `json:"n"`
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	return err == nil && json.Unmarshal(b, &cur) == nil && cur.N != ""
}
