package store

import (
	"errors"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/cicpa/weiquan/article23"
)

func TestRecordIsIdempotentAndOrdered(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		r1 := received(newCase("BJ-2026-0001", "BJ", "2026-03-23"))
		mustRecord(t, s, r1)
		if applied, err := s.Record(ctx, r1); applied != 0 || err != nil {
			t.Fatalf("repeat of seq 1: applied=%v err=%v, want a no-op", applied, err)
		}
		r2 := next(r1, article23.EventAccepted, func(c *article23.Case) {
			c.Stage = article23.StageAccepted
			c.Clocks[0].State, c.Clocks[0].MetOn, c.Clocks[0].WorkdaysUsed = article23.ClockMet, "2026-03-10", 6
			c.Decision = &article23.Decision{Accepted: true, DecidedOn: "2026-03-10", NoticeServedOn: "2026-03-10"}
		})
		r3 := next(r2, article23.EventReassigned, func(c *article23.Case) { c.Secretary = "zhang" })
		if _, err := s.Record(ctx, r3); !errors.Is(err, ErrOutOfOrder) {
			t.Fatalf("seq 3 before 2: %v, want ErrOutOfOrder", err)
		}
		mustRecord(t, s, r2)
		mustRecord(t, s, r3)
		if applied, err := s.Record(ctx, r2); applied != 0 || err != nil {
			t.Fatalf("late repeat of seq 2: applied=%v err=%v", applied, err)
		}
		view, err := s.Case(ctx, "BJ-2026-0001")
		if err != nil {
			t.Fatal(err)
		}
		c := view.Case
		if len(view.Events) != 3 || c.Secretary != "zhang" || c.Stage != article23.StageAccepted ||
			c.Decision == nil || !c.Decision.Accepted || c.Clocks[0].WorkdaysUsed != 6 || !c.UpdatedAt.Equal(t0) {
			t.Fatalf("case after three events: %+v, %d events", c, len(view.Events))
		}
		if c.Policy.DecisionWorkdays != 15 || c.SubmittedBy.ID != "u1" {
			t.Fatalf("snapshots lost: %+v %+v", c.Policy, c.SubmittedBy)
		}
	})
}

func TestRecordConcurrentRepeatsApplyOnce(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		r1 := received(newCase("SH-2026-0001", "SH", "2026-03-23"))
		var wg sync.WaitGroup
		var mu sync.Mutex
		appliedCount := 0
		for range 8 {
			wg.Go(func() {
				applied, err := s.Record(t.Context(), r1)
				if err != nil {
					t.Error(err)
				}
				mu.Lock()
				defer mu.Unlock()
				appliedCount += applied
			})
		}
		wg.Wait()
		if appliedCount != 1 {
			t.Fatalf("applied %d times, want once", appliedCount)
		}
	})
}

// TestRecordBatch: several events of one case in one call are one transaction; a call that
// overlaps what is recorded writes only the new ones; a gap or a foreign case refuses the
// whole call.
func TestRecordBatch(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		r1 := received(newCase("HB-2026-0001", "HB", "2026-03-23"))
		r2 := next(r1, article23.EventAccepted, func(c *article23.Case) {
			c.Stage = article23.StageAccepted
			c.Decision = &article23.Decision{Accepted: true, DecidedOn: "2026-03-10", NoticeServedOn: "2026-03-10"}
		})
		r3 := next(r2, article23.EventReassigned, func(c *article23.Case) { c.Secretary = "zhang" })
		r4 := next(r3, article23.EventReassigned, func(c *article23.Case) { c.Secretary = "zhao" })
		if n, err := s.Record(ctx, r1, r3); err == nil {
			t.Fatalf("a gap inside the call was accepted (%d)", n)
		}
		other := received(newCase("HB-2026-0002", "HB", "2026-03-23"))
		other.Event.Seq = 2
		if _, err := s.Record(ctx, r1, other); err == nil {
			t.Fatal("two cases in one call were accepted")
		}
		if _, err := s.Record(ctx, r2, r3); !errors.Is(err, ErrOutOfOrder) {
			t.Fatalf("seq 2..3 before 1: %v, want ErrOutOfOrder", err)
		}
		if n := countRows(t, s, "events"); n != 0 {
			t.Fatalf("%d events after refused calls", n)
		}
		if n, err := s.Record(ctx, r1, r2); n != 2 || err != nil {
			t.Fatalf("seq 1..2: %d, %v", n, err)
		}
		if n, err := s.Record(ctx, r2, r3, r4); n != 2 || err != nil {
			t.Fatalf("seq 2..4 after 2: %d new, %v; want 2", n, err)
		}
		if n, err := s.Record(ctx, r1, r2, r3, r4); n != 0 || err != nil {
			t.Fatalf("repeat of 1..4: %d, %v", n, err)
		}
		view, err := s.Case(ctx, "HB-2026-0001")
		if err != nil {
			t.Fatal(err)
		}
		if len(view.Events) != 4 || view.Case.Secretary != "zhao" || view.Case.Stage != article23.StageAccepted {
			t.Fatalf("case after the batches: %+v, %d events", view.Case, len(view.Events))
		}
		if n := countRows(t, s, "events"); n != 4 {
			t.Fatalf("%d events, want 4", n)
		}
	})
}

func TestRecordIsOneTransaction(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		r1 := received(newCase("GD-2026-0001", "GD", "2026-03-23"))
		r1.Notifications = append(r1.Notifications, article23.Notification{Key: "bad", Audience: "everyone", Kind: "x"})
		if _, err := s.Record(ctx, r1); err == nil {
			t.Fatal("an outbox row the database refuses was accepted")
		}
		if _, err := s.Case(ctx, "GD-2026-0001"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("case after a failed record: %v, want ErrNotFound (rolled back)", err)
		}
		if n := countRows(t, s, "events"); n != 0 {
			t.Fatalf("%d events after a failed record", n)
		}
		r1.Notifications = r1.Notifications[:2]
		mustRecord(t, s, r1)
	})
}

func TestRecordReplacesChildren(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		r1 := received(newCase("ZJ-2026-0001", "ZJ", "2026-03-23"))
		r2 := next(r1, article23.EventExtensionRequested, func(c *article23.Case) {
			c.Extensions = []article23.Extension{{ID: 1, Reason: "专家意见分歧", Workdays: 90, OldDue: "2026-06-01", NewDue: "2026-07-10",
				State: article23.ExtensionPending, RequestedBy: article23.Actor{ID: "li", Role: article23.RoleSecretary}, RequestedAt: t0}}
			c.Escalations = []article23.Escalation{{ID: 1, Clock: article23.ClockDecision, Level: 1, RaisedAt: t0}}
		})
		r3 := next(r2, article23.EventExtensionApproved, func(c *article23.Case) {
			ext := c.Extensions[0]
			ext.State, ext.DecidedBy, ext.DecidedAt = article23.ExtensionApproved, &article23.Actor{ID: "zhang", Role: article23.RoleSupervisor}, &t0
			c.Extensions = []article23.Extension{ext}
			c.Escalations = nil
		})
		for _, r := range []article23.Record{r1, r2, r3} {
			mustRecord(t, s, r)
		}
		view, err := s.Case(t.Context(), "ZJ-2026-0001")
		if err != nil {
			t.Fatal(err)
		}
		e := view.Case.Extensions
		if len(e) != 1 || e[0].State != article23.ExtensionApproved || e[0].DecidedBy.ID != "zhang" || len(view.Case.Escalations) != 0 {
			t.Fatalf("children: %+v %+v", e, view.Case.Escalations)
		}
	})
}

func countRows(t *testing.T, s *Store, table string) int64 {
	t.Helper()
	var n int64
	if err := s.db.Table(table).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// TestRecordWritesClocksAsTheCaseHasThem: Record writes only the clock rows that changed;
// what is read back is still every clock as the case has it, after an act that starts
// clocks, one that changes none, one that ends the case, and a repair that drops clocks.
func TestRecordWritesClocksAsTheCaseHasThem(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		number := "BJ-2026-0042"
		check := func(r article23.Record) {
			t.Helper()
			view, err := s.Case(ctx, number)
			if err != nil {
				t.Fatal(err)
			}
			got, want := view.Case.Clocks, r.Case.Clocks
			if len(got) != len(want) {
				t.Fatalf("after seq %d: %d clocks, want %d: %+v", r.Event.Seq, len(got), len(want), got)
			}
			for i := range want {
				w := want[i]
				w.DeadlineAt = w.DeadlineAt.UTC()
				if g := got[i]; !g.DeadlineAt.Equal(w.DeadlineAt) || !sameInstant(g.BreachedAt, w.BreachedAt) {
					t.Fatalf("after seq %d, clock %s: %+v, want %+v", r.Event.Seq, w.Name, g, w)
				}
				g := got[i]
				g.DeadlineAt, w.DeadlineAt, g.BreachedAt, w.BreachedAt = time.Time{}, time.Time{}, nil, nil
				if g != w {
					t.Fatalf("after seq %d, clock %s: %+v, want %+v", r.Event.Seq, w.Name, got[i], want[i])
				}
			}
		}
		r1 := received(newCase(number, "BJ", "2026-03-23"))
		mustRecord(t, s, r1)
		check(r1)
		r2 := next(r1, article23.EventAccepted, func(c *article23.Case) {
			c.Stage = article23.StageAccepted
			c.Clocks[0].State, c.Clocks[0].MetOn, c.Clocks[0].WorkdaysUsed = article23.ClockMet, "2026-03-10", 6
			for _, k := range []struct {
				name article23.ClockName
				due  string
			}{{article23.ClockCommittee, "2026-04-22"}, {article23.ClockFeedback, "2026-06-05"}, {article23.ClockCap, "2026-07-17"}} {
				c.Clocks = append(c.Clocks, article23.Clock{Name: k.name, Start: "2026-03-10", Workdays: 30, Due: k.due,
					DeadlineAt: endOf(k.due), State: article23.ClockRunning, CalendarVersion: "2026.1", CountFrom: article23.CountFromDecision})
			}
			c.Decision = &article23.Decision{Accepted: true, DecidedOn: "2026-03-10", NoticeServedOn: "2026-03-10"}
		})
		mustRecord(t, s, r2)
		check(r2)
		r3 := next(r2, article23.EventReassigned, func(c *article23.Case) { c.Secretary = "zhang" })
		mustRecord(t, s, r3)
		check(r3)
		r4 := next(r3, article23.EventClockBreached, func(c *article23.Case) {
			at := t0.Add(30 * 24 * time.Hour)
			c.Clocks[1].State, c.Clocks[1].BreachedAt, c.Clocks[1].WorkdaysUsed = article23.ClockBreached, &at, 31
		})
		mustRecord(t, s, r4)
		check(r4)
		r5 := next(r4, article23.EventWithdrawn, func(c *article23.Case) {
			c.Stage = article23.StageWithdrawn // every clock row's case_open changes
			for i := range c.Clocks {
				if c.Clocks[i].State == article23.ClockRunning {
					c.Clocks[i].State = article23.ClockCancelled
				}
			}
		})
		mustRecord(t, s, r5)
		check(r5)
		// a repair whose workflow never accepted: the clocks it started are gone
		again := next(r1, article23.EventNotAccepted, func(c *article23.Case) {
			c.Stage = article23.StageNotAccepted
			c.Clocks[0].State, c.Clocks[0].MetOn, c.Clocks[0].WorkdaysUsed = article23.ClockMet, "2026-03-11", 7
			c.Decision = &article23.Decision{Accepted: false, Reasons: "不属于维权范围", DecidedOn: "2026-03-11", NoticeServedOn: "2026-03-11"}
		})
		if err := s.Replace(ctx, again); err != nil {
			t.Fatal(err)
		}
		check(again)
	})
}

// TestSameClockRowSeesEveryField: a clock row that differs in any one column is not the
// same, so Record never leaves a stale row behind (a column added later included).
func TestSameClockRowSeesEveryField(t *testing.T) {
	at := t0
	used, lag := 3, 1
	base := clockRow{CaseNumber: "BJ-2026-0001", Name: "decision", Position: 0, Institute: "BJ", CaseOpen: true,
		StartOn: "2026-03-02", Workdays: 15, DueOn: "2026-03-23", DeadlineAt: t0, State: "met", CalendarVersion: "2026.1",
		Provisional: false, CountFrom: "receipt", Explanation: "", BreachedAt: &at, MetOn: "2026-03-05",
		WorkdaysUsed: &used, EnteredOn: "2026-03-05", EntryLagWorkdays: &lag}
	if !sameClockRow(base, base) {
		t.Fatal("a row is not the same as itself")
	}
	read := base
	read.DeadlineAt = base.DeadlineAt.In(time.FixedZone("CST", 8*3600))
	if !sameClockRow(base, read) {
		t.Fatal("the same instant in another location reads as a change")
	}
	typ := reflect.TypeFor[clockRow]()
	for i := range typ.NumField() {
		changed := base
		f := reflect.ValueOf(&changed).Elem().Field(i)
		switch v := f.Addr().Interface().(type) {
		case *string:
			*v += "x"
		case *int:
			*v++
		case *bool:
			*v = !*v
		case *time.Time:
			*v = v.Add(time.Second)
		case **time.Time:
			*v = nil
		case **int:
			*v = nil
		default:
			t.Fatalf("field %s: type %s not covered by this test", typ.Field(i).Name, f.Type())
		}
		if sameClockRow(base, changed) {
			t.Errorf("a row differing in %s reads as the same", typ.Field(i).Name)
		}
	}
}
