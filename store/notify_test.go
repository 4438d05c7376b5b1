package store

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"
)

func TestDocuments(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		d := Document{CaseNumber: "BJ-2026-0001", ID: "acceptance-5", Kind: "acceptance", EventSeq: 5,
			Template: "default/acceptance.v1", Name: "受理通知书.pdf", MediaType: "application/pdf", Size: 10,
			SHA256: "aa", Location: "sha256/aa/aa.pdf", CreatedAt: t0}
		got, err := s.AddDocument(ctx, d)
		if err != nil || got.SHA256 != "aa" || !got.CreatedAt.Equal(t0) {
			t.Fatalf("add: %+v %v", got, err)
		}
		again := d
		again.SHA256 = "bb" // a concurrent issue lost the race: the first stays
		if got, err := s.AddDocument(ctx, again); err != nil || got.SHA256 != "aa" {
			t.Fatalf("second add: %+v %v", got, err)
		}
		if err := s.MarkDocumentServed(ctx, d.CaseNumber, d.ID, "2026-03-05"); err != nil {
			t.Fatal(err)
		}
		if err := s.MarkDocumentServed(ctx, d.CaseNumber, d.ID, "2026-03-09"); err != nil {
			t.Fatal(err)
		}
		list, err := s.Documents(ctx, d.CaseNumber)
		if err != nil || len(list) != 1 || list[0].ServedOn != "2026-03-05" {
			t.Fatalf("documents %+v %v", list, err)
		}
		if _, err := s.Document(ctx, d.CaseNumber, "nope"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("unknown: %v", err)
		}
		if err := s.MarkDocumentServed(ctx, d.CaseNumber, "nope", "2026-03-05"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("serve unknown: %v", err)
		}
	})
}

// TestDocumentIssuedConcurrently: issuers racing to add the same letter all get the one row
// the first added, and none an error (on PostgreSQL, a read before the insert let the
// second fail on the primary key).
func TestDocumentIssuedConcurrently(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		const issuers = 8
		for round := range 5 {
			id := fmt.Sprintf("acceptance-%d", round+1)
			start := make(chan struct{})
			got := make([]Document, issuers)
			errs := make([]error, issuers)
			var wg sync.WaitGroup
			for i := range issuers {
				wg.Go(func() {
					<-start
					got[i], errs[i] = s.AddDocument(t.Context(), Document{CaseNumber: "BJ-2026-0002", ID: id, Kind: "acceptance",
						EventSeq: int64(round + 1), Template: "default/acceptance.v1", Name: "受理通知书.pdf", MediaType: "application/pdf",
						Size: 10, SHA256: fmt.Sprintf("%02x", i), Location: "sha256/x.pdf", CreatedAt: t0})
				})
			}
			close(start)
			wg.Wait()
			for i := range issuers {
				if errs[i] != nil || got[i].SHA256 != got[0].SHA256 {
					t.Fatalf("round %d issuer %d: %+v %v; issuer 0 got %s", round, i, got[i], errs[i], got[0].SHA256)
				}
			}
		}
		list, err := s.Documents(t.Context(), "BJ-2026-0002")
		if err != nil || len(list) != 5 {
			t.Fatalf("documents: %d, %v", len(list), err)
		}
	})
}

func TestMemberContacts(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		if _, err := s.MemberContactFor(ctx, "110000000001"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("no member contact: %v", err)
		}
		m := MemberContact{MemberNo: "110000000001", UserID: "member@BJ/110000000001", Email: "wang@example.com"}
		if err := s.SetMemberContact(ctx, m); err != nil {
			t.Fatal(err)
		}
		if got, err := s.MemberContactFor(ctx, m.MemberNo); err != nil || got != m {
			t.Fatalf("member contact %+v %v", got, err)
		}
	})
}

func TestInboxAndReceipts(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		for i, key := range []string{"BJ-2026-0001/1/secretary", "BJ-2026-0001/2/secretary", "BJ-2026-0001/1/secretary"} {
			it := InboxItem{UserID: "li", DedupKey: key, CaseNumber: "BJ-2026-0001", Kind: "reminder", Text: "提醒", CreatedAt: t0.Add(time.Duration(i) * time.Minute)}
			if err := s.AddInboxItem(ctx, it); err != nil {
				t.Fatal(err)
			}
		}
		items, err := s.InboxFor(ctx, "li")
		if err != nil || len(items) != 2 || items[0].DedupKey != "BJ-2026-0001/2/secretary" {
			t.Fatalf("inbox %+v %v", items, err)
		}
		if err := s.MarkRead(ctx, "wang", items[0].ID, t0); !errors.Is(err, ErrNotFound) {
			t.Fatalf("another user's item: %v", err)
		}
		_ = s.MarkRead(ctx, "li", items[0].ID, t0)
		_ = s.MarkRead(ctx, "li", items[0].ID, t0.Add(time.Hour))
		items, _ = s.InboxFor(ctx, "li")
		if items[0].ReadAt == nil || !items[0].ReadAt.Equal(t0) || items[1].ReadAt != nil {
			t.Fatalf("read: %+v", items)
		}

		r := Receipt{DedupKey: "k", Recipient: "li", Channel: "email", DeliveredAt: t0}
		for range 2 {
			if err := s.AddReceipt(ctx, r); err != nil {
				t.Fatal(err)
			}
		}
		got, err := s.Receipts(ctx, "k")
		if err != nil || len(got) != 1 || got[0] != r {
			t.Fatalf("receipts %+v %v", got, err)
		}
	})
}

func TestDeferDoesNotCountAnAttempt(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		mustRecord(t, s, received(newCase("BJ-2026-0001", "BJ", "2026-03-23")))
		claimed, err := s.ClaimDue(ctx, t0, 1, 0)
		if err != nil || len(claimed) != 1 || claimed[0].Attempts != 1 {
			t.Fatalf("claim %+v %v", claimed, err)
		}
		later := t0.Add(10 * time.Hour)
		if err := s.Defer(ctx, claimed[0].ID, later); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.ClaimDue(ctx, later.Add(-time.Second), 5, 0); len(got) != 1 || got[0].ID == claimed[0].ID {
			t.Fatalf("deferred message claimed early: %+v", got)
		}
		got, _ := s.ClaimDue(ctx, later, 5, 0)
		if len(got) != 1 || got[0].ID != claimed[0].ID || got[0].Attempts != 1 {
			t.Fatalf("after the deferral: %+v", got)
		}
		if err := s.Defer(ctx, 999, later); !errors.Is(err, ErrNotFound) {
			t.Fatalf("unknown: %v", err)
		}
	})
}

// TestClaimHonoursTheLease: a claim made with a lease hides the message for that long only;
// then another dispatcher claims it again (its first deliverer died), counting the attempt.
func TestClaimHonoursTheLease(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		mustRecord(t, s, received(newCase("BJ-2026-0001", "BJ", "2026-03-23")))
		lease := 30 * time.Second
		first, err := s.ClaimDue(ctx, t0, 1, lease)
		if err != nil || len(first) != 1 {
			t.Fatalf("claim %+v %v", first, err)
		}
		if got, _ := s.ClaimDue(ctx, t0.Add(lease-time.Second), 10, lease); slices.ContainsFunc(got, func(m OutboxMessage) bool { return m.ID == first[0].ID }) {
			t.Fatalf("claimed again within the lease: %+v", got)
		}
		again, err := s.ClaimDue(ctx, t0.Add(lease), 10, lease)
		if err != nil || len(again) != 1 || again[0].ID != first[0].ID || again[0].Attempts != 2 {
			t.Fatalf("after the lease: %+v %v", again, err)
		}
	})
}
