package store

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cicpa/weiquan/article23"
)

// marked is rs with every record marked as emitted by task.
func marked(task article23.TaskMark, rs ...article23.Record) []article23.Record {
	out := slices.Clone(rs)
	for i := range out {
		out[i].Task = task
	}
	return out
}

// TestRecordSupersedesADiscardedTask is the crash the two-workers test found: the first
// workflow task of a case recorded received, breached and escalated, and its worker died
// before the task completed; the retried task saw the secretary's acceptance first and
// numbered the events differently. The store takes the later task's log, keeps the
// discarded one's events in superseded_events, drops their unsent notifications and their
// letters, gives the new events' notifications keys of their own where a sent one kept the
// old, and refuses what the discarded task still sends afterwards.
func TestRecordSupersedesADiscardedTask(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		var told []Supersession
		s.OnSupersede(func(sp Supersession) { told = append(told, sp) })
		const number = "BJ-2026-0007"
		c := newCase(number, "BJ", "2026-03-23")
		rec1 := received(c)
		breach := func(prev article23.Record) article23.Record {
			r := next(prev, article23.EventClockBreached, func(c *article23.Case) { c.Clocks[0].State = article23.ClockBreached })
			r.Notifications = []article23.Notification{{Key: number + "/" + itoa(r.Event.Seq) + "/supervisors", Audience: article23.AudienceSupervisors, Kind: "breach", Urgent: true}}
			return r
		}
		accept := func(prev article23.Record) article23.Record {
			r := next(prev, article23.EventAccepted, func(c *article23.Case) {
				c.Stage = article23.StageAccepted
				c.Clocks[0].State, c.Clocks[0].MetOn = article23.ClockMet, "2026-03-10"
				c.Decision = &article23.Decision{Accepted: true, DecidedOn: "2026-03-10", NoticeServedOn: "2026-03-10"}
			})
			r.Notifications = []article23.Notification{
				{Key: number + "/" + itoa(r.Event.Seq) + "/member", Audience: article23.AudienceMember, Kind: "accepted"},
				{Key: number + "/" + itoa(r.Event.Seq) + "/supervisors", Audience: article23.AudienceSupervisors, Kind: "accepted"},
			}
			return r
		}

		taskA := article23.TaskMark{Event: 3, At: t0}
		discarded := marked(taskA, rec1, breach(rec1))
		escalate := next(discarded[1], article23.EventEscalated, func(*article23.Case) {})
		escalate.Notifications = []article23.Notification{{Key: number + "/3/supervisors", Audience: article23.AudienceSupervisors, Kind: "escalated", Urgent: true}}
		discarded = append(discarded, marked(taskA, escalate)...)
		if n, err := s.Record(ctx, discarded...); n != 3 || err != nil {
			t.Fatalf("discarded task's record: %d, %v", n, err)
		}
		// the breach's urgent message and the member's receipt went out before the task was
		// found discarded
		msgs, err := s.Outbox(ctx, number)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range msgs {
			if m.Key == number+"/2/supervisors" || m.Key == number+"/1/member" {
				if err := s.MarkDelivered(ctx, m.ID, t0.Add(time.Minute)); err != nil {
					t.Fatal(err)
				}
			}
		}
		// a dispatcher claimed the secretary's receipt (due at once) and is delivering it; the
		// escalation's message is not due yet and nobody claimed it
		if claimed, err := s.ClaimDue(ctx, t0.Add(30*time.Minute), 10, time.Minute); err != nil || len(claimed) != 1 || claimed[0].Key != number+"/1/secretary" {
			t.Fatalf("claimed %+v, %v: want the secretary's receipt only", claimed, err)
		}
		mustAddDocument(t, s, number, "acceptance-3", 3) // as if seq 3 had issued a letter

		// the retry: same started event id (a transient task), later time; acceptance first
		taskB := article23.TaskMark{Event: 3, At: t0.Add(12 * time.Second)}
		a2 := accept(rec1)
		real := marked(taskB, rec1, a2, breach(a2))
		if n, err := s.Record(ctx, real...); n != 3 || err != nil {
			t.Fatalf("the later task's record: %d, %v, want its 3 events written", n, err)
		}
		view, err := s.Case(ctx, number)
		if err != nil {
			t.Fatal(err)
		}
		var types []article23.EventType
		for _, e := range view.Events {
			types = append(types, e.Type)
		}
		if want := []article23.EventType{article23.EventReceived, article23.EventAccepted, article23.EventClockBreached}; !slices.Equal(types, want) {
			t.Fatalf("log after supersession: %v, want %v", types, want)
		}
		if view.Case.Stage != article23.StageAccepted {
			t.Fatalf("case after supersession: stage %s", view.Case.Stage)
		}
		if len(told) != 1 || told[0].FromSeq != 1 || told[0].Events != 3 || told[0].By != taskB {
			t.Fatalf("told %+v, want one supersession of 3 events from seq 1 by %+v", told, taskB)
		}
		if n, err := s.CountSuperseded(ctx); n != 3 || err != nil {
			t.Fatalf("superseded events: %d, %v", n, err)
		}

		msgs, err = s.Outbox(ctx, number)
		if err != nil {
			t.Fatal(err)
		}
		keys, kinds := map[string]string{}, map[string]string{}
		for _, m := range msgs {
			keys[m.Key], kinds[m.Key] = m.State, m.Kind
		}
		wantKeys := map[string]string{
			number + "/2/supervisors": OutboxDelivered, // the discarded breach's, sent: it stays, as sent
			number + "/1/member":      OutboxDelivered, // sent, and the new receipt tells the same: not again
			number + "/1/secretary":   OutboxPending,   // claimed, on its way: kept, and the new receipt is not queued again
			number + "/2/member":      OutboxPending,   // the acceptance, seq 2 now
			number + "/3/supervisors": OutboxPending,   // the breach, seq 3 now; the escalation's, unclaimed, dropped
		}
		for k, st := range wantKeys {
			if keys[k] != st {
				t.Errorf("outbox %s: %q, want %q (all: %v)", k, keys[k], st, keys)
			}
		}
		var renamed string
		for k := range keys {
			if strings.HasPrefix(k, number+"/2/supervisors@") {
				renamed = k
			}
		}
		if renamed == "" || keys[renamed] != OutboxPending || len(keys) != 6 {
			t.Fatalf("outbox keys %v: want the acceptance's message to the supervisors under a key of its own, 6 in all", keys)
		}
		if kinds[number+"/3/supervisors"] != "breach" {
			t.Fatalf("seq 3's message is a %q, want the new breach's (the superseded escalation's was never claimed)", kinds[number+"/3/supervisors"])
		}
		for _, m := range msgs {
			if m.Key == number+"/1/secretary" && m.Attempts != 1 {
				t.Fatalf("the claimed receipt was replaced: %+v", m)
			}
		}
		if _, err := s.Document(ctx, number, "acceptance-3"); err == nil {
			t.Error("the superseded event's letter is still on the case")
		}

		// the discarded task, still running on a worker cut off, sends more: all refused
		late := marked(taskA, next(discarded[2], article23.EventEscalated, func(*article23.Case) {}))
		if n, err := s.Record(ctx, discarded[1:]...); n != 0 || !errors.Is(err, article23.ErrTaskSuperseded) {
			t.Fatalf("the discarded task's repeat: %d, %v, want nothing written and ErrTaskSuperseded", n, err)
		}
		if n, err := s.Record(ctx, late...); n != 0 || !errors.Is(err, article23.ErrTaskSuperseded) {
			t.Fatalf("the discarded task's next event: %d, %v, want nothing written and ErrTaskSuperseded", n, err)
		}
		// the later task's retry of its own records is a no-op, and its next event lands
		if n, err := s.Record(ctx, real...); n != 0 || err != nil {
			t.Fatalf("repeat of the later task's records: %d, %v", n, err)
		}
		mustRecord(t, s, marked(article23.TaskMark{Event: 9, At: t0.Add(time.Hour)}, next(real[2], article23.EventReassigned, func(c *article23.Case) { c.Secretary = "zhang" }))[0])
		if len(told) != 1 {
			t.Fatalf("told %d supersessions, want still 1", len(told))
		}
		// only an archived event may leave the log
		err = s.db.WithContext(context.Background()).Exec("DELETE FROM events WHERE case_number = ?", number).Error
		if err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Fatalf("delete of events not archived: %v, want the append-only refusal", err)
		}
	})
}

// TestRecordUnknownTasksNeverSupersede: events recorded before marks existed (or by a test
// without a history) keep the old rule, skip what is there.
func TestRecordUnknownTasksNeverSupersede(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		r1 := received(newCase("SH-2026-0009", "SH", "2026-03-23"))
		mustRecord(t, s, r1)
		again := marked(article23.TaskMark{Event: 7, At: t0}, r1)
		again[0].Event.Type = article23.EventAccepted
		if n, err := s.Record(ctx, again...); n != 0 || err != nil {
			t.Fatalf("marked record over an unmarked one: %d, %v, want skipped", n, err)
		}
		if n, err := s.CountSuperseded(ctx); n != 0 || err != nil {
			t.Fatalf("superseded: %d, %v", n, err)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func mustAddDocument(t *testing.T, s *Store, number, id string, seq int64) {
	t.Helper()
	_, err := s.AddDocument(t.Context(), Document{CaseNumber: number, ID: id, Kind: "acceptance", EventSeq: seq, Template: "t",
		Name: "受理通知书.pdf", MediaType: "application/pdf", Size: 1, SHA256: strings.Repeat("a", 64), Location: "x", CreatedAt: t0})
	if err != nil {
		t.Fatal(err)
	}
}
