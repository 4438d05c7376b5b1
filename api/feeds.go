package api

import (
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/auth"
	"github.com/cicpa/weiquan/store"
	"github.com/cicpa/weiquan/wire"
)

// Calendar subscriptions: a calendar application fetches a URL again and again, without the
// session, so the URL carries the person's feed token — 256 random bits, kept by SHA-256
// only, one per person (a new one revokes the old), revoked on request. The token stands for
// its person as they were when they made it, and reads only what they may read.

// maxFeedCases bounds a person's feed; a secretary has far fewer open cases.
const maxFeedCases = 500

// handleNewFeedToken makes the caller a new feed token, revoking the one before.
func (s *Server) handleNewFeedToken(c echo.Context) error {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	token := base64.RawURLEncoding.EncodeToString(b)
	cl := claimsOf(c)
	err := s.deps.Store.PutFeedToken(c.Request().Context(), store.FeedToken{Subject: cl.Subject, Hash: tokenHash(token),
		Role: cl.Role, Institute: cl.Institute, MemberNo: cl.MemberNo, CreatedAt: s.deps.Now()})
	if err != nil {
		return err
	}
	base := "/api/v1/feeds/" + token
	return c.JSON(http.StatusCreated, wire.FeedToken{Token: token, Deadlines: base + "/deadlines.ics", Case: base + "/cases/{number}/deadlines.ics"})
}

// handleRevokeFeedToken revokes the caller's feed token: its URLs answer 404 from now on.
func (s *Server) handleRevokeFeedToken(c echo.Context) error {
	if err := s.deps.Store.DeleteFeedToken(c.Request().Context(), claimsOf(c).Subject); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// feedClaims are the claims the request's feed token stands for; an unknown or revoked token
// and a deactivated person are 404, so that tokens cannot be probed.
func (s *Server) feedClaims(c echo.Context) (auth.Claims, error) {
	ctx := c.Request().Context()
	t, err := s.deps.Store.FeedTokenByHash(ctx, tokenHash(c.Param("token")))
	if err != nil {
		return auth.Claims{}, err
	}
	cl := auth.Claims{Role: t.Role, Institute: t.Institute, MemberNo: t.MemberNo}
	cl.Subject = t.Subject
	active, err := s.see(ctx, cl)
	if err != nil {
		return auth.Claims{}, err
	}
	if !active {
		return auth.Claims{}, store.ErrNotFound
	}
	return cl, nil
}

// handleCaseFeed serves one case's deadlines to the feed token's person, if they may see it.
func (s *Server) handleCaseFeed(c echo.Context) error {
	cl, err := s.feedClaims(c)
	if err != nil {
		return err
	}
	v, err := s.loadCase(c.Request().Context(), c.Param("number"))
	if err != nil {
		return err
	}
	if err := authorize(cl, permView, refOf(v.Case)); err != nil {
		return store.ErrNotFound
	}
	return serveICS(c, v.Case.Number, deadlinesICS(v, s.calendar(), s.deps.Now()))
}

// handleFeed serves the deadlines of the token person's open cases: a secretary's assigned
// cases, a member's own; for anyone else the cases assigned to them (none, usually).
func (s *Server) handleFeed(c echo.Context) error {
	cl, err := s.feedClaims(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	open := true
	f := store.CaseFilter{Open: &open, Secretary: cl.Subject, Limit: maxFeedCases}
	if cl.Role == article23.RoleMember {
		f = store.CaseFilter{Open: &open, ApplicantMemberNo: cl.MemberNo, Limit: maxFeedCases}
	}
	page, err := s.deps.Store.ListCases(ctx, f)
	if err != nil {
		return err
	}
	views := make([]store.CaseView, 0, len(page.Cases))
	for _, k := range page.Cases {
		v, err := s.deps.Store.Case(ctx, k.Number)
		if err != nil {
			return err
		}
		if authorize(cl, permView, refOf(v.Case)) == nil {
			views = append(views, v)
		}
	}
	return serveICS(c, "weiquan", calendarICS("维权办理期限", views, s.calendar(), s.deps.Now()))
}

// serveICS answers with a calendar file named name.ics.
func serveICS(c echo.Context, name, body string) error {
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "text/calendar; charset=utf-8")
	h.Set(echo.HeaderContentDisposition, `attachment; filename="`+url.PathEscape(name)+`.ics"`)
	h.Set("Cache-Control", "private, no-store")
	return c.String(http.StatusOK, body)
}
