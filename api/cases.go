package api

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/text/unicode/norm"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/calendar"
	"github.com/cicpa/weiquan/store"
	"github.com/cicpa/weiquan/wire"
)

// handleCreateCase opens a case: 201 with the case and its decision deadline; 200 with the
// same case when the Idempotency-Key was seen with the same body; 202 when the workflow has
// started but not yet computed its deadline.
func (s *Server) handleCreateCase(c echo.Context) error {
	var req createCaseRequest
	if err := decodeJSON(c, &req, false); err != nil {
		return err
	}
	req = req.normalize()
	cl := claimsOf(c)
	if err := req.validate(calendar.DateOf(s.deps.Now())); err != nil {
		return err
	}
	if err := authorizeSubmit(cl, req); err != nil {
		return err
	}
	ctx := c.Request().Context()
	st, existing, err := s.intake(ctx, cl, req, c.Request().Header.Get("Idempotency-Key"))
	c.Response().Header().Set(echo.HeaderLocation, "/api/v1/cases/"+url.PathEscape(st.Case.Number))
	switch {
	case errors.Is(err, ErrStartedNotReady):
		return c.JSON(http.StatusAccepted, s.named(ctx, s.caseResponse(st.Case)))
	case err != nil:
		return err
	case existing:
		return c.JSON(http.StatusOK, s.named(ctx, withLog(s.caseResponse(st.Case), st.Events, nil)))
	}
	return c.JSON(http.StatusCreated, s.named(ctx, withLog(s.caseResponse(st.Case), st.Events, nil)))
}

// handleGetCase returns the case with its deadlines, log and attachments, and for staff
// who downloaded which of its files.
func (s *Server) handleGetCase(c echo.Context) error {
	v, err := s.visibleCase(c, permView)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	r := withLog(s.caseResponse(v.Case), v.Events, v.Attachments)
	if claimsOf(c).Role != article23.RoleMember {
		r.OutOfStep = s.outOfStep(ctx, v.Case.Number)
		r.Corrections = s.corrections(ctx, v.Case.Number)
	}
	r.Downloads = s.caseDownloads(c, v.Case.Number)
	return c.JSON(http.StatusOK, s.named(ctx, r))
}

// outOfStep is the case's out-of-step mark, or nil when it has none. A failure to read the
// mark is logged, not the reader's problem: the document is still the best the store has.
func (s *Server) outOfStep(ctx context.Context, number string) *wire.OutOfStep {
	f, err := s.deps.Store.CaseRecordFailure(ctx, number)
	if err != nil {
		if !errors.Is(err, store.ErrNotFound) {
			s.log.WarnContext(ctx, "out-of-step mark not read", "case", number, "error", err)
		}
		return nil
	}
	return &wire.OutOfStep{Since: sh(f.Since), Attempts: f.Attempts, LastError: f.LastError}
}

// corrections are the replacements of the case's log entries, oldest first. A failure to read
// them is logged: the document is still right without them.
func (s *Server) corrections(ctx context.Context, number string) []wire.Correction {
	cs, err := s.deps.Store.CaseCorrections(ctx, number)
	if err != nil {
		s.log.WarnContext(ctx, "log corrections not read", "case", number, "error", err)
		return nil
	}
	var out []wire.Correction
	for _, c := range cs {
		out = append(out, wire.Correction{At: sh(c.At), FromSeq: c.FromSeq, Events: c.Events})
	}
	return out
}

// visibleCase loads the case of the request's :number and authorises p on it.
func (s *Server) visibleCase(c echo.Context, p permission) (store.CaseView, error) {
	v, err := s.loadCase(c.Request().Context(), c.Param("number"))
	if err != nil {
		return v, err
	}
	return v, authorize(claimsOf(c), p, refOf(v.Case))
}

// actingOn reads what an action needs of the request's :number before it is taken (who may
// act, whether the act issues a notice, the last recorded entry) and authorises p on it: the
// case's head, not its clocks, log and attachments (store.CaseHead). A case the store has not
// recorded yet is asked of the workflow, as loadCase does.
func (s *Server) actingOn(c echo.Context, p permission) (article23.Case, int64, error) {
	ctx, number := c.Request().Context(), c.Param("number")
	k, seen, err := s.deps.Store.CaseHead(ctx, number)
	if errors.Is(err, store.ErrNotFound) {
		var v store.CaseView
		v, err = s.fromWorkflow(ctx, number)
		k, seen = v.Case, lastSeq(v.Events)
	}
	if err != nil {
		return k, seen, err
	}
	return k, seen, authorize(claimsOf(c), p, refOf(k))
}

// loadCase reads the read model; a case submitted a moment ago that the store has not
// recorded yet is asked of the workflow, so a client reads its own write.
func (s *Server) loadCase(ctx context.Context, number string) (store.CaseView, error) {
	v, err := s.deps.Store.Case(ctx, number)
	if !errors.Is(err, store.ErrNotFound) {
		return v, err
	}
	return s.fromWorkflow(ctx, number)
}

// fromWorkflow is the case as its workflow's status query has it, for a case the store has
// not recorded yet; ErrNotFound when no workflow answers.
func (s *Server) fromWorkflow(ctx context.Context, number string) (store.CaseView, error) {
	st, err := s.deps.Engine.Status(ctx, number)
	if err != nil {
		return store.CaseView{}, store.ErrNotFound
	}
	return store.CaseView{Case: st.Case, Events: st.Events}, nil
}

func (s *Server) caseResponse(c article23.Case) wire.Case {
	return newCaseResponse(c, s.calendar(), s.deps.Now())
}

// calendar is the calendar in force.
func (s *Server) calendar() *calendar.Calendar { return s.deps.Calendar.Current() }

// handleListCases lists the cases the caller sees, soonest deadline first, a page at a time.
func (s *Server) handleListCases(c echo.Context) error {
	f, err := s.listFilter(c)
	if err != nil {
		return err
	}
	page, err := s.deps.Store.ListCases(c.Request().Context(), f)
	if err != nil {
		return err
	}
	if page.Next != "" {
		q := c.QueryParams()
		q.Set("cursor", page.Next)
		c.Response().Header().Set("Link", `<`+c.Request().URL.Path+"?"+q.Encode()+`>; rel="next"`)
	}
	return c.JSON(http.StatusOK, wire.CaseList{Cases: newSummaries(page.Cases), Next: page.Next})
}

// dueCutoff is the instant before which a deadline falls within n working days from today:
// deadlines fall at 24:00, so the nth day's is included.
func (s *Server) dueCutoff(n int) (time.Time, error) {
	d, err := s.calendar().Due(calendar.DateOf(s.deps.Now()), n)
	if err != nil {
		return time.Time{}, err
	}
	return d.DeadlineAt.Add(time.Second), nil
}

// optBool reads an optional true/false query parameter (nil when absent).
func optBool(c echo.Context, name string, fs *fields) *bool {
	b := c.QueryParam(name)
	if b == "" {
		return nil
	}
	v, err := strconv.ParseBool(b)
	if err != nil {
		fs.add(name, "must be true or false")
	}
	return &v
}

// listFilter reads the list's query parameters within the caller's scope.
func (s *Server) listFilter(c echo.Context) (store.CaseFilter, error) {
	var fs fields
	f := caseScope(claimsOf(c), c.QueryParam("institute"))
	f.Stage, f.Secretary, f.Query, f.Cursor = article23.Stage(c.QueryParam("stage")), c.QueryParam("secretary"), norm.NFC.String(c.QueryParam("q")), c.QueryParam("cursor")
	if f.Stage != "" && !f.Stage.Valid() {
		fs.add("stage", "unknown stage %q", f.Stage)
	}
	if n := store.CountSearchTerms(f.Query); n > maxSearchTerm {
		fs.add("q", "has %d words; at most %d", n, maxSearchTerm)
	}
	if n, ok := queryInt(c, "due_within", 0, calendar.MaxWorkdays, &fs); ok {
		if before, err := s.dueCutoff(n); err == nil {
			f.DueBefore = &before
		} else {
			fs.add("due_within", "outside the working-day calendar: %v", err)
		}
	}
	f.Breached, f.Open = optBool(c, "breached", &fs), optBool(c, "open", &fs)
	if in := c.QueryParam("institute"); in != "" {
		if known, err := s.knownInstitute(c.Request().Context(), in); err != nil || !known {
			fs.add("institute", "unknown institute %q", in)
		}
	}
	f.Limit, _ = queryInt(c, "limit", 1, 500, &fs)
	if f.Cursor != "" && !validCursor(f.Cursor) {
		fs.add("cursor", "not a cursor this API returned")
	}
	return f, fs.err()
}
