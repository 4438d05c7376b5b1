package api

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/store"
	"github.com/cicpa/weiquan/wire"
	"github.com/cicpa/weiquan/workflows"
)

// An action is a POST on a case that becomes one workflow update. Each request type checks
// its own shape (422 with field errors); the workflow checks the rest — stage, dates against
// the case, the actor — and its refusal comes back as a problem with the workflow's code.

type actionRequest interface{ validate() error }

// action builds the handler of one action: decode, validate, authorise p, update, respond
// with the case as the update left it and its written notices, the one the act issued
// included. A retried request with the same Idempotency-Key is the same update, applied
// once; the key reused with another body or on another case is refused (422
// idempotency_conflict) and changes nothing.
func action[R actionRequest](s *Server, p permission, name string, build func(c echo.Context, r R, a article23.Actor) (any, error)) echo.HandlerFunc {
	return func(c echo.Context) error {
		var req R
		if err := decodeJSON(c, &req, isEmptyAction(req)); err != nil {
			return err
		}
		if err := req.validate(); err != nil {
			return err
		}
		k, seen, err := s.actingOn(c, p)
		if err != nil {
			return err
		}
		cl := claimsOf(c)
		arg, err := build(c, req, s.actor(cl))
		if err != nil {
			return err
		}
		ctx := c.Request().Context()
		if key := c.Request().Header.Get("Idempotency-Key"); key != "" {
			id := name + " " + cl.Subject + " " + key
			if err := s.deps.Store.ClaimIdempotencyKey(ctx, "action "+id, actionFingerprint(k.Number, req), k.Number); err != nil {
				return err
			}
			ctx = WithUpdateID(ctx, updateID(id))
		}
		updated, err := s.deps.Engine.Update(ctx, k.Number, name, arg)
		if err != nil {
			return err
		}
		r := s.caseResponse(updated)
		r.Documents = s.actDocuments(ctx, k.Number, seen, issuesNotice(k, updated))
		return c.JSON(http.StatusOK, s.named(ctx, r))
	}
}

// updateID is the Temporal UpdateID of an action's key: an opaque hash, because Temporal
// keeps update IDs in plain text in its history, and the key names the caller (a member's
// subject carries their member number). The same key always makes the same ID.
func updateID(key string) string {
	sum := sha256.Sum256([]byte("weiquan update id\n" + key))
	return "u-" + hex.EncodeToString(sum[:16])
}

// actionFingerprint identifies an action's request: the case and the decoded body.
func actionFingerprint(number string, req any) string {
	b, _ := json.Marshal(req)
	sum := sha256.Sum256(append([]byte(number+"\n"), b...))
	return hex.EncodeToString(sum[:])
}

func isEmptyAction(r any) bool { _, ok := r.(closureRequest); return ok }

// pathID reads a positive integer path parameter.
func pathID(c echo.Context, name string) (int, error) {
	n, err := strconv.Atoi(c.Param(name))
	if err != nil || n < 1 {
		return 0, problem(http.StatusNotFound, "not_found", name+" must be a positive number")
	}
	return n, nil
}

// Each action's body is its wire type with the checks of its shape made here.

type decisionRequest struct{ wire.DecisionRequest }

func (r decisionRequest) validate() error {
	var f fields
	if r.Decision != "accept" && r.Decision != "reject" {
		f.add("decision", "must be accept or reject, got %q", r.Decision)
	}
	if r.Decision == "reject" {
		f.text("reasons", r.Reasons, 5000) // the member must be told why
	} else {
		f.optText("reasons", r.Reasons, 5000)
	}
	f.date("notice_served_on", r.NoticeServedOn)
	return f.err()
}

type supplementRequest struct{ wire.SupplementRequest }

func (r supplementRequest) validate() error {
	var f fields
	f.text("what", r.What, 2000)
	return f.err()
}

type supplementReceivedRequest struct{ wire.SupplementReceivedRequest }

func (r supplementReceivedRequest) validate() error {
	var f fields
	f.date("received_on", r.ReceivedOn)
	return f.err()
}

type committeeRequest struct{ wire.CommitteeRequest }

func (r committeeRequest) validate() error {
	var f fields
	f.date("held_on", r.HeldOn)
	if len(r.MembersPresent) == 0 || len(r.MembersPresent) > 50 {
		f.add("members_present", "must list 1–50 members")
	}
	for i, m := range r.MembersPresent {
		f.text("members_present["+strconv.Itoa(i)+"]", m, 100)
	}
	f.text("expert_opinion", r.ExpertOpinion, 10000)
	return f.err()
}

type feedbackRequest struct{ wire.FeedbackRequest }

func (r feedbackRequest) validate() error {
	var f fields
	f.date("given_on", r.GivenOn)
	if !r.Manner.Valid() {
		f.add("manner", "must be letter, meeting, phone or email, got %q", r.Manner)
	}
	f.text("summary", r.Summary, 5000)
	return f.err()
}

type extensionRequest struct{ wire.ExtensionRequest }

func (r extensionRequest) validate() error {
	var f fields
	f.text("reason", r.Reason, 2000) // "special circumstances" must be stated
	switch {
	case (r.Until == "") == (r.Workdays == 0):
		f.add("until", "give either until (a date) or workdays")
	case r.Until != "":
		f.date("until", r.Until)
	case r.Workdays < 1 || r.Workdays > 90:
		f.add("workdays", "must be 1–90")
	}
	return f.err()
}

type extensionDecisionRequest struct{ wire.ExtensionDecisionRequest }

func (r extensionDecisionRequest) validate() error {
	var f fields
	if r.Approve == nil {
		f.add("approve", "is required (true or false)")
	}
	f.optText("note", r.Note, 2000)
	return f.err()
}

type withdrawalRequest struct{ wire.WithdrawalRequest }

func (r withdrawalRequest) validate() error {
	var f fields
	f.optText("reason", r.Reason, 2000)
	return f.err()
}

type assignmentRequest struct{ wire.AssignmentRequest }

func (r assignmentRequest) validate() error {
	var f fields
	f.text("secretary", r.Secretary, 200)
	return f.err()
}

// assignable returns the staff member id if they are an active secretary of institute (the
// case's: permStaff made sure the caller is of it); anyone else is a field error.
func (s *Server) assignable(ctx context.Context, id, institute string) (store.StaffMember, error) {
	m, err := s.deps.Store.Staff(ctx, id)
	var f fields
	switch {
	case errors.Is(err, store.ErrNotFound):
		f.add("secretary", "no such person in the staff directory")
	case err != nil:
		return m, err
	case m.Institute != institute:
		f.add("secretary", "is not of institute %s", institute)
	case m.Role != article23.RoleSecretary:
		f.add("secretary", "is not a secretary")
	case !m.Active:
		f.add("secretary", "was deactivated")
	}
	return m, f.err()
}

type closureRequest struct{}

func (closureRequest) validate() error { return nil }

// actionRoutes registers every action on a case.
func (s *Server) actionRoutes(g *echo.Group) {
	g.POST("/cases/:number/decision", action(s, permStaff, workflows.DecideUpdate, func(_ echo.Context, r decisionRequest, a article23.Actor) (any, error) {
		return workflows.Decide{Actor: a, Accept: r.Decision == "accept", Reasons: r.Reasons, NoticeServedOn: r.NoticeServedOn}, nil
	}))
	g.POST("/cases/:number/supplement-request", action(s, permStaff, workflows.RequestSupplementUpdate, func(_ echo.Context, r supplementRequest, a article23.Actor) (any, error) {
		return workflows.RequestSupplement{Actor: a, What: r.What}, nil
	}))
	g.POST("/cases/:number/supplement-received", action(s, permStaff, workflows.ReceiveSupplementUpdate, func(_ echo.Context, r supplementReceivedRequest, a article23.Actor) (any, error) {
		return workflows.ReceiveSupplement{Actor: a, ReceivedOn: r.ReceivedOn}, nil
	}))
	g.POST("/cases/:number/committee-meeting", action(s, permStaff, workflows.RecordCommitteeUpdate, func(_ echo.Context, r committeeRequest, a article23.Actor) (any, error) {
		return workflows.RecordCommittee{Actor: a, HeldOn: r.HeldOn, MembersPresent: r.MembersPresent, ExpertOpinion: r.ExpertOpinion}, nil
	}))
	g.POST("/cases/:number/feedback", action(s, permStaff, workflows.RecordFeedbackUpdate, func(_ echo.Context, r feedbackRequest, a article23.Actor) (any, error) {
		return workflows.RecordFeedback{Actor: a, GivenOn: r.GivenOn, Manner: r.Manner, Summary: r.Summary}, nil
	}))
	g.POST("/cases/:number/extensions", action(s, permStaff, workflows.RequestExtensionUpdate, func(_ echo.Context, r extensionRequest, a article23.Actor) (any, error) {
		return workflows.RequestExtension{Actor: a, Reason: r.Reason, Until: r.Until, Workdays: r.Workdays}, nil
	}))
	g.POST("/cases/:number/extensions/:id/decision", action(s, permSupervise, workflows.DecideExtensionUpdate, func(c echo.Context, r extensionDecisionRequest, a article23.Actor) (any, error) {
		id, err := pathID(c, "id")
		return workflows.DecideExtension{Actor: a, ExtensionID: id, Approve: *r.Approve, Note: r.Note}, err
	}))
	g.POST("/cases/:number/withdrawal", action(s, permWithdraw, workflows.WithdrawUpdate, func(_ echo.Context, r withdrawalRequest, a article23.Actor) (any, error) {
		return workflows.Withdraw{Actor: a, Reason: r.Reason}, nil
	}))
	g.POST("/cases/:number/assignment", action(s, permStaff, workflows.ReassignUpdate, func(c echo.Context, r assignmentRequest, a article23.Actor) (any, error) {
		m, err := s.assignable(c.Request().Context(), r.Secretary, a.Institute)
		return workflows.Reassign{Actor: a, Secretary: m.ID, Name: m.Name}, err
	}))
	g.POST("/cases/:number/claim", action(s, permStaff, workflows.ClaimUpdate, func(_ echo.Context, _ closureRequest, a article23.Actor) (any, error) {
		return workflows.Claim{Actor: a}, nil
	}))
	g.POST("/cases/:number/closure", action(s, permStaff, workflows.CloseUpdate, func(_ echo.Context, _ closureRequest, a article23.Actor) (any, error) {
		return workflows.Close{Actor: a}, nil
	}))
	g.POST("/escalations/:number/:id/acknowledgement", action(s, permSupervise, workflows.AcknowledgeEscalationUpdate, func(c echo.Context, _ closureRequest, a article23.Actor) (any, error) {
		id, err := pathID(c, "id")
		return workflows.AcknowledgeEscalation{Actor: a, EscalationID: id}, err
	}))
}
