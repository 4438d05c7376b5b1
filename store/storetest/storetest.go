// Package storetest opens isolated, migrated stores for tests in other packages: a SQLite
// file in the test's temp dir, or a fresh PostgreSQL schema dropped when the test ends.
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cicpa/weiquan/store"
)

// PostgresURL is the database the PostgreSQL suites use, from WEIQUAN_TEST_DATABASE_URL;
// "" means the suite is skipped (.ci/run sets it, and fails when PostgreSQL is down).
func PostgresURL() string { return os.Getenv("WEIQUAN_TEST_DATABASE_URL") }

// SQLite returns a migrated store on a fresh SQLite file.
func SQLite(t testing.TB) *store.Store {
	t.Helper()
	return open(t, "sqlite://"+filepath.Join(t.TempDir(), "weiquan.db"))
}

// Postgres returns a migrated store in a fresh schema of the database at url.
func Postgres(t testing.TB, url string) *store.Store {
	t.Helper()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	admin := open(t, url)
	if err := admin.CreateSchema(t.Context(), schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = admin.DropSchema(context.Background(), schema) })
	sep := "?"
	if strings.Contains(url, "?") {
		sep = "&"
	}
	return open(t, url+sep+"search_path="+schema)
}

func open(t testing.TB, dsn string) *store.Store {
	t.Helper()
	s, err := store.Open(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	if err := s.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	return s
}
