package reconcile

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/store"
	"github.com/cicpa/weiquan/store/storetest"
	"github.com/cicpa/weiquan/workflows"
)

// workflowsHolding answers Status with given results: the engine side of a repair.
type workflowsHolding map[string]workflows.StatusResult

func (w workflowsHolding) Status(_ context.Context, n string) (workflows.StatusResult, error) {
	s, ok := w[n]
	if !ok {
		return s, errors.New("workflow not found")
	}
	return s, nil
}

// history is a case's workflow status after each of its events: received (telling the member
// and the secretary), claimed, accepted (telling the member).
func history(number string) []workflows.StatusResult {
	at := time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC)
	c := article23.Case{Number: number, Institute: "BJ", ReceivedOn: "2026-12-01", Stage: article23.StageReceived,
		Applicant: article23.Applicant{MemberNo: "110000010001", Name: "王会计师", Kind: article23.MemberFirm},
		Clocks:    []article23.Clock{{Name: article23.ClockDecision, Start: "2026-12-01", Due: "2026-12-22", State: article23.ClockRunning}}}
	tell := func(seq int64, as ...article23.Audience) workflows.Told {
		t := workflows.Told{Seq: seq}
		for _, a := range as {
			t.Notifications = append(t.Notifications, article23.Notification{Key: fmt.Sprintf("%s/%d/%s", number, seq, a), Audience: a, Kind: "k"})
		}
		return t
	}
	var out []workflows.StatusResult
	var evs []article23.Event
	var told []workflows.Told
	for i, step := range []struct {
		typ   article23.EventType
		apply func(*article23.Case)
		told  []article23.Audience
	}{
		{article23.EventReceived, func(*article23.Case) {}, []article23.Audience{article23.AudienceMember, article23.AudienceSecretary}},
		{article23.EventClaimed, func(c *article23.Case) { c.Secretary = "li" }, nil},
		{article23.EventAccepted, func(c *article23.Case) {
			c.Stage = article23.StageAccepted
			c.Clocks[0].State, c.Clocks[0].MetOn = article23.ClockMet, "2026-12-03"
		}, []article23.Audience{article23.AudienceMember}},
	} {
		seq := int64(i + 1)
		step.apply(&c)
		c.UpdatedAt = at.Add(time.Duration(i) * time.Hour)
		evs = append(evs, article23.Event{Seq: seq, Type: step.typ, At: c.UpdatedAt, Data: []byte("{}")})
		if len(step.told) > 0 {
			told = append(told, tell(seq, step.told...))
		}
		snap := c
		snap.Clocks = append([]article23.Clock(nil), c.Clocks...)
		out = append(out, workflows.StatusResult{Case: snap, Events: append([]article23.Event(nil), evs...), Told: append([]workflows.Told(nil), told...)})
	}
	return out
}

func record(t *testing.T, st *store.Store, s workflows.StatusResult, seq int) {
	t.Helper()
	e := s.Events[seq-1]
	if _, err := st.Record(t.Context(), article23.Record{Event: e, Case: s.Case}); err != nil {
		t.Fatal(err)
	}
}

// TestRepair: a case the store is two events behind (its recording marked failed), one it
// never recorded, and one whose read model was changed by hand are all brought in step,
// with the notifications of the re-recorded events enqueued; a case whose workflow is gone
// is reported, not repaired.
func TestRepair(t *testing.T) {
	st := storetest.SQLite(t)
	ctx := t.Context()
	behind, unrecorded, edited := history("BJ-2026-0001"), history("BJ-2026-0002"), history("BJ-2026-0003")
	record(t, st, behind[0], 1)
	if err := st.NoteRecordFailure(ctx, "BJ-2026-0001", errors.New("database refused")); err != nil {
		t.Fatal(err)
	}
	for i := range edited {
		record(t, st, edited[i], i+1)
	}
	drifted := edited[1].Case // the read model as it was one event earlier: stage and clock differ
	if err := st.RewriteCase(ctx, drifted, 3); err != nil {
		t.Fatal(err)
	}
	orphan := history("BJ-2026-0004")
	record(t, st, orphan[0], 1)
	eng := workflowsHolding{"BJ-2026-0001": behind[2], "BJ-2026-0002": unrecorded[2], "BJ-2026-0003": edited[2]}

	found, err := Check(ctx, st, eng, []string{"BJ-2026-0001", "BJ-2026-0002", "BJ-2026-0003"})
	if err != nil || found.Checked != 4 || found.Differ != 4 {
		t.Fatalf("check: %+v %v", found, err)
	}
	got, err := Repair(ctx, st, eng, found)
	if err != nil {
		t.Fatal(err)
	}
	if got.Repaired != 3 || len(got.Differences) != 1 || got.Differences[0].Number != "BJ-2026-0004" ||
		!strings.Contains(got.Differences[0].What, "not repaired: its workflow does not answer") {
		t.Fatalf("repair: %+v %+v", got, got.Differences)
	}
	after, err := Check(ctx, st, eng, []string{"BJ-2026-0001", "BJ-2026-0002", "BJ-2026-0003"})
	if err != nil || after.Differ != 1 {
		t.Fatalf("after the repair: %+v %v", after.Differences, err)
	}
	if _, err := st.CaseRecordFailure(ctx, "BJ-2026-0001"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("the repaired case is still marked: %v", err)
	}
	// the outbox holds the notifications of the re-recorded events, once each (the events
	// this test recorded itself it recorded without any)
	var pending []string
	for _, n := range []string{"BJ-2026-0001", "BJ-2026-0002", "BJ-2026-0003", "BJ-2026-0004"} {
		msgs, err := st.Outbox(ctx, n)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range msgs {
			pending = append(pending, m.Key)
		}
	}
	want := []string{"BJ-2026-0001/3/member", "BJ-2026-0002/1/member", "BJ-2026-0002/1/secretary", "BJ-2026-0002/3/member"}
	if strings.Join(pending, " ") != strings.Join(want, " ") {
		t.Fatalf("outbox after the repair: %v, want %v", pending, want)
	}
}

// TestRepairLeavesAStoreAheadOfItsWorkflow: a store with more events than the workflow is
// reported, never rewritten from the workflow behind it.
func TestRepairLeavesAStoreAheadOfItsWorkflow(t *testing.T) {
	st := storetest.SQLite(t)
	h := history("BJ-2026-0005")
	for i := range h {
		record(t, st, h[i], i+1)
	}
	eng := workflowsHolding{"BJ-2026-0005": h[0]}
	found, err := Check(t.Context(), st, eng, []string{"BJ-2026-0005"})
	if err != nil || found.Differ != 1 {
		t.Fatalf("check: %+v %v", found, err)
	}
	got, err := Repair(t.Context(), st, eng, found)
	if err != nil || got.Repaired != 0 || len(got.Differences) != 1 ||
		!strings.Contains(got.Differences[0].What, "not repaired: the store has 3 events, the workflow 1") {
		t.Fatalf("repair: %+v %v", got.Differences, err)
	}
	view, err := st.Case(t.Context(), "BJ-2026-0005")
	if err != nil || view.Case.Stage != article23.StageAccepted || len(view.Events) != 3 {
		t.Fatalf("the store was changed: %+v %v", view.Case.Stage, err)
	}
}

// TestRepairReplacesWhatADiscardedTaskLeft: a case whose store log a discarded workflow task
// wrote before records named their task (events 2 and 3 other than the workflow's) is found
// different event by event and repaired: the workflow's events replace the store's from the
// first that differs, and the replaced ones stay in superseded_events.
func TestRepairReplacesWhatADiscardedTaskLeft(t *testing.T) {
	st := storetest.SQLite(t)
	ctx := t.Context()
	real := history("BJ-2026-0005")
	record(t, st, real[0], 1)
	wrong := real[2]
	wrong.Events = append([]article23.Event(nil), wrong.Events...)
	wrong.Events[1].Type, wrong.Events[2].Type = article23.EventClockBreached, article23.EventEscalated
	for seq := 2; seq <= 3; seq++ {
		record(t, st, wrong, seq)
	}
	eng := workflowsHolding{"BJ-2026-0005": real[2]}
	found, err := Check(ctx, st, eng, []string{"BJ-2026-0005"})
	if err != nil || found.Differ != 1 || !strings.Contains(fmt.Sprint(found.Differences), "event 2: workflow claimed") {
		t.Fatalf("check: %+v %v", found, err)
	}
	got, err := Repair(ctx, st, eng, found)
	if err != nil || got.Repaired != 1 {
		t.Fatalf("repair: %+v %v", got, err)
	}
	view, err := st.Case(ctx, "BJ-2026-0005")
	if err != nil {
		t.Fatal(err)
	}
	if FirstDiffering(view.Events, real[2].Events) != 0 || len(view.Events) != 3 {
		t.Fatalf("log after the repair: %+v", view.Events)
	}
	if n, err := st.CountSuperseded(ctx); n != 2 || err != nil {
		t.Fatalf("superseded events: %d, %v, want the 2 replaced", n, err)
	}
}
