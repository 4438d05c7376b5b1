// Package testenv is what tests do when the machine lacks a system package they need (a font,
// poppler-utils, chromium, the PostgreSQL binaries), and how they wait for something to happen
// without a deadline of their own.
package testenv

import (
	"os"
	"testing"
)

// Missing ends a test whose system package is not installed: it skips, saying what to install,
// except under CI=true, where .ci/run has installed every such package and a skip would hide a
// broken install step, so it fails.
func Missing(t testing.TB, format string, args ...any) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf(format, args...)
	}
	t.Skipf(format, args...)
}
