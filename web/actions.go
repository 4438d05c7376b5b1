package web

import (
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/wire"
)

// caseAction is one action form on the case page: how its form becomes the API's body, and
// which field a workflow refusal without a field (a date in the future, reasons missing)
// belongs to.
type caseAction struct {
	body  func(f func(string) string) any
	field string
}

var caseActions = map[string]caseAction{
	"decision": {field: "notice_served_on", body: func(f func(string) string) any {
		return wire.DecisionRequest{Decision: f("decision"), Reasons: f("reasons"), NoticeServedOn: f("notice_served_on")}
	}},
	"supplement-request": {field: "what", body: func(f func(string) string) any { return wire.SupplementRequest{What: f("what")} }},
	"supplement-received": {field: "received_on", body: func(f func(string) string) any {
		return wire.SupplementReceivedRequest{ReceivedOn: f("received_on")}
	}},
	"committee-meeting": {field: "held_on", body: func(f func(string) string) any {
		return wire.CommitteeRequest{HeldOn: f("held_on"), MembersPresent: lines(f("members_present")), ExpertOpinion: f("expert_opinion")}
	}},
	"feedback": {field: "given_on", body: func(f func(string) string) any {
		return wire.FeedbackRequest{GivenOn: f("given_on"), Manner: article23.FeedbackManner(f("manner")), Summary: f("summary")}
	}},
	"extensions": {field: "until", body: func(f func(string) string) any {
		return wire.ExtensionRequest{Until: f("until"), Reason: f("reason")}
	}},
	"withdrawal": {field: "reason", body: func(f func(string) string) any { return wire.WithdrawalRequest{Reason: f("reason")} }},
	"assignment": {field: "secretary", body: func(f func(string) string) any { return wire.AssignmentRequest{Secretary: f("secretary")} }},
	"closure":    {body: func(func(string) string) any { return map[string]string{} }},
	"claim":      {body: func(func(string) string) any { return map[string]string{} }},
}

// fieldOfCode places workflow refusals that concern one field of any form.
var fieldOfCode = map[string]string{"reasons_required": "reasons", "beyond_cap": "until", "extension_too_short": "until"}

// lines splits a textarea into its non-empty lines (one committee member a line).
func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// handleAction posts one action form to the API: POST /cases/{n}/{action}.
func (c *Console) handleAction(w http.ResponseWriter, r *http.Request, s *session) {
	number, name := r.PathValue("number"), r.PathValue("action")
	a, ok := caseActions[name]
	if !ok {
		c.fail(w, r, s, http.StatusNotFound, "error.not_found")
		return
	}
	res := c.postJSON(r, s, casePath(number, name), formNonce(r), a.body(r.PostFormValue))
	if !res.OK() {
		c.formFailure(w, r, s, res.problem(), func(p *wire.Problem) {
			if name == "withdrawal" {
				c.renderCase(w, r, s, number, statusOf(p), p, "")
				return
			}
			c.renderCase(w, r, s, number, statusOf(p), p, a.field)
		})
		return
	}
	back := safeNext(r.PostFormValue("back")) // a claim from the inbox goes back to it
	if back == "" {
		back = "/cases/" + url.PathEscape(number)
	}
	redirect(w, r, back, strings.ReplaceAll(name, "-", "_"))
}

// handleExtensionDecision approves or refuses an extension (supervisors).
func (c *Console) handleExtensionDecision(w http.ResponseWriter, r *http.Request, s *session) {
	number, id := r.PathValue("number"), r.PathValue("id")
	approve := r.PostFormValue("approve") == "true"
	path := casePath(number, "extensions", url.PathEscape(id), "decision")
	res := c.postJSON(r, s, path, formNonce(r), wire.ExtensionDecisionRequest{Approve: &approve, Note: r.PostFormValue("note")})
	back := safeNext(r.PostFormValue("back"))
	if back == "" {
		back = "/cases/" + url.PathEscape(number)
	}
	if !res.OK() {
		c.formFailure(w, r, s, res.problem(), func(p *wire.Problem) { c.renderCase(w, r, s, number, statusOf(p), p, "note") })
		return
	}
	done := "extension_refused"
	if approve {
		done = "extension_approved"
	}
	redirect(w, r, back, done)
}

// handleAcknowledge acknowledges an escalation (supervisors).
func (c *Console) handleAcknowledge(w http.ResponseWriter, r *http.Request, s *session) {
	number, id := r.PathValue("number"), r.PathValue("id")
	if _, err := strconv.Atoi(id); err != nil {
		c.fail(w, r, s, http.StatusNotFound, "error.not_found")
		return
	}
	path := "/api/v1/escalations/" + url.PathEscape(number) + "/" + id + "/acknowledgement"
	res := c.call(r, s, apiCall{method: http.MethodPost, path: path, header: map[string]string{"Idempotency-Key": idempotencyKey(formNonce(r), path)}})
	if !res.OK() {
		c.apiFailure(w, r, s, res.problem())
		return
	}
	redirect(w, r, "/dashboard", "acknowledged")
}

// formFailure handles a refused post: a lapsed session signs in again, a refusal with
// fields re-renders the form (via show), anything else is an error page.
func (c *Console) formFailure(w http.ResponseWriter, r *http.Request, s *session, err error, show func(*wire.Problem)) {
	var p *wire.Problem
	if !errors.As(err, &p) {
		c.apiFailure(w, r, s, err)
		return
	}
	switch p.Status {
	case http.StatusUnprocessableEntity, http.StatusConflict, http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType, http.StatusBadRequest:
		show(p)
	default:
		c.apiFailure(w, r, s, p)
	}
}

// apiFailure shows an API failure as a page: sign in again on 401, else the error page.
func (c *Console) apiFailure(w http.ResponseWriter, r *http.Request, s *session, err error) {
	var p *wire.Problem
	if !errors.As(err, &p) {
		c.log.Error("web: API call", "path", r.URL.Path, "error", err)
		c.fail(w, r, s, http.StatusBadGateway, "error.internal")
		return
	}
	switch p.Status {
	case http.StatusUnauthorized:
		c.clearCookie(w, sessionCookie)
		c.toSignin(w, r)
	case http.StatusNotFound, http.StatusForbidden, http.StatusTooManyRequests, http.StatusServiceUnavailable:
		c.fail(w, r, s, p.Status, c.problemKey(p))
	default:
		if p.Status >= 500 {
			c.log.Error("web: API failure", "path", r.URL.Path, "status", p.Status, "code", p.Code, "request_id", p.RequestID)
		}
		c.fail(w, r, s, p.Status, c.problemKey(p))
	}
}

// problemKey is the catalogue's message for p's code, else the API's detail, which is in the
// page's language (the console asks the API in it): never the raw key on a page.
func (c *Console) problemKey(p *wire.Problem) string {
	if key := "problem." + p.Code; c.cat.has(key) || p.Detail == "" {
		return key
	}
	return p.Detail
}

func statusOf(p *wire.Problem) int {
	if p.Status >= 400 {
		return p.Status
	}
	return http.StatusUnprocessableEntity
}

// showProblem puts the problem's messages next to their fields: the API's field errors,
// else the refusal next to field, else above the form.
func (c *Console) showProblem(v *view, p *wire.Problem, field string) {
	for _, e := range p.Errors {
		v.Errors[e.Field] = c.fieldMessage(v.Lang, e.Field, e.Detail)
	}
	if len(p.Errors) > 0 {
		v.Problem = v.T("problem.invalid")
		return
	}
	msg := p.Detail
	if c.cat.has("problem." + p.Code) {
		msg = v.T("problem." + p.Code)
	}
	if f, ok := fieldOfCode[p.Code]; ok {
		field = f
	}
	if field != "" && p.Status == http.StatusUnprocessableEntity {
		v.Errors[field] = msg
	}
	v.Problem = msg
}

// isRequired reports the API's "is required", in English or (Accept-Language zh-CN) Chinese.
func isRequired(detail string) bool { return detail == "is required" || detail == "此项必填。" }

// fieldMessage translates the API's usual field details; others are shown as sent (in the
// page's language: the console asks the API in it).
func (c *Console) fieldMessage(lang, field, detail string) string {
	switch {
	case field == "reasons" && isRequired(detail): // only a rejection requires them
		return c.cat.t(lang, "problem.reasons_required")
	case isRequired(detail):
		return c.cat.t(lang, "err.required")
	case strings.HasPrefix(detail, "must be a date"):
		return c.cat.t(lang, "err.date")
	case strings.Contains(detail, "is after today"):
		return c.cat.t(lang, "problem.date_in_future")
	}
	if key := "fielderr." + indexes.ReplaceAllString(audience.ReplaceAllString(field, "contacts."), "[]"); c.cat.has(key) {
		if msg := c.cat.t(lang, key); strings.Contains(msg, "%s") {
			return c.cat.t(lang, key, quotedValue(detail))
		}
		return c.cat.t(lang, key)
	}
	return detail
}

var (
	indexes  = regexp.MustCompile(`\[[0-9]+\]`)                           // emails[1] → emails[]
	audience = regexp.MustCompile(`^contacts\.(secretary|supervisors)\.`) // one message for either audience
	gotValue = regexp.MustCompile(`got ("(?:[^"\\]|\\.)*")$`)
	gotZH    = regexp.MustCompile(`收到的是“(.*)”。$`)
)

// quotedValue is the value a field detail ends with (`…, got "x"`, or in Chinese
// `…，收到的是“x”。`), or "".
func quotedValue(detail string) string {
	if m := gotZH.FindStringSubmatch(detail); m != nil {
		return m[1]
	}
	m := gotValue.FindStringSubmatch(detail)
	if m == nil {
		return ""
	}
	v, err := strconv.Unquote(m[1])
	if err != nil {
		return ""
	}
	return v
}
