package store

import (
	"errors"
	"sync"
	"testing"
)

func TestReserveCase(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		steps := []struct {
			r        Reservation
			number   string
			existing bool
			err      error
		}{
			{Reservation{Institute: "BJ", Year: 2026}, "BJ-2026-0001", false, nil},
			{Reservation{Institute: "BJ", Year: 2026, IdempotencyKey: "k1", RequestHash: "h1"}, "BJ-2026-0002", false, nil},
			{Reservation{Institute: "BJ", Year: 2026, IdempotencyKey: "k1", RequestHash: "h1"}, "BJ-2026-0002", true, nil},
			{Reservation{Institute: "BJ", Year: 2026, IdempotencyKey: "k1", RequestHash: "h2"}, "", false, ErrIdempotencyConflict},
			{Reservation{Institute: "BJ", Year: 2027}, "BJ-2027-0001", false, nil},
			{Reservation{Institute: "SZ", Year: 2026}, "SZ-2026-0001", false, nil},
			{Reservation{Institute: "BJ", Year: 2026}, "BJ-2026-0003", false, nil},
			{Reservation{Institute: "XX", Year: 2026}, "", false, ErrNotFound},
		}
		for i, st := range steps {
			number, existing, err := s.ReserveCase(ctx, st.r)
			if number != st.number || existing != st.existing || !errors.Is(err, st.err) {
				t.Errorf("step %d: %q %v %v; want %q %v %v", i, number, existing, err, st.number, st.existing, st.err)
			}
		}
		if got := FormatCaseNumber("BJ", 2026, 12345); got != "BJ-2026-12345" {
			t.Errorf("wide sequence: %s", got)
		}
	})
}

func TestReserveCaseConcurrently(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		var wg sync.WaitGroup
		var mu sync.Mutex
		seen := map[string]bool{}
		for i := range 20 {
			wg.Go(func() {
				r := Reservation{Institute: "GD", Year: 2026}
				if i%4 == 0 {
					r.IdempotencyKey, r.RequestHash = "same", "h" // five racers share one key
				}
				number, _, err := s.ReserveCase(t.Context(), r)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				defer mu.Unlock()
				seen[number] = true
			})
		}
		wg.Wait()
		if len(seen) != 16 {
			t.Fatalf("%d distinct numbers, want 16 (15 unkeyed + 1 keyed): %v", len(seen), seen)
		}
		for i := 1; i <= 16; i++ {
			if n := FormatCaseNumber("GD", 2026, int64(i)); !seen[n] {
				t.Errorf("missing %s: numbers must be gapless", n)
			}
		}
	})
}
