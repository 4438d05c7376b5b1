package store

import (
	"context"
	"sync"
	"testing"
)

// TestPoolReusesConnections: concurrent readers beyond database/sql's default of two idle
// connections get pooled connections back instead of each opening a new one (on PostgreSQL a
// server process each), and a burst never holds more than maxConns open.
func TestPoolReusesConnections(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		sqlDB, err := s.db.DB()
		if err != nil {
			t.Fatal(err)
		}
		burst := func(n int) {
			var wg sync.WaitGroup
			for range n {
				wg.Go(func() {
					// pg_sleep / a recursive count keeps each connection busy long enough to overlap
					if err := s.db.WithContext(context.Background()).Exec(holdQuery(s.dialect)).Error; err != nil {
						t.Error(err)
					}
				})
			}
			wg.Wait()
		}
		burst(3 * maxConns)
		st := sqlDB.Stats()
		if st.MaxOpenConnections != maxConns || st.OpenConnections > maxConns {
			t.Fatalf("after a burst of %d: %d open, limit %d; want at most %d", 3*maxConns, st.OpenConnections, st.MaxOpenConnections, maxConns)
		}
		if st.WaitCount == 0 {
			t.Fatalf("a burst of %d never waited for a connection: the limit did not hold (%+v)", 3*maxConns, st)
		}
		before := st
		for range 5 {
			burst(maxConns / 2)
		}
		st = sqlDB.Stats()
		if closed := st.MaxIdleClosed - before.MaxIdleClosed; closed != 0 {
			t.Fatalf("%d connections closed for want of idle room between bursts of %d (%+v)", closed, maxConns/2, st)
		}
		if st.OpenConnections < maxConns/2 {
			t.Fatalf("only %d connections kept open after bursts of %d", st.OpenConnections, maxConns/2)
		}
	})
}

// holdQuery keeps a connection busy for a few milliseconds.
func holdQuery(dialect string) string {
	if dialect == DialectPostgres {
		return "SELECT pg_sleep(0.02)"
	}
	return "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x < 200000) SELECT count(*) FROM c"
}
