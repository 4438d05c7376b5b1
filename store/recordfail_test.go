package store

import (
	"errors"
	"strings"
	"testing"

	"github.com/cicpa/weiquan/article23"
)

func TestRecordFailureMarks(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		if _, err := s.CaseRecordFailure(ctx, "BJ-2026-0001"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("an unmarked case: %v, want ErrNotFound", err)
		}
		// the error text may hold what the database refused: it must still be storable
		cause := errors.New("record BJ-2026-0001/2: invalid byte sequence \x00 \xff " + strings.Repeat("x", 900))
		for range 3 {
			if err := s.NoteRecordFailure(ctx, "BJ-2026-0001", cause); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.NoteRecordFailure(ctx, "SH-2026-0002", errors.New("connection refused")); err != nil {
			t.Fatal(err)
		}
		f, err := s.CaseRecordFailure(ctx, "BJ-2026-0001")
		if err != nil {
			t.Fatal(err)
		}
		if f.Attempts != 3 || len(f.LastError) > maxFailureText+len("…") || strings.ContainsRune(f.LastError, 0) || f.LastAt.Before(f.Since) {
			t.Fatalf("mark after three failures: %+v", f)
		}
		if n, err := s.CountRecordFailures(ctx); n != 2 || err != nil {
			t.Fatalf("count: %d %v, want 2", n, err)
		}
		if err := s.ClearRecordFailure(ctx, "BJ-2026-0001"); err != nil {
			t.Fatal(err)
		}
		list, err := s.RecordFailures(ctx, 10)
		if err != nil || len(list) != 1 || list[0].Number != "SH-2026-0002" || list[0].Attempts != 1 {
			t.Fatalf("after clearing one: %+v %v", list, err)
		}
	})
}

func TestRewriteCaseReplacesTheReadModel(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		c := newCase("BJ-2026-0009", "BJ", "2026-03-23")
		if err := s.RewriteCase(ctx, c, 1); !errors.Is(err, ErrNotFound) {
			t.Fatalf("rewrite of an unrecorded case: %v, want ErrNotFound", err)
		}
		r1 := received(c)
		mustRecord(t, s, r1)
		want := r1.Case
		want.Stage, want.Secretary = article23.StageAccepted, "li"
		if err := s.RewriteCase(ctx, want, 2); !errors.Is(err, ErrOutOfOrder) {
			t.Fatalf("a snapshot of another seq: %v, want ErrOutOfOrder", err)
		}
		if err := s.RewriteCase(ctx, want, 1); err != nil {
			t.Fatal(err)
		}
		view, err := s.Case(ctx, c.Number)
		if err != nil {
			t.Fatal(err)
		}
		if view.Case.Stage != article23.StageAccepted || view.Case.Secretary != "li" || len(view.Events) != 1 {
			t.Fatalf("after rewrite: stage %s secretary %q, %d events", view.Case.Stage, view.Case.Secretary, len(view.Events))
		}
		// the event log goes on where it was: the next event is seq 2
		mustRecord(t, s, next(r1, article23.EventClaimed, func(*article23.Case) {}))
	})
}
