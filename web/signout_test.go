package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/cicpa/weiquan/article23"
)

// Signing out revokes the session's token: a copy of the cookie taken before sign-out no
// longer opens a page, it leads to sign-in.
func TestSignOutRevokesACopiedCookie(t *testing.T) {
	sys := newSystem(t)
	li := sys.browser()
	li.signIn(article23.RoleSecretary, "BJ", "")
	li.get("/inbox").must(t, http.StatusOK, "待办")
	base, _ := url.Parse(sys.srv.URL)
	copied := li.c.Jar.Cookies(base)
	li.post("/signout", nil)

	thief := sys.browser()
	thief.c.Jar.SetCookies(base, copied)
	p := thief.get("/inbox")
	if !strings.HasPrefix(p.url, "/signin") || strings.Contains(p.body, "待办</h1>") {
		t.Fatalf("a copied cookie after sign-out opened %s (%d)", p.url, p.status)
	}
}
