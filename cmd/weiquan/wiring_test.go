package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cicpa/weiquan/notify"
	"github.com/cicpa/weiquan/store"
	"github.com/cicpa/weiquan/store/storetest"
)

// TestNeverMigratedDatabase: api and worker on a database nobody migrated say how many
// migrations it lacks and what to run, on SQLite and (with WEIQUAN_TEST_DATABASE_URL) PostgreSQL;
// once migrated the same database opens.
func TestNeverMigratedDatabase(t *testing.T) {
	dsns := map[string]string{store.DialectSQLite: "sqlite://" + filepath.Join(t.TempDir(), "weiquan.db")}
	if url := storetest.PostgresURL(); url != "" {
		dsns[store.DialectPostgres] = freshSchema(t, url)
	}
	for dialect, dsn := range dsns {
		t.Run(dialect, func(t *testing.T) {
			all, err := store.Migrations(dialect)
			if err != nil {
				t.Fatal(err)
			}
			want := fmt.Sprintf("DATABASE_URL: schema has 0 of %d migrations; run `weiquan migrate` first", len(all))
			if st, err := openStore(t.Context(), dsn, false); err == nil || err.Error() != want {
				closeIf(st)
				t.Fatalf("never migrated: %v, want %q", err, want)
			}
			st, err := openStore(t.Context(), dsn, true)
			if err != nil {
				t.Fatalf("migrate: %v", err)
			}
			closeIf(st)
			st, err = openStore(t.Context(), dsn, false)
			if err != nil {
				t.Fatalf("after migrate: %v", err)
			}
			closeIf(st)
		})
	}
}

func closeIf(st *store.Store) {
	if st != nil {
		_ = st.Close()
	}
}

// freshSchema returns url pointed at a new empty schema, dropped when the test ends.
func freshSchema(t *testing.T, url string) string {
	t.Helper()
	admin, err := store.Open(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	if err := admin.CreateSchema(t.Context(), schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = admin.DropSchema(context.Background(), schema)
		_ = admin.Close()
	})
	sep := "?"
	if strings.Contains(url, "?") {
		sep = "&"
	}
	return url + sep + "search_path=" + schema
}

// TestLettersOffIsNoSource: with letters off (no fonts), the API and the recorder get no source
// at all, not a nil *notify.Letters inside an interface, which they could not tell from one.
func TestLettersOffIsNoSource(t *testing.T) {
	if documentSource(nil) != nil || noticeIssuer(nil) != nil {
		t.Fatal("a nil *notify.Letters was passed on inside an interface")
	}
	l := &notify.Letters{}
	if documentSource(l) != l || noticeIssuer(l) != l {
		t.Fatal("the letters were not passed on")
	}
}
