package store

import (
	"testing"
	"time"

	"github.com/cicpa/weiquan/article23"
)

func TestCountEventsAndPending(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		count := func(typ article23.EventType) int64 {
			t.Helper()
			n, err := s.CountEvents(ctx, typ)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		pending := func(before time.Time) int64 {
			t.Helper()
			n, err := s.CountPendingBefore(ctx, before)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		if count(article23.EventReceived) != 0 || pending(t0.Add(time.Hour)) != 0 {
			t.Fatal("an empty store counts something")
		}
		a := received(newCase("BJ-2026-0001", "BJ", "2026-03-23"))
		mustRecord(t, s, a)
		mustRecord(t, s, received(newCase("BJ-2026-0002", "BJ", "2026-03-23")))
		mustRecord(t, s, next(a, article23.EventCalendarUpdated, func(*article23.Case) {}))
		if got := count(article23.EventReceived); got != 2 {
			t.Fatalf("received: %d, want 2", got)
		}
		if got := count(article23.EventCalendarUpdated); got != 1 {
			t.Fatalf("calendar_updated: %d, want 1", got)
		}
		// four notifications queued at t0: none before t0, all after it
		if got := pending(t0); got != 0 {
			t.Fatalf("pending before t0: %d, want 0", got)
		}
		if got := pending(t0.Add(time.Second)); got != 4 {
			t.Fatalf("pending just after t0: %d, want 4", got)
		}
		// a claim hides a message for DefaultClaimLease: still counted before the lease ends
		msgs, err := s.ClaimDue(ctx, t0, 1, 0)
		if err != nil || len(msgs) != 1 {
			t.Fatalf("claim: %v %v", msgs, err)
		}
		if got := pending(t0.Add(DefaultClaimLease + time.Second)); got != 4 {
			t.Fatalf("pending within the lease: %d, want 4", got)
		}
		if got := pending(t0.Add(time.Second)); got != 3 {
			t.Fatalf("pending due now, the claimed one aside: %d, want 3", got)
		}
		if err := s.MarkDelivered(ctx, msgs[0].ID, t0); err != nil {
			t.Fatal(err)
		}
		if got := pending(t0.Add(DefaultClaimLease + time.Second)); got != 3 {
			t.Fatalf("pending after delivery: %d, want 3", got)
		}
	})
}
