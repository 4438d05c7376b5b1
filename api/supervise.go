package api

import (
	"encoding/base64"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/auth"
	"github.com/cicpa/weiquan/calendar"
	"github.com/cicpa/weiquan/store"
)

// anyDeadline selects cases with a running clock (cases without one sort at 9999-12-31).
var anyDeadline = time.Date(9999, 12, 30, 0, 0, 0, 0, time.UTC)

// taskResponse is the caller's inbox: cases waiting on them, soonest deadline first, and
// for supervisors the extension requests and escalations waiting on them.
type taskResponse struct {
	Cases       []summaryResponse    `json:"cases"`
	Next        string               `json:"next,omitempty"`
	Extensions  []extensionTask      `json:"extensions,omitempty"`
	Escalations []escalationResponse `json:"escalations,omitempty"`
}

type extensionTask struct {
	Case      summaryResponse     `json:"case"`
	Extension article23.Extension `json:"extension"`
}

type escalationResponse struct {
	Case       summaryResponse      `json:"case"`
	Escalation article23.Escalation `json:"escalation"`
}

// taskFilter is what waits on the caller: a member's cases awaiting their supplement; a
// secretary's institute's cases with a running deadline (only theirs with mine=true); a
// supervisor's cases with a breached deadline. An admin has no case work.
func taskFilter(cl auth.Claims, mine bool) store.CaseFilter {
	f := caseScope(cl, "")
	switch cl.Role {
	case article23.RoleMember:
		f.Stage = article23.StageAwaitingSupplement
	case article23.RoleSecretary:
		f.DueBefore = &anyDeadline
		if mine {
			f.Secretary = cl.Subject
		}
	case article23.RoleSupervisor:
		f.Breached, f.DueBefore = ptrTo(true), &anyDeadline
	}
	return f
}

func ptrTo[T any](v T) *T { return &v }

// handleTasks returns the caller's inbox.
func (s *Server) handleTasks(c echo.Context) error {
	cl := claimsOf(c)
	var fs fields
	f := taskFilter(cl, c.QueryParam("mine") == "true")
	f.Cursor = c.QueryParam("cursor")
	f.Limit, _ = queryInt(c, "limit", 1, 500, &fs)
	if f.Cursor != "" && !validCursor(f.Cursor) {
		fs.add("cursor", "not a cursor this API returned")
	}
	if err := fs.err(); err != nil {
		return err
	}
	ctx := c.Request().Context()
	page, err := s.deps.Store.ListCases(ctx, f)
	if err != nil {
		return err
	}
	out := taskResponse{Cases: newSummaries(page.Cases), Next: page.Next}
	if cl.Role == article23.RoleSupervisor && f.Cursor == "" {
		exts, err := s.deps.Store.PendingExtensions(ctx, instituteScope(cl))
		if err != nil {
			return err
		}
		for _, e := range exts {
			e.Extension.RequestedAt = sh(e.Extension.RequestedAt)
			out.Extensions = append(out.Extensions, extensionTask{Case: newSummaries([]store.CaseSummary{e.Case})[0], Extension: e.Extension})
		}
		if out.Escalations, err = s.openEscalations(c, cl); err != nil {
			return err
		}
	}
	return c.JSON(http.StatusOK, out)
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

// handleCompliance reports on-time figures per institute and clock for deadlines due in
// [from, to]: JSON, or CSV for filing with Accept: text/csv.
func (s *Server) handleCompliance(c echo.Context) error {
	cl := claimsOf(c)
	if err := requireRole(cl, article23.RoleSupervisor, article23.RoleSecretary); err != nil {
		return err
	}
	var f fields
	from, to := c.QueryParam("from"), c.QueryParam("to")
	f.date("from", from)
	f.date("to", to)
	if len(f) == 0 && to < from {
		f.add("to", "is before from")
	}
	if err := f.err(); err != nil {
		return err
	}
	scope := caseScope(cl, c.QueryParam("institute")).Institutes
	rows, err := s.deps.Store.Compliance(c.Request().Context(), from, to, scope)
	if err != nil {
		return err
	}
	if strings.Contains(c.Request().Header.Get(echo.HeaderAccept), "text/csv") {
		return writeComplianceCSV(c, from, to, rows)
	}
	return c.JSON(http.StatusOK, map[string]any{"from": from, "to": to, "rows": rows})
}

// countsResponse is GET /reports/counts.
type countsResponse struct {
	DueBefore time.Time               `json:"due_before"`
	Rows      []store.InstituteCounts `json:"rows"`
}

// handleCounts: per institute in the caller's scope, the open, breached and due-soon cases
// (due_within working days, default 5), counted by the store in one indexed pass, not from a
// capped list.
func (s *Server) handleCounts(c echo.Context) error {
	cl := claimsOf(c)
	if err := requireRole(cl, article23.RoleSupervisor, article23.RoleSecretary); err != nil {
		return err
	}
	var fs fields
	n, ok := queryInt(c, "due_within", 0, calendar.MaxWorkdays, &fs)
	if !ok {
		n = 5
	}
	if err := fs.err(); err != nil {
		return err
	}
	before, err := s.dueCutoff(n)
	if err != nil {
		return invalid([]FieldProblem{{Field: "due_within", Detail: err.Error()}})
	}
	rows, err := s.deps.Store.Counts(c.Request().Context(), caseScope(cl, c.QueryParam("institute")).Institutes, before)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, countsResponse{DueBefore: sh(before), Rows: rows})
}

func writeComplianceCSV(c echo.Context, from, to string, rows []store.ComplianceRow) error {
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	h.Set(echo.HeaderContentDisposition, `attachment; filename="compliance-`+from+`-`+to+`.csv"`)
	c.Response().WriteHeader(http.StatusOK)
	w := csv.NewWriter(c.Response())
	_ = w.Write([]string{"institute", "clock", "on_time", "late", "open", "median_workdays_used", "extensions"})
	for _, r := range rows {
		median := ""
		if r.MedianWorkdaysUsed != nil {
			median = strconv.FormatFloat(*r.MedianWorkdaysUsed, 'f', -1, 64)
		}
		_ = w.Write([]string{r.Institute, string(r.Clock), itoa(r.OnTime), itoa(r.Late), itoa(r.Open), median, itoa(r.Extensions)})
	}
	w.Flush()
	return w.Error()
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

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
