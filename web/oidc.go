package web

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/cicpa/weiquan/auth"
)

// OIDCConfig is production sign-in: the authorisation-code flow with PKCE, state and nonce
// against the issuer whose tokens the API verifies.
type OIDCConfig struct {
	// Issuer is WEIQUAN_OIDC_ISSUER, the same issuer the API trusts.
	Issuer string
	// ClientID, ClientSecret and RedirectURL are the console's registration at the issuer
	// (WEIQUAN_OIDC_CLIENT_ID, WEIQUAN_OIDC_CLIENT_SECRET, WEIQUAN_OIDC_REDIRECT_URL); the
	// redirect URL's path is served as the callback.
	ClientID, ClientSecret, RedirectURL string
	// Scopes default to openid and profile.
	Scopes []string
	// Verify checks a token exactly as the API will (the API's OIDC verifier): the console
	// keeps the first of the access token and the ID token that it accepts.
	Verify func(token string) (auth.Claims, error)
	// HTTPClient talks to the issuer (default: 10 s timeout).
	HTTPClient *http.Client
}

// oidcClient discovers the issuer on first use, so the console starts while it is down.
type oidcClient struct {
	cfg      OIDCConfig
	mu       sync.Mutex
	provider *oidc.Provider
}

func newOIDCClient(cfg OIDCConfig) *oidcClient {
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 10 * time.Second}
	}
	if len(cfg.Scopes) == 0 {
		cfg.Scopes = []string{oidc.ScopeOpenID, "profile"}
	}
	return &oidcClient{cfg: cfg}
}

func (o *oidcClient) ctx(ctx context.Context) context.Context {
	return oidc.ClientContext(ctx, o.cfg.HTTPClient)
}

// oauth returns the OAuth 2 configuration and the provider, discovering it if needed.
func (o *oidcClient) oauth(ctx context.Context) (*oauth2.Config, *oidc.Provider, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.provider == nil {
		p, err := oidc.NewProvider(o.ctx(ctx), o.cfg.Issuer)
		if err != nil {
			return nil, nil, fmt.Errorf("web: OIDC discovery: %w", err)
		}
		o.provider = p
	}
	return &oauth2.Config{ClientID: o.cfg.ClientID, ClientSecret: o.cfg.ClientSecret, RedirectURL: o.cfg.RedirectURL,
		Endpoint: o.provider.Endpoint(), Scopes: o.cfg.Scopes}, o.provider, nil
}

// oidcFlow is the sealed cookie of one sign-in in progress.
type oidcFlow struct {
	State, Nonce, Verifier, Next string
	Expires                      int64
}

// callbackPath is the path of the redirect URL (default /auth/callback).
func (c *Console) callbackPath() string {
	if c.deps.OIDC != nil {
		if u, err := url.Parse(c.deps.OIDC.RedirectURL); err == nil && u.Path != "" {
			return u.Path
		}
	}
	return "/auth/callback"
}

// handleOIDCStart sends the browser to the issuer with a fresh state, nonce and PKCE challenge.
func (c *Console) handleOIDCStart(w http.ResponseWriter, r *http.Request, s *session) {
	if c.oidc == nil {
		c.fail(w, r, s, http.StatusNotFound, "error.not_found")
		return
	}
	cfg, _, err := c.oidc.oauth(r.Context())
	if err != nil {
		c.log.Error("web: OIDC", "error", err)
		c.fail(w, r, s, http.StatusBadGateway, "error.oidc")
		return
	}
	f := oidcFlow{State: randomString(24), Nonce: randomString(24), Verifier: oauth2.GenerateVerifier(),
		Next: safeNext(r.URL.Query().Get("next")), Expires: c.deps.Now().Add(10 * time.Minute).Unix()}
	c.setCookie(w, oidcCookie, f, 600)
	http.Redirect(w, r, cfg.AuthCodeURL(f.State, oidc.Nonce(f.Nonce), oauth2.S256ChallengeOption(f.Verifier)), http.StatusFound)
}

// handleOIDCCallback checks state, redeems the code with the PKCE verifier, checks the ID
// token (signature, issuer, audience, expiry, nonce) and starts the session.
func (c *Console) handleOIDCCallback(w http.ResponseWriter, r *http.Request, s *session) {
	var f oidcFlow
	ck, err := r.Cookie(oidcCookie)
	c.clearCookie(w, oidcCookie)
	q := r.URL.Query()
	switch {
	case c.oidc == nil:
		c.fail(w, r, s, http.StatusNotFound, "error.not_found")
		return
	case err != nil || c.seal.open(oidcCookie, ck.Value, &f) != nil || f.Expires < c.deps.Now().Unix(),
		subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(f.State)) != 1:
		c.fail(w, r, s, http.StatusBadRequest, "error.oidc_state")
		return
	case q.Get("error") != "" || q.Get("code") == "":
		c.fail(w, r, s, http.StatusUnauthorized, "error.oidc_denied")
		return
	}
	sess, err := c.redeem(r.Context(), q.Get("code"), f)
	if err != nil {
		c.log.Warn("web: OIDC sign-in refused", "error", err)
		c.fail(w, r, s, http.StatusUnauthorized, "error.oidc")
		return
	}
	c.saveSession(w, sess)
	c.afterSignin(w, r, f.Next, sess.Role)
}

func (c *Console) redeem(ctx context.Context, code string, f oidcFlow) (session, error) {
	cfg, p, err := c.oidc.oauth(ctx)
	if err != nil {
		return session{}, err
	}
	tok, err := cfg.Exchange(c.oidc.ctx(ctx), code, oauth2.VerifierOption(f.Verifier))
	if err != nil {
		return session{}, fmt.Errorf("exchange: %w", err)
	}
	raw, _ := tok.Extra("id_token").(string)
	idt, err := p.Verifier(&oidc.Config{ClientID: c.oidc.cfg.ClientID, Now: c.deps.Now}).Verify(c.oidc.ctx(ctx), raw)
	if err != nil {
		return session{}, fmt.Errorf("id token: %w", err)
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(f.Nonce)) != 1 {
		return session{}, errors.New("id token: nonce does not match")
	}
	return c.apiSession(tok.AccessToken, raw)
}

// apiSession keeps the first token the API will accept, with its claims.
func (c *Console) apiSession(tokens ...string) (session, error) {
	if c.oidc.cfg.Verify == nil {
		return session{}, errors.New("OIDCConfig.Verify is not set")
	}
	var errs []error
	for _, t := range tokens {
		if t == "" {
			continue
		}
		cl, err := c.oidc.cfg.Verify(t)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		var exp time.Time
		if cl.ExpiresAt != nil {
			exp = cl.ExpiresAt.Time
		}
		return session{Token: t, Subject: cl.Subject, Role: cl.Role, Institute: cl.Institute, MemberNo: cl.MemberNo,
			Name: cl.Name, Expires: expiresIn(exp, c.deps.Now())}, nil
	}
	return session{}, fmt.Errorf("no token the API accepts: %w", errors.Join(errs...))
}
