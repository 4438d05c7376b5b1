package store

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"strings"
	"testing"
	"time"
)

// TestPoolReusesConnections: a process holds at most maxConns connections, and connections
// given back are kept for the next caller instead of closed (database/sql keeps only two idle
// unless told, so every other concurrent transaction opened a new connection: on PostgreSQL a
// new server process).
func TestPoolReusesConnections(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		db, err := s.db.DB()
		if err != nil {
			t.Fatal(err)
		}
		ctx := t.Context()
		held := hold(t, db, maxConns)
		short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
		defer cancel()
		if c, err := db.Conn(short); !errors.Is(err, context.DeadlineExceeded) {
			if c != nil {
				_ = c.Close()
			}
			t.Fatalf("connection %d: %v; want to wait for one of the %d in use", maxConns+1, err, maxConns)
		}
		release(held)
		before := db.Stats()
		for range 5 {
			release(hold(t, db, maxConns/2))
		}
		st := db.Stats()
		if closed := st.MaxIdleClosed - before.MaxIdleClosed; closed != 0 {
			t.Fatalf("%d connections closed for want of idle room between uses of %d (%+v)", closed, maxConns/2, st)
		}
		if st.OpenConnections != maxConns || st.Idle != maxConns {
			t.Fatalf("%d connections open, %d idle after the uses; want all %d kept", st.OpenConnections, st.Idle, maxConns)
		}
	})
}

// hold takes n connections of db at once.
func hold(t *testing.T, db *sql.DB, n int) []*sql.Conn {
	t.Helper()
	conns := make([]*sql.Conn, n)
	for i := range conns {
		c, err := db.Conn(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if err := c.PingContext(t.Context()); err != nil {
			t.Fatal(err)
		}
		conns[i] = c
	}
	return conns
}

func release(conns []*sql.Conn) {
	for _, c := range conns {
		_ = c.Close()
	}
}

// TestPoolSizeFromDSN: DATABASE_URL's pool_max_conns sets the pool's size and reaches neither
// driver (pgx would send it to the server as a setting); a bad value is refused by name.
func TestPoolSizeFromDSN(t *testing.T) {
	dsns := map[string]string{"sqlite": "sqlite://" + t.TempDir() + "/w.db?_pragma=cache_size(-2000)&pool_max_conns=3"}
	if url := os.Getenv("WEIQUAN_TEST_DATABASE_URL"); url != "" {
		sep := "?"
		if strings.Contains(url, "?") {
			sep = "&"
		}
		dsns["postgres"] = url + sep + "pool_max_conns=3"
	}
	for name, dsn := range dsns {
		t.Run(name, func(t *testing.T) {
			s, err := Open(t.Context(), dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			db, _ := s.db.DB()
			if got := db.Stats().MaxOpenConnections; got != 3 {
				t.Fatalf("pool of %d, want 3", got)
			}
		})
	}
	for _, bad := range []string{"0", "x", "1001", ""} {
		_, err := Open(t.Context(), "sqlite://"+t.TempDir()+"/w.db?pool_max_conns="+bad)
		if err == nil || !strings.Contains(err.Error(), "DATABASE_URL: pool_max_conns") {
			t.Errorf("pool_max_conns=%q: %v", bad, err)
		}
	}
	for in, want := range map[string]string{
		"postgres://h/db":                                  "postgres://h/db",
		"postgres://h/db?pool_max_conns=5":                 "postgres://h/db",
		"postgres://h/db?sslmode=disable&pool_max_conns=5": "postgres://h/db?sslmode=disable",
		"sqlite://a.db?_pragma=x(1)&pool_max_conns=5&b=2":  "sqlite://a.db?_pragma=x(1)&b=2",
	} {
		if got, _, err := takePoolSize(in); err != nil || got != want {
			t.Errorf("takePoolSize(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}
