package config

import (
	"fmt"
	"net/url"
	"strings"
)

// Console is how the web console signs people in and keeps their sessions.
type Console struct {
	PublicURL        string // WEIQUAN_PUBLIC_URL: where people reach weiquan; https:// makes cookies Secure
	OIDCClientID     string // WEIQUAN_OIDC_CLIENT_ID: the console's registration at WEIQUAN_OIDC_ISSUER
	OIDCClientSecret string // WEIQUAN_OIDC_CLIENT_SECRET
	OIDCRedirectURL  string // WEIQUAN_OIDC_REDIRECT_URL (default PublicURL + /auth/callback)
	SessionKey       []byte // WEIQUAN_SESSION_KEY or _FILE: seals session cookies; random per process when empty
}

// SecureCookies reports whether session cookies must only travel over HTTPS.
func (c Console) SecureCookies() bool { return strings.HasPrefix(c.PublicURL, "https://") }

// consoleVars are the console's environment variables (part of Vars).
var consoleVars = []string{"WEIQUAN_PUBLIC_URL", "WEIQUAN_OIDC_CLIENT_ID", "WEIQUAN_OIDC_CLIENT_SECRET",
	"WEIQUAN_OIDC_REDIRECT_URL", "WEIQUAN_SESSION_KEY", "WEIQUAN_SESSION_KEY_FILE"}

func consoleFromEnv(get func(k, def string) string) (Console, error) {
	c := Console{
		PublicURL:        strings.TrimSuffix(get("WEIQUAN_PUBLIC_URL", "http://localhost:8080"), "/"),
		OIDCClientID:     get("WEIQUAN_OIDC_CLIENT_ID", ""),
		OIDCClientSecret: get("WEIQUAN_OIDC_CLIENT_SECRET", ""),
	}
	c.OIDCRedirectURL = get("WEIQUAN_OIDC_REDIRECT_URL", c.PublicURL+"/auth/callback")
	if u, err := url.Parse(c.PublicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return c, fmt.Errorf("WEIQUAN_PUBLIC_URL: want http(s)://host[:port], got %q", c.PublicURL)
	}
	key, err := keySetting("WEIQUAN_SESSION_KEY", get("WEIQUAN_SESSION_KEY", ""), get("WEIQUAN_SESSION_KEY_FILE", ""))
	if err != nil {
		return c, err
	}
	c.SessionKey = key
	return c, nil
}
