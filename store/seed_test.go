package store

import (
	"testing"
	"time"
)

func TestSeed(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		now := time.Date(2026, 6, 1, 4, 0, 0, 0, time.UTC)
		if err := s.Seed(ctx, SeedOptions{Cases: 1500, Seed: 7, Now: now}); err != nil {
			t.Fatal(err)
		}
		if n := countRows(t, s, "cases"); n != 1500 {
			t.Fatalf("%d cases, want 1500", n)
		}
		if n := countRows(t, s, "events"); n != 1500 {
			t.Fatalf("%d events, want 1500", n)
		}
		counts, err := s.Counts(ctx, nil, now.AddDate(0, 0, 7))
		if err != nil || len(counts) < 10 {
			t.Fatalf("counts over the fixture: %+v %v", counts, err)
		}
		big, small := countOf(counts, "BJ"), countOf(counts, "QH")
		if big <= small {
			t.Errorf("BJ has %d open cases, QH %d: the big institutes should carry more", big, small)
		}
		rows, err := s.Compliance(ctx, "2025-01-01", "2025-12-31", nil)
		if err != nil || len(rows) == 0 || rows[0].MedianWorkdaysUsed == nil {
			t.Fatalf("compliance over the fixture: %+v %v", rows, err)
		}
		if page, err := s.ListCases(ctx, CaseFilter{Query: "拖欠", Limit: 5}); err != nil || len(page.Cases) != 5 {
			t.Fatalf("search over the fixture: %d, %v", len(page.Cases), err)
		}
		// numbers continue after the fixture's
		before := countRows(t, s, "cases")
		if err := s.Seed(ctx, SeedOptions{Cases: 10, Seed: 7, Now: now}); err != nil {
			t.Fatalf("second seed: %v", err)
		}
		if n := countRows(t, s, "cases"); n != before+10 {
			t.Fatalf("second seed added %d", n-before)
		}
		number, _, err := s.ReserveCase(ctx, Reservation{Institute: "BJ", Year: 2026})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Case(ctx, number); err == nil {
			t.Fatalf("ReserveCase handed out %s, a seeded number", number)
		}
	})
}

func countOf(counts []InstituteCounts, code string) int64 {
	for _, c := range counts {
		if c.Institute == code {
			return c.Open
		}
	}
	return 0
}
