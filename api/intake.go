package api

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/auth"
	"github.com/cicpa/weiquan/calendar"
	"github.com/cicpa/weiquan/store"
	"github.com/cicpa/weiquan/wire"
	"github.com/cicpa/weiquan/workflows"
)

// createCaseRequest is the body of POST /api/v1/cases with its checks.
type createCaseRequest struct{ wire.CreateCaseRequest }

// validate checks every field; today is the current date in Asia/Shanghai.
func (r createCaseRequest) validate(today calendar.Date) error {
	var f fields
	if !codePattern.MatchString(r.Institute) {
		f.add("institute", "must be an institute code such as BJ, got %q", r.Institute)
	}
	if !memberNoPattern.MatchString(r.Applicant.MemberNo) {
		f.add("applicant.member_no", "must be 1–32 letters, digits or '-'")
	}
	f.text("applicant.name", r.Applicant.Name, 100)
	if !r.Applicant.Kind.Valid() {
		f.add("applicant.kind", "must be firm, practising or non_practising, got %q", r.Applicant.Kind)
	}
	f.text("counterparty", r.Counterparty, 200)
	f.text("category", r.Category, 50)
	f.text("summary", r.Summary, 5000)
	f.text("claims", r.Claims, 5000)
	if r.ReceivedOn != "" {
		switch d, err := calendar.ParseDate(r.ReceivedOn); {
		case err != nil:
			f.add("received_on", "must be a date YYYY-MM-DD, got %q", r.ReceivedOn)
		case d.After(today):
			f.add("received_on", "%s is after today (%s, Asia/Shanghai)", r.ReceivedOn, today)
		case d.Before(today.AddDays(-366)):
			f.add("received_on", "%s is more than a year ago", r.ReceivedOn)
		}
	}
	return f.err()
}

// fingerprint is the SHA-256 of the request's canonical JSON (struct fields in declaration
// order, no insignificant white space): the same request always hashes the same.
func (r createCaseRequest) fingerprint() string {
	b, _ := json.Marshal(r)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// intake opens a case: number it (reusing the number of a retried request), start its
// workflow with the institute's policy pinned, and wait (at most SubmitWait) until its
// decision clock runs.
// It reports whether the request had already been submitted.
func (s *Server) intake(ctx context.Context, cl auth.Claims, r createCaseRequest, key string) (workflows.StatusResult, bool, error) {
	c, decisionDue, err := s.newCase(ctx, cl, r)
	if err != nil {
		return workflows.StatusResult{}, false, err
	}
	res := store.Reservation{Institute: r.Institute, Year: must(calendar.ParseDate(c.ReceivedOn)).Year, RequestHash: r.fingerprint()}
	if key != "" {
		res.IdempotencyKey = cl.Subject + " " + key // keys are per caller
	}
	number, existing, err := s.deps.Store.ReserveCase(ctx, res)
	if err != nil {
		return workflows.StatusResult{}, false, err
	}
	c.Number = number
	if !existing {
		if c.Secretary, err = s.route(ctx, c); err != nil {
			return workflows.StatusResult{}, false, err
		}
	}
	// a crash after ReserveCase is healed here: the retry reuses the number, Open is idempotent
	ctx, cancel := context.WithTimeout(ctx, s.deps.SubmitWait)
	defer cancel()
	in := workflows.NewCaseInput(c)
	in.DecisionDue = decisionDue
	st, err := s.deps.Engine.Open(ctx, in)
	if errors.Is(err, ErrStartedNotReady) { // no answer within SubmitWait: the client follows Location
		return workflows.StatusResult{Case: c}, existing, err
	}
	return st, existing, err
}

// newCase is the case the request opens, with the institute's policy pinned, and the
// deadline of its decision clock as this calendar counts it; its number is still to be
// reserved.
func (s *Server) newCase(ctx context.Context, cl auth.Claims, r createCaseRequest) (article23.Case, time.Time, error) {
	now := s.deps.Now()
	receivedOn, channel := calendar.DateOf(now).String(), article23.ChannelOnline
	if r.ReceivedOn != "" {
		receivedOn, channel = r.ReceivedOn, article23.ChannelPaper
	}
	policy, err := s.deps.Store.Policy(ctx, r.Institute)
	if errors.Is(err, store.ErrNotFound) {
		return article23.Case{}, time.Time{}, invalid([]FieldProblem{fieldProblem("institute", "no such institute")})
	} else if err != nil {
		return article23.Case{}, time.Time{}, err
	}
	due, err := s.decisionDue(receivedOn, policy.DecisionWorkdays)
	if err != nil {
		return article23.Case{}, time.Time{}, err
	}
	c := article23.Case{Institute: r.Institute, Applicant: r.Applicant, Counterparty: r.Counterparty,
		Category: r.Category, Summary: r.Summary, Claims: r.Claims, ReceivedOn: receivedOn, Channel: channel,
		Stage: article23.StageReceived, Policy: policy, SubmittedBy: s.actor(cl), UpdatedAt: now.UTC()}
	if cl.Role == article23.RoleSecretary {
		c.Secretary = cl.Subject // the secretary who registers paper materials handles them
	}
	return c, due, nil
}

// route is who a new case goes to: the secretary who registers paper materials handles them;
// otherwise the institute's rule decides, round robin over its active secretaries or
// (the default) nobody, so the case waits in the institute's queue, where every secretary
// of the institute sees it and is told. A retried submission is not routed again.
func (s *Server) route(ctx context.Context, c article23.Case) (string, error) {
	if c.Secretary != "" || c.Policy.Routing != article23.RoutingRoundRobin {
		return c.Secretary, nil
	}
	m, ok, err := s.deps.Store.NextRoundRobin(ctx, c.Institute)
	if err != nil || !ok {
		return "", err
	}
	return m.ID, nil
}

// decisionDue is the instant the decision clock of a case received on receivedOn ends; it
// refuses a receipt date whose decision deadline the calendar cannot count.
func (s *Server) decisionDue(receivedOn string, workdays int) (time.Time, error) {
	d, err := calendar.ParseDate(receivedOn)
	var dl calendar.Deadline
	if err == nil {
		dl, err = s.calendar().Due(d, workdays)
	}
	if err != nil {
		return time.Time{}, invalid([]FieldProblem{fieldProblem("received_on", "outside the working-day calendar: %v", err)})
	}
	return dl.DeadlineAt, nil
}

// must unwraps a value whose error was ruled out before (a date decisionDue parsed).
func must[T any](v T, err error) T {
	if err != nil {
		panic(err) // unreachable: a bug, and Recover turns it into a 500
	}
	return v
}

// normalize trims the free-text fields so white space does not change the fingerprint.
func (r createCaseRequest) normalize() createCaseRequest {
	for _, p := range []*string{&r.Institute, &r.Applicant.MemberNo, &r.Applicant.Name, &r.Counterparty, &r.Category, &r.Summary, &r.Claims, &r.ReceivedOn} {
		*p = strings.TrimSpace(*p)
	}
	return r
}
