package store

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"
)

// benchNow is the fixed "now" of the benchmark fixture, so figures are comparable across runs.
var benchNow = time.Date(2026, 6, 1, 4, 0, 0, 0, time.UTC)

var bench struct {
	once    sync.Once
	store   *Store
	numbers []string
	err     error
}

// benchStore opens schema bench_<N> at WEIQUAN_BENCH_DATABASE_URL, seeding N cases
// (WEIQUAN_BENCH_CASES, default 100000) the first time; later runs reuse it.
func benchStore(b *testing.B) (*Store, []string) {
	dsn := os.Getenv("WEIQUAN_BENCH_DATABASE_URL")
	if dsn == "" {
		b.Skip("WEIQUAN_BENCH_DATABASE_URL not set")
	}
	bench.once.Do(func() { bench.store, bench.numbers, bench.err = openBench(dsn) })
	if bench.err != nil {
		b.Fatal(bench.err)
	}
	return bench.store, bench.numbers
}

func openBench(dsn string) (*Store, []string, error) {
	ctx := context.Background()
	n := 100000
	if v := os.Getenv("WEIQUAN_BENCH_CASES"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil {
			return nil, nil, fmt.Errorf("WEIQUAN_BENCH_CASES: %w", err)
		}
	}
	schema := fmt.Sprintf("bench_%d", n)
	admin, err := Open(ctx, dsn)
	if err != nil {
		return nil, nil, err
	}
	defer admin.Close()
	if err := admin.db.Exec("CREATE SCHEMA IF NOT EXISTS " + schema).Error; err != nil {
		return nil, nil, err
	}
	s, err := Open(ctx, withSearchPath(dsn, schema))
	if err != nil {
		return nil, nil, err
	}
	if err := s.Migrate(ctx); err != nil {
		return nil, nil, err
	}
	var have int64
	if err := s.db.Table("cases").Count(&have).Error; err != nil {
		return nil, nil, err
	}
	if have == 0 {
		start := time.Now()
		if err := s.Seed(ctx, SeedOptions{Cases: n, Seed: 1, Now: benchNow}); err != nil {
			return nil, nil, err
		}
		if err := s.db.Exec("VACUUM ANALYZE").Error; err != nil {
			return nil, nil, err
		}
		fmt.Printf("seeded %d cases into %s in %v\n", n, schema, time.Since(start).Round(time.Second))
	} else if have != int64(n) {
		return nil, nil, fmt.Errorf("%s holds %d cases, want %d: drop the schema and rerun", schema, have, n)
	}
	var numbers []string
	err = s.db.Table("cases").Where("institute = ?", "BJ").Order("number").Limit(1000).Pluck("number", &numbers).Error
	return s, numbers, err
}

func BenchmarkCaseByNumber(b *testing.B) {
	s, numbers := benchStore(b)
	i := 0
	for b.Loop() {
		if _, err := s.Case(b.Context(), numbers[i%len(numbers)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func benchClocks(b *testing.B, query func(context.Context) ([]CaseClock, error)) {
	var rows int
	for b.Loop() {
		got, err := query(b.Context())
		if err != nil {
			b.Fatal(err)
		}
		rows = len(got)
	}
	b.ReportMetric(float64(rows), "rows")
}

func BenchmarkDueSoonInstitute(b *testing.B) {
	s, _ := benchStore(b)
	benchClocks(b, func(ctx context.Context) ([]CaseClock, error) {
		return s.DueSoon(ctx, []string{"BJ"}, benchNow.AddDate(0, 0, 7))
	})
}

func BenchmarkDueSoonNational(b *testing.B) {
	s, _ := benchStore(b)
	benchClocks(b, func(ctx context.Context) ([]CaseClock, error) {
		return s.DueSoon(ctx, nil, benchNow.AddDate(0, 0, 7))
	})
}

func BenchmarkBreachedInstitute(b *testing.B) {
	s, _ := benchStore(b)
	benchClocks(b, func(ctx context.Context) ([]CaseClock, error) { return s.Breached(ctx, []string{"BJ"}) })
}

func BenchmarkCompliance(b *testing.B) {
	s, _ := benchStore(b)
	for b.Loop() {
		if _, err := s.Compliance(b.Context(), "2025-06-01", "2026-05-31", nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkListCasesInstitutePage(b *testing.B) {
	s, _ := benchStore(b)
	for b.Loop() {
		if _, err := s.ListCases(b.Context(), CaseFilter{Institutes: []string{"BJ"}, Limit: 50}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCounts(b *testing.B) {
	s, _ := benchStore(b)
	for b.Loop() {
		if _, err := s.Counts(b.Context(), benchNow.AddDate(0, 0, 7)); err != nil {
			b.Fatal(err)
		}
	}
}
