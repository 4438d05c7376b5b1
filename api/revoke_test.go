package api

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// Signing out revokes the token: the same token is refused afterwards, another is not.
func TestRevokeOwnToken(t *testing.T) {
	a := newTestAPI(t)
	tok := a.token(secretaryBJ)
	call := func(method, path string) int {
		req := httptest.NewRequest(method, path, nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		rec := httptest.NewRecorder()
		a.srv.Handler().ServeHTTP(rec, req)
		return rec.Code
	}
	if code := call("GET", "/api/v1/tasks"); code != http.StatusOK {
		t.Fatalf("before: %d", code)
	}
	if code := call("POST", "/api/v1/session/revocation"); code != http.StatusNoContent {
		t.Fatalf("revoke: %d", code)
	}
	if code := call("GET", "/api/v1/tasks"); code != http.StatusUnauthorized {
		t.Fatalf("a revoked token: %d", code)
	}
	a.setNow(a.clock().Add(2 * time.Second)) // another token of the same person (issued at another second)
	a.do(secretaryBJ, "GET", "/api/v1/tasks", nil).want(http.StatusOK)
}
