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

// TestReserveCaseNumbersPastFourDigits reserves with and without keys across the
// 9,999 → 10,000 boundary: PostgreSQL renders a keyed number in SQL, which must agree with
// FormatCaseNumber.
func TestReserveCaseNumbersPastFourDigits(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		if err := s.db.Exec("INSERT INTO case_sequences (institute, year, issued) VALUES ('SH', 2026, 9997)").Error; err != nil {
			t.Fatal(err)
		}
		for i, key := range []string{"", "k9999", "", "k10001"} {
			number, _, err := s.ReserveCase(ctx, Reservation{Institute: "SH", Year: 2026, IdempotencyKey: key, RequestHash: "h"})
			if want := FormatCaseNumber("SH", 2026, int64(9998+i)); number != want || err != nil {
				t.Errorf("reservation %d (key %q): %q, %v; want %s", i, key, number, err, want)
			}
			if key == "" {
				continue
			}
			again, existing, err := s.ReserveCase(ctx, Reservation{Institute: "SH", Year: 2026, IdempotencyKey: key, RequestHash: "h"})
			if again != number || !existing || err != nil {
				t.Errorf("key %q again: %q existing=%v, %v; want %s", key, again, existing, err, number)
			}
		}
	})
}

func TestClaimIdempotencyKey(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		steps := []struct {
			key, hash, number string
			err               error
		}{
			{"decide u1 k", "h1", "BJ-2026-0001", nil},
			{"decide u1 k", "h1", "BJ-2026-0001", nil},                    // a retry
			{"decide u1 k", "h2", "BJ-2026-0001", ErrIdempotencyConflict}, // another body
			{"decide u1 k", "h1", "BJ-2026-0002", ErrIdempotencyConflict}, // another case
			{"decide u2 k", "h2", "BJ-2026-0001", nil},                    // another caller's key
		}
		for i, st := range steps {
			if err := s.ClaimIdempotencyKey(ctx, st.key, st.hash, st.number); !errors.Is(err, st.err) {
				t.Errorf("step %d: %v, want %v", i, err, st.err)
			}
		}
	})
}
