package store

import (
	"errors"
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
		claimed, err := s.ClaimDue(ctx, t0, 1)
		if err != nil || len(claimed) != 1 || claimed[0].Attempts != 1 {
			t.Fatalf("claim %+v %v", claimed, err)
		}
		later := t0.Add(10 * time.Hour)
		if err := s.Defer(ctx, claimed[0].ID, later); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.ClaimDue(ctx, later.Add(-time.Second), 5); len(got) != 1 || got[0].ID == claimed[0].ID {
			t.Fatalf("deferred message claimed early: %+v", got)
		}
		got, _ := s.ClaimDue(ctx, later, 5)
		if len(got) != 1 || got[0].ID != claimed[0].ID || got[0].Attempts != 1 {
			t.Fatalf("after the deferral: %+v", got)
		}
		if err := s.Defer(ctx, 999, later); !errors.Is(err, ErrNotFound) {
			t.Fatalf("unknown: %v", err)
		}
	})
}
