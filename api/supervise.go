package api

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/auth"
	"github.com/cicpa/weiquan/calendar"
	"github.com/cicpa/weiquan/store"
)

// taskResponse is the caller's inbox: the open cases waiting on them, what is overdue first
// (most overdue first), then by the next due date; and for supervisors the extension
// requests and escalations waiting on them.
type taskResponse struct {
	Cases       []taskItem           `json:"cases"`
	Next        string               `json:"next,omitempty"`
	Extensions  []extensionTask      `json:"extensions,omitempty"`
	Escalations []escalationResponse `json:"escalations,omitempty"`
}

// taskItem is one case of an inbox and the clock it is there for.
type taskItem struct {
	summaryResponse
	Clock             article23.ClockName `json:"clock,omitempty"` // "" when no clock runs (e.g. awaiting a supplement)
	Due               string              `json:"due,omitempty"`
	DeadlineAt        *time.Time          `json:"deadline_at,omitempty"`
	Overdue           bool                `json:"overdue"`                      // the clock is breached and its act not recorded
	RemainingWorkdays *int                `json:"remaining_workdays,omitempty"` // working days left after today (0: due today)
	OverdueWorkdays   *int                `json:"overdue_workdays,omitempty"`   // working days since the due date
	Assignee          *person             `json:"assignee"`                     // null while in the institute's queue
}

type extensionTask struct {
	Case      summaryResponse     `json:"case"`
	Extension article23.Extension `json:"extension"`
}

type escalationResponse struct {
	Case       summaryResponse      `json:"case"`
	Escalation article23.Escalation `json:"escalation"`
}

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
	var out taskResponse
	var err error
	switch cl.Role {
	case article23.RoleSecretary, article23.RoleSupervisor:
		f := taskFilter(cl, mine, unassigned)
		f.Cursor, f.Limit = cursor, limit
		out, err = s.caseTasks(ctx, f)
	case article23.RoleMember:
		out, err = s.memberTasks(ctx, cl, cursor, limit)
	default:
		out = taskResponse{Cases: []taskItem{}}
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
func (s *Server) caseTasks(ctx context.Context, f store.TaskFilter) (taskResponse, error) {
	page, err := s.deps.Store.ListTasks(ctx, f)
	if err != nil {
		return taskResponse{}, err
	}
	ids := make([]string, 0, len(page.Tasks))
	for _, t := range page.Tasks {
		ids = append(ids, t.Secretary)
	}
	names := s.staffNames(ctx, ids)
	cal, now := s.calendar(), s.deps.Now()
	out := taskResponse{Cases: make([]taskItem, 0, len(page.Tasks)), Next: page.Next}
	for _, t := range page.Tasks {
		it := taskItem{summaryResponse: newSummaries([]store.CaseSummary{t.CaseSummary})[0], Clock: t.Clock, Due: t.Due,
			DeadlineAt: shPtr(t.DeadlineAt), Overdue: t.Overdue}
		if t.Secretary != "" {
			it.Assignee = &person{ID: t.Secretary, Name: orID(names[t.Secretary], t.Secretary)}
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
func (s *Server) memberTasks(ctx context.Context, cl auth.Claims, cursor string, limit int) (taskResponse, error) {
	f := caseScope(cl, "")
	f.Stage, f.Cursor, f.Limit = article23.StageAwaitingSupplement, cursor, limit
	page, err := s.deps.Store.ListCases(ctx, f)
	if err != nil {
		return taskResponse{}, err
	}
	out := taskResponse{Cases: make([]taskItem, 0, len(page.Cases)), Next: page.Next}
	for _, sum := range newSummaries(page.Cases) {
		out.Cases = append(out.Cases, taskItem{summaryResponse: sum})
	}
	return out, nil
}

// supervisorTasks adds the extension requests and escalations waiting on a supervisor.
func (s *Server) supervisorTasks(c echo.Context, cl auth.Claims, out *taskResponse) error {
	exts, err := s.deps.Store.PendingExtensions(c.Request().Context(), instituteScope(cl))
	if err != nil {
		return err
	}
	for _, e := range exts {
		e.Extension.RequestedAt = sh(e.Extension.RequestedAt)
		out.Extensions = append(out.Extensions, extensionTask{Case: newSummaries([]store.CaseSummary{e.Case})[0], Extension: e.Extension})
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
	return c.JSON(http.StatusOK, map[string]any{"escalations": escs})
}

// openEscalations are the escalations the supervisor can acknowledge: level 1 of their
// institute, and every level for CICPA's supervisors.
func (s *Server) openEscalations(c echo.Context, cl auth.Claims) ([]escalationResponse, error) {
	escs, err := s.deps.Store.OpenEscalations(c.Request().Context(), instituteScope(cl))
	if err != nil {
		return nil, err
	}
	out := []escalationResponse{}
	for _, e := range escs {
		if e.Escalation.Level > 1 && cl.Institute != article23.NationalInstitute {
			continue
		}
		e.Escalation.RaisedAt = sh(e.Escalation.RaisedAt)
		out = append(out, escalationResponse{Case: newSummaries([]store.CaseSummary{e.Case})[0], Escalation: e.Escalation})
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
