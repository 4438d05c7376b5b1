package api

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"golang.org/x/time/rate"

	"github.com/cicpa/weiquan/auth"
	"github.com/cicpa/weiquan/store"
)

// TokenVerifier checks a bearer token and returns its claims; auth.HS256Verifier and
// *OIDCVerifier implement it. Every refusal wraps auth.ErrInvalidToken.
type TokenVerifier interface {
	Verify(token string) (auth.Claims, error)
}

const (
	claimsKey = "weiquan.claims"
	tokenKey  = "weiquan.token"
)

// tokenHash is how a revoked token is kept: its SHA-256, never the token.
func tokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// handleRevoke revokes the caller's own token until it expires (signing out): 204, and the
// token is refused from then on, wherever a copy of it is.
func (s *Server) handleRevoke(c echo.Context) error {
	token, _ := c.Get(tokenKey).(string)
	until := s.deps.Now().Add(24 * time.Hour)
	if exp := claimsOf(c).ExpiresAt; exp != nil {
		until = exp.Time
	}
	if err := s.deps.Store.RevokeToken(c.Request().Context(), tokenHash(token), until); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// authenticate requires a valid bearer token and puts its claims on the context.
func (s *Server) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		scheme, token, ok := strings.Cut(c.Request().Header.Get(echo.HeaderAuthorization), " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
			return unauthenticated(c, "send Authorization: Bearer <token>")
		}
		if s.deps.Verifier == nil {
			return unauthenticated(c, "no token verifier is configured")
		}
		token = strings.TrimSpace(token)
		cl, err := s.deps.Verifier.Verify(token)
		if err != nil {
			return unauthenticated(c, err.Error())
		}
		revoked, err := s.deps.Store.TokenRevoked(c.Request().Context(), tokenHash(token))
		if err != nil {
			return err
		}
		if revoked {
			return unauthenticated(c, "this token was revoked (its session signed out)")
		}
		c.Set(tokenKey, token)
		known, err := s.knownInstitute(c.Request().Context(), cl.Institute)
		if err != nil {
			return err
		}
		if !known {
			return unauthenticated(c, "the token's institute "+cl.Institute+" is not an institute")
		}
		active, err := s.see(c.Request().Context(), cl)
		if err != nil {
			return err
		}
		if !active {
			return problem(http.StatusForbidden, "account_deactivated", "this account was deactivated by an administrator")
		}
		c.Set(claimsKey, cl)
		return next(c)
	}
}

func unauthenticated(c echo.Context, detail string) error {
	c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="weiquan"`)
	return problem(http.StatusUnauthorized, "unauthenticated", detail)
}

// claimsOf returns the caller's verified claims (set by authenticate).
func claimsOf(c echo.Context) auth.Claims {
	cl, _ := c.Get(claimsKey).(auth.Claims)
	return cl
}

// rateLimit limits each token subject (after authenticate) to a steady rate with a burst. A
// console page is charged once: its later in-process calls (auth.ConsolePage, set only by
// the console in this process) pass, so reloading a page that reads several resources is one
// request, as it is for the person reloading it.
func (s *Server) rateLimit() echo.MiddlewareFunc {
	return s.rateLimitBy(func(c echo.Context) string { return claimsOf(c).Subject })
}

// feedRateLimit limits each calendar feed token (the credential of the /feeds routes, which
// have no bearer token) as rateLimit limits a token subject.
func (s *Server) feedRateLimit() echo.MiddlewareFunc {
	return s.rateLimitBy(func(c echo.Context) string { return "feed " + tokenHash(c.Param("token")) })
}

// rateLimitBy limits the requests of each caller that id tells apart.
func (s *Server) rateLimitBy(id func(echo.Context) string) echo.MiddlewareFunc {
	r, burst := s.deps.RatePerSecond, s.deps.Burst
	if r <= 0 {
		r = 10
	}
	if burst <= 0 {
		burst = 30
	}
	return middleware.RateLimiterWithConfig(middleware.RateLimiterConfig{
		Skipper: func(c echo.Context) bool {
			p := auth.ConsolePageOf(c.Request().Context())
			return p != nil && !p.FirstCall()
		},
		Store: middleware.NewRateLimiterMemoryStoreWithConfig(middleware.RateLimiterMemoryStoreConfig{
			Rate: rate.Limit(r), Burst: burst, ExpiresIn: 3 * time.Minute}),
		IdentifierExtractor: func(c echo.Context) (string, error) { return id(c), nil },
		DenyHandler: func(c echo.Context, id string, err error) error {
			c.Response().Header().Set("Retry-After", strconv.Itoa(max(1, int(1/r))))
			return problem(http.StatusTooManyRequests, "rate_limited", fmt.Sprintf("more than %g requests per second; slow down", r))
		},
	})
}

// knownInstitute reports whether code is an institute. The institutes are reference data
// (migration 0003), read once and kept.
func (s *Server) knownInstitute(ctx context.Context, code string) (bool, error) {
	all, err := s.allInstitutes(ctx)
	_, ok := all[code]
	return ok, err
}

// allInstitutes returns every institute by code, read once and kept.
func (s *Server) allInstitutes(ctx context.Context) (map[string]store.Institute, error) {
	s.instMu.Lock()
	defer s.instMu.Unlock()
	if s.institutes == nil {
		all, err := s.deps.Store.Institutes(ctx)
		if err != nil {
			return nil, err
		}
		s.institutes = make(map[string]store.Institute, len(all))
		for _, in := range all {
			s.institutes[in.Code] = in
		}
	}
	return s.institutes, nil
}
