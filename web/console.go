// Package web is weiquan's console: server-rendered pages for members, secretaries,
// supervisors and the operator. It is a client of the JSON API, called in process: every
// page reads and every form writes through the API handler with the session's bearer
// token, so authorisation, validation, error codes and idempotency live in one place.
package web

import (
	"crypto/rand"
	"embed"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/cicpa/weiquan/auth"
)

//go:embed templates static i18n
var assets embed.FS

// Deps is what the console needs from the process.
type Deps struct {
	// API is the JSON API (api.Server.Handler()); the console calls it in process.
	API http.Handler
	// Mint signs development tokens; when set, /signin offers a development sign-in.
	// Leave nil in production.
	Mint func(auth.MintOptions) (string, error)
	// OIDC configures production sign-in (authorisation code with PKCE); optional.
	OIDC *OIDCConfig
	// SessionKey seals session cookies: 32 or more random bytes. Empty means a random key
	// per process (sessions end at restart).
	SessionKey []byte
	// Secure marks cookies Secure (serve over HTTPS).
	Secure bool
	// Logger receives request failures (default slog.Default()).
	Logger *slog.Logger
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// Console is the web console.
type Console struct {
	deps  Deps
	log   *slog.Logger
	seal  sealer
	cat   catalogue
	pages pages
	oidc  *oidcClient
	mux   *http.ServeMux
}

// New builds the console. It panics only if its embedded templates or catalogues are
// broken, which the package's tests rule out.
func New(d Deps) *Console {
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if len(d.SessionKey) == 0 {
		d.SessionKey = make([]byte, 32)
		_, _ = rand.Read(d.SessionKey)
		d.Logger.Warn("web: no session key configured; sessions end when the process restarts")
	}
	c := &Console{deps: d, log: d.Logger, seal: newSealer(d.SessionKey), cat: mustCatalogue(), mux: http.NewServeMux()}
	c.pages = mustPages()
	if d.OIDC != nil {
		c.oidc = newOIDCClient(*d.OIDC)
	}
	c.routes()
	return c
}

// apiPrefixes are the paths the API serves; Handler forwards them to Deps.API.
var apiPrefixes = []string{"/api/", "/codec/", "/healthz", "/readyz", "/metrics"}

// Handler serves the console and forwards the API's own paths to Deps.API, so one
// handler serves the whole HTTP surface.
func (c *Console) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, p := range apiPrefixes {
			if strings.HasPrefix(r.URL.Path, p) && c.deps.API != nil {
				c.deps.API.ServeHTTP(w, r)
				return
			}
		}
		c.serve(w, r)
	})
}

// serve runs the console's mux behind its security headers and the language cookie.
func (c *Console) serve(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'")
	if l := r.URL.Query().Get("lang"); l == "zh" || l == "en" {
		http.SetCookie(w, &http.Cookie{Name: "lang", Value: l, Path: "/", MaxAge: 365 * 24 * 3600, HttpOnly: true,
			SameSite: http.SameSiteLaxMode, Secure: c.deps.Secure})
	}
	c.mux.ServeHTTP(w, r)
}

// staticFS is the embedded static directory.
func staticFS() fs.FS {
	sub, err := fs.Sub(assets, "static")
	if err != nil {
		panic(err) // the directory is embedded
	}
	return sub
}
