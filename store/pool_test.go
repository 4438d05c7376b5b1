package store

import (
	"context"
	"database/sql"
	"errors"
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
