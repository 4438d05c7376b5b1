package web

import "testing"

// A destination after sign-in (or a form) stays on this site, however a browser would read it.
func TestSafeNext(t *testing.T) {
	for next, want := range map[string]string{
		"/cases/BJ-2026-0001":   "/cases/BJ-2026-0001",
		"/inbox?tab=mine":       "/inbox?tab=mine",
		"/notifications#n-3":    "/notifications#n-3",
		"":                      "",
		"cases":                 "",
		"//evil.example/":       "",
		"/\\evil.example/":      "",
		"/\t/evil.example/":     "",
		"/\n/evil.example/":     "",
		"/\r\n/evil.example":    "",
		"/ /evil.example":       "",
		"https://evil.example/": "",
		"/%2F/evil.example":     "",
		"\\\\evil.example":      "",
		"/cases/x\x00":          "",
		"/cases\x7f":            "",
		"javascript:alert(1)":   "",
		"/\u3000/evil.example":  "/\u3000/evil.example", // an ideographic space is not dropped by browsers: a path here
	} {
		if got := safeNext(next); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", next, got, want)
		}
	}
}
