package main

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/store"
)

// TestCompactorFoldsRecordedDeltas records a case, lets the worker's compaction loop run and
// finds nothing left for a compaction of its own.
func TestCompactorFoldsRecordedDeltas(t *testing.T) {
	st, err := store.Open(t.Context(), "sqlite://"+filepath.Join(t.TempDir(), "weiquan.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 2, 1, 30, 0, 0, time.UTC)
	c := article23.Case{Number: "BJ-2026-0001", Institute: "BJ", Stage: article23.StageReceived, ReceivedOn: "2026-03-02",
		Applicant: article23.Applicant{MemberNo: "110000000001", Name: "王会计师", Kind: article23.MemberPractising},
		Clocks: []article23.Clock{{Name: article23.ClockDecision, Start: "2026-03-02", Workdays: 15, Due: "2026-03-20",
			DeadlineAt: at.AddDate(0, 0, 18), State: article23.ClockRunning, CalendarVersion: "2026.1"}},
		UpdatedAt: at}
	if _, err := st.Record(t.Context(), article23.Record{Event: article23.Event{Seq: 1, Type: article23.EventReceived, At: at}, Case: c}); err != nil {
		t.Fatal(err)
	}
	// Two ticks on an unbuffered channel: the second is taken only once the loop has finished
	// the compaction the first started, however slow the machine.
	ctx, cancel := context.WithCancel(t.Context())
	tick := make(chan time.Time)
	result := make(chan int64)
	go func() { result <- compactRollup(ctx, st, tick, slog.New(slog.NewTextHandler(io.Discard, nil))) }()
	tick <- at
	tick <- at
	cancel()
	if folded := <-result; folded == 0 {
		t.Fatal("the loop folded nothing")
	}
	if left, err := st.CompactRollup(t.Context()); err != nil || left != 0 {
		t.Fatalf("after the loop a compaction folded %d more: %v", left, err)
	}
	rows, err := st.Compliance(t.Context(), "2026-03-01", "2026-03-31", []string{"BJ"})
	if err != nil || len(rows) != 1 || rows[0].Open != 1 {
		t.Fatalf("compliance after compaction: %+v, %v", rows, err)
	}
}
