package store

import (
	"errors"
	"testing"
	"time"

	"github.com/cicpa/weiquan/article23"
)

// A person has one feed token: a new one replaces the old, deleting it revokes it.
func TestFeedTokens(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		at := time.Date(2026, 12, 6, 11, 0, 0, 0, time.UTC)
		first := FeedToken{Subject: "u-li", Hash: "aa", Role: article23.RoleSecretary, Institute: "BJ", CreatedAt: at}
		if err := s.PutFeedToken(t.Context(), first); err != nil {
			t.Fatal(err)
		}
		if got, err := s.FeedTokenByHash(t.Context(), "aa"); err != nil || got != first {
			t.Fatalf("token %+v %v", got, err)
		}
		second := first
		second.Hash, second.CreatedAt = "bb", at.Add(time.Hour)
		if err := s.PutFeedToken(t.Context(), second); err != nil {
			t.Fatal(err)
		}
		if _, err := s.FeedTokenByHash(t.Context(), "aa"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("the replaced token still works: %v", err)
		}
		if got, err := s.FeedTokenByHash(t.Context(), "bb"); err != nil || got != second {
			t.Fatalf("token %+v %v", got, err)
		}
		if err := s.DeleteFeedToken(t.Context(), "u-li"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.FeedTokenByHash(t.Context(), "bb"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("the revoked token still works: %v", err)
		}
	})
}
