package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cicpa/weiquan/auth"
	"github.com/cicpa/weiquan/store"
)

func runArgs(args ...string) (string, string, error) {
	var out, errb bytes.Buffer
	err := run(context.Background(), args, &out, &errb)
	return out.String(), errb.String(), err
}

func TestTokenFromDevDataDir(t *testing.T) {
	dir := t.TempDir()
	key, err := ensureDevKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := ensureDevKey(dir)
	if !bytes.Equal(key, again) {
		t.Fatal("the dev key changed on the second start")
	}
	out, _, err := runArgs("token", "--data-dir", dir, "--role", "member", "--institute", "BJ", "--member", "110000000001")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	c, err := auth.HS256Verifier{Key: key}.Verify(lines[len(lines)-1])
	if err != nil {
		t.Fatalf("the printed token does not verify with the data dir's key: %v", err)
	}
	if c.Role != "member" || c.Institute != "BJ" || c.MemberNo != "110000000001" {
		t.Fatalf("claims %+v", c)
	}
}

func TestUsageErrors(t *testing.T) {
	dir := t.TempDir()
	_, _ = ensureDevKey(dir)
	tests := map[string][]string{
		"no command":      {},
		"unknown command": {"frobnicate"},
		"member no num":   {"token", "--data-dir", dir, "--role", "member", "--institute", "BJ"},
		"bad flag":        {"token", "--colour", "red"},
		"bad seed count":  {"seed", "--database-url", "sqlite://" + filepath.Join(dir, "x.db"), "--cases", "0"},
		"bad seed day":    {"seed", "--database-url", "sqlite://" + filepath.Join(dir, "x.db"), "--now", "2026-02-30"},
		"bad date":        {"calendar", "due", "--from", "2026-13-01", "--workdays", "5"},
	}
	for name, args := range tests {
		t.Run(name, func(t *testing.T) {
			_, _, err := runArgs(args...)
			var ue usageError
			if !errors.As(err, &ue) {
				t.Fatalf("want a usage error (exit 2), got %v", err)
			}
		})
	}
	if _, _, err := runArgs("token", "--data-dir", t.TempDir(), "--role", "admin", "--institute", "CICPA"); err == nil || !strings.Contains(err.Error(), "has `weiquan dev --data-dir") {
		t.Errorf("missing dev key: %v", err)
	}
}

func TestMigrateTwiceAndSeed(t *testing.T) {
	dsn := "sqlite://" + filepath.Join(t.TempDir(), "w.db")
	for i := 0; i < 2; i++ {
		out, _, err := runArgs("migrate", "--database-url", dsn)
		if err != nil || !strings.Contains(out, "schema up to date (sqlite)") {
			t.Fatalf("run %d: %q %v", i+1, out, err)
		}
	}
	out, _, err := runArgs("seed", "--database-url", dsn, "--cases", "50", "--now", "2026-11-27")
	if err != nil || !strings.Contains(out, "seeded 50 cases") {
		t.Fatalf("seed: %q %v", out, err)
	}
	// The same seed and day give the same cases.
	dsn2 := "sqlite://" + filepath.Join(t.TempDir(), "w2.db")
	if _, _, err := runArgs("seed", "--database-url", dsn2, "--cases", "50", "--now", "2026-11-27"); err != nil {
		t.Fatal(err)
	}
	if a, b := seededCases(t, dsn), seededCases(t, dsn2); a != b {
		t.Fatalf("seeding is not deterministic:\n%s\n%s", a, b)
	}
	if _, _, err := runArgs("migrate", "--database-url", "mysql://x"); err == nil || !strings.Contains(err.Error(), "DATABASE_URL") {
		t.Fatalf("bad url: %v", err)
	}
}

func TestCalendarAndVersion(t *testing.T) {
	out, _, err := runArgs("calendar", "due", "--from", "2026-11-27", "--workdays", "60")
	if err != nil || !strings.HasPrefix(out, "2027-02-26\n") {
		t.Fatalf("calendar due: %q %v", out, err)
	}
	out, _, err = runArgs("version")
	if err != nil || !strings.HasPrefix(out, "weiquan ") {
		t.Fatalf("version: %q %v", out, err)
	}
}

func TestProductionProcessesRefuseBadConfig(t *testing.T) {
	t.Setenv("DATABASE_URL", "")
	t.Setenv("WEIQUAN_SIGNING_KEY", "")
	_, _, err := runArgs("api")
	if err == nil || !strings.Contains(err.Error(), "DATABASE_URL: not set") {
		t.Fatalf("api without config: %v", err)
	}
	t.Setenv("WEIQUAN_BLOB_DIR", t.TempDir())
	t.Setenv("WEIQUAN_PAYLOAD_KEYS", "none")
	t.Setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:1/none?sslmode=disable&connect_timeout=2")
	_, _, err = runArgs("worker")
	if err == nil || !strings.Contains(err.Error(), "DATABASE_URL: cannot connect") {
		t.Fatalf("worker with unreachable database: %v", err)
	}
}

// seededCases lists a seeded database's cases as text, for comparing two seedings.
func seededCases(t *testing.T, dsn string) string {
	t.Helper()
	st, err := store.Open(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	page, err := st.ListCases(t.Context(), store.CaseFilter{Limit: 500})
	if err != nil || len(page.Cases) != 50 {
		t.Fatalf("list: %d cases, %v", len(page.Cases), err)
	}
	var b strings.Builder
	for _, c := range page.Cases {
		fmt.Fprintf(&b, "%s %s %s %s %s\n", c.Number, c.Stage, c.ReceivedOn, c.Applicant.Name, c.Counterparty)
	}
	return b.String()
}
