package store

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/cicpa/weiquan/article23"
)

// Record persists events of one case in seq order, each with the notifications it causes,
// and the case as it stands after the last of them, in one transaction. It is idempotent on
// (case number, event seq, task): a record already present is skipped and not counted. A seq
// other than last_seq+1 is refused with ErrOutOfOrder and nothing of the call is written, so
// the log never has gaps; the recording activity retries until its predecessor lands. It
// returns how many records were new.
//
// Records carry the workflow task that emitted them (article23.TaskMark). Where the store
// holds an event of the same seq from an earlier task, that task was discarded before it
// completed and its successor numbered the case's events differently: the events from that
// seq on are superseded (supersede), and the later task's take their place. Records from a
// task earlier than the one the store holds at their seq, or at its last seq, come from a
// discarded task that is still running somewhere (a worker cut off, not dead): nothing of
// them is written, and the call fails with article23.ErrTaskSuperseded.
func (s *Store) Record(ctx context.Context, rs ...article23.Record) (applied int, err error) {
	if err := validateBatch(rs); err != nil {
		return 0, fmt.Errorf("record: %w", err)
	}
	number := rs[0].Case.Number
	var sup *Supersession
	err = s.transaction(ctx, func(tx *gorm.DB) error {
		sup = nil
		head, err := lockHead(tx, number)
		if err != nil {
			return err
		}
		if rs[0].Event.Seq <= head.Seq {
			from, stale, err := divergence(tx, number, head.Seq, rs)
			if err != nil {
				return err
			}
			if stale {
				return fmt.Errorf("seq %d..%d of task %d: %w", rs[0].Event.Seq, rs[len(rs)-1].Event.Seq, rs[0].Task.Event, article23.ErrTaskSuperseded)
			}
			if from > 0 {
				if sup, err = s.supersede(tx, number, from, rs[from-rs[0].Event.Seq].Task); err != nil {
					return err
				}
				head = logHead{Seq: from - 1}
			}
		}
		fresh := rs
		for len(fresh) > 0 && fresh[0].Event.Seq <= head.Seq {
			fresh = fresh[1:] // already recorded: seqs have no gaps, so every seq up to last is present
		}
		if len(fresh) == 0 {
			return nil
		}
		if fresh[0].Event.Seq != head.Seq+1 {
			return fmt.Errorf("case %s is at seq %d, got seq %d: %w", number, head.Seq, fresh[0].Event.Seq, ErrOutOfOrder)
		}
		if later(head.Task, fresh[0].Task) {
			// a later task recorded the events before these: they are a discarded task's
			return fmt.Errorf("seq %d of task %d after seq %d of task %d: %w", fresh[0].Event.Seq, fresh[0].Task.Event, head.Seq, head.Task.Event, article23.ErrTaskSuperseded)
		}
		applied = len(fresh)
		return appendRecords(tx, fresh, sup != nil)
	})
	if err != nil && isDuplicate(err) && s.eventExists(ctx, number, rs[len(rs)-1].Event.Seq) {
		return 0, nil // a concurrent attempt recorded the same events first
	}
	if err != nil {
		return 0, wrap("record "+number, err)
	}
	if sup != nil && s.onSupersede != nil {
		s.onSupersede(*sup)
	}
	return applied, nil
}

// appendRecords writes rs, which follow the case's last recorded event, and the case after
// the last of them.
func appendRecords(tx *gorm.DB, rs []article23.Record, superseding bool) error {
	// the read model needs only the case after the last event (earlier snapshots of the
	// same call would be overwritten in this transaction), and first: events refer to it
	newest := rs[len(rs)-1]
	if err := writeCase(tx, newest.Case, logHead{Seq: newest.Event.Seq, Task: newest.Task}); err != nil {
		return err
	}
	for _, r := range rs {
		if err := tx.Create(ptr(eventRowFrom(r.Case.Number, r.Event, r.Task))).Error; err != nil {
			return fmt.Errorf("event %d: %w", r.Event.Seq, err)
		}
		if err := enqueue(tx, r, superseding); err != nil {
			return err
		}
	}
	return nil
}

// Replace is the repair of a log that differs from its workflow's (weiquan reconcile
// --repair): the store's events from the first of rs on are superseded, as Record supersedes
// a discarded task's, and rs (the workflow's events from that seq to its last) take their
// place, whatever tasks the store's events name: events recorded before records carried
// their task cannot be told apart otherwise.
func (s *Store) Replace(ctx context.Context, rs ...article23.Record) error {
	if err := validateBatch(rs); err != nil {
		return fmt.Errorf("replace: %w", err)
	}
	number, from := rs[0].Case.Number, rs[0].Event.Seq
	var sup *Supersession
	err := s.transaction(ctx, func(tx *gorm.DB) error {
		head, err := lockHead(tx, number)
		switch {
		case err != nil:
			return err
		case from > head.Seq+1:
			return fmt.Errorf("case %s is at seq %d, got seq %d: %w", number, head.Seq, from, ErrOutOfOrder)
		}
		if from <= head.Seq {
			if sup, err = s.supersede(tx, number, from, article23.TaskMark{}); err != nil {
				return err
			}
		}
		return appendRecords(tx, rs, sup != nil)
	})
	if err != nil {
		return wrap("replace events of "+number, err)
	}
	if sup != nil && s.onSupersede != nil {
		s.onSupersede(*sup)
	}
	return nil
}

// taskNs is the time of a known mark in Unix nanoseconds, 0 for the unknown one.
func taskNs(m article23.TaskMark) int64 {
	if !m.Known() {
		return 0
	}
	return m.At.UnixNano()
}

// later reports whether stored is known to be a later task than incoming.
func later(stored, incoming article23.TaskMark) bool {
	return stored.Known() && incoming.Known() && stored.Compare(incoming) > 0
}

// divergence compares the tasks of the records of rs the store already holds (up to seq
// last) with those it holds: from is the first seq whose stored event an earlier task
// emitted (0 if none), stale whether the store holds one from a later task than the record's.
func divergence(tx *gorm.DB, number string, last int64, rs []article23.Record) (from int64, stale bool, err error) {
	var rows []eventRow
	err = tx.Select("seq", "task_event", "task_ns").
		Where("case_number = ? AND seq BETWEEN ? AND ?", number, rs[0].Event.Seq, min(last, rs[len(rs)-1].Event.Seq)).
		Order("seq").Find(&rows).Error
	if err != nil {
		return 0, false, fmt.Errorf("tasks of recorded events: %w", err)
	}
	for _, row := range rows {
		r := rs[row.Seq-rs[0].Event.Seq]
		stored := row.task()
		if !stored.Known() || !r.Task.Known() {
			continue
		}
		switch stored.Compare(r.Task) {
		case 1:
			return 0, true, nil
		case -1:
			return row.Seq, false, nil
		}
	}
	return 0, false, nil
}

// Supersession is what Record did when a later workflow task numbered a case's events
// differently from an earlier, discarded one.
type Supersession struct {
	Case    string
	FromSeq int64 // the first seq whose event was replaced
	Events  int   // how many events were moved to superseded_events
	By      article23.TaskMark
}

// OnSupersede has fn called after each Record that superseded events (for the log: the
// events stay in superseded_events, and /metrics counts them).
func (s *Store) OnSupersede(fn func(Supersession)) { s.onSupersede = fn }

// supersede moves the case's events from seq from on to superseded_events (the only way an
// event leaves the log: the database refuses the delete of one not archived first), drops
// the notifications of theirs no dispatcher has claimed yet (those claimed may be on their
// way, or have reached someone: they stay, and their keys stay taken, see enqueue) and their
// letters (the later task's events issue their own), all in the caller's transaction.
func (s *Store) supersede(tx *gorm.DB, number string, from int64, by article23.TaskMark) (*Supersession, error) {
	res := tx.Exec(`INSERT INTO superseded_events (case_number, seq, task_event, task_ns, type, actor, at, payload, superseded_at, by_task_event, by_task_ns)
		SELECT case_number, seq, task_event, task_ns, type, actor, at, payload, ?, ?, ? FROM events WHERE case_number = ? AND seq >= ?`,
		s.now().UTC(), by.Event, taskNs(by), number, from)
	if res.Error != nil {
		return nil, fmt.Errorf("archive superseded events: %w", res.Error)
	}
	steps := []struct{ what, sql string }{
		{"events", "DELETE FROM events WHERE case_number = ? AND seq >= ?"},
		{"unsent notifications", "DELETE FROM outbox WHERE case_number = ? AND event_seq >= ? AND state = 'pending' AND attempts = 0"},
		{"letters", "DELETE FROM documents WHERE case_number = ? AND event_seq >= ?"},
	}
	for _, st := range steps {
		if err := tx.Exec(st.sql, number, from).Error; err != nil {
			return nil, fmt.Errorf("superseded %s: %w", st.what, err)
		}
	}
	return &Supersession{Case: number, FromSeq: from, Events: int(res.RowsAffected), By: by}, nil
}

// validateBatch checks every record and that they are consecutive events of one case.
func validateBatch(rs []article23.Record) error {
	if len(rs) == 0 {
		return errors.New("no records")
	}
	for i, r := range rs {
		if err := validateRecord(r); err != nil {
			return err
		}
		if i == 0 {
			continue
		}
		if r.Case.Number != rs[0].Case.Number {
			return fmt.Errorf("one case per call, got %s and %s", rs[0].Case.Number, r.Case.Number)
		}
		if r.Event.Seq != rs[i-1].Event.Seq+1 {
			return fmt.Errorf("seqs must be consecutive, got %d after %d", r.Event.Seq, rs[i-1].Event.Seq)
		}
	}
	return nil
}

func validateRecord(r article23.Record) error {
	var errs []error
	if r.Case.Number == "" {
		errs = append(errs, errors.New("case number is empty"))
	}
	if r.Event.Seq < 1 {
		errs = append(errs, fmt.Errorf("event seq must be at least 1, got %d", r.Event.Seq))
	}
	if r.Event.Type == "" {
		errs = append(errs, errors.New("event type is empty"))
	}
	if r.Case.Applicant.MemberNo == "" {
		errs = append(errs, errors.New("applicant member_no is empty"))
	}
	return errors.Join(errs...)
}

// logHead is the case's last recorded event: its seq and the task that emitted it.
type logHead struct {
	Seq  int64
	Task article23.TaskMark
}

// lockHead returns the case's last recorded event (zero for a new case), locking its row on
// PostgreSQL; SQLite transactions already hold the write lock (_txlock=immediate).
func lockHead(tx *gorm.DB, number string) (logHead, error) {
	var rows []caseRow
	err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Model(&caseRow{}).Select("last_seq", "last_task_event", "last_task_ns").
		Where("number = ?", number).Find(&rows).Error
	if err != nil || len(rows) == 0 {
		return logHead{}, err
	}
	return logHead{Seq: rows[0].LastSeq, Task: taskMark(rows[0].LastTaskEvent, rows[0].LastTaskNs)}, nil
}

// writeCase upserts the member and case rows, replaces the case's clocks, extensions and
// escalations with those of c and appends to the compliance rollup's deltas the change from
// their old to their new contribution.
func writeCase(tx *gorm.DB, c article23.Case, head logHead) error {
	member := memberRow{MemberNo: c.Applicant.MemberNo, Name: c.Applicant.Name, Kind: string(c.Applicant.Kind), UpdatedAt: c.UpdatedAt.UTC()}
	if err := tx.Clauses(clause.OnConflict{UpdateAll: true}).Create(&member).Error; err != nil {
		return fmt.Errorf("member %s: %w", member.MemberNo, err)
	}
	if err := tx.Clauses(clause.OnConflict{UpdateAll: true}).Create(ptr(caseRowFrom(c, head))).Error; err != nil {
		return fmt.Errorf("case row: %w", err)
	}
	rollup := newRollupDelta()
	stored, err := storedContribution(tx, rollup, c.Number)
	if err != nil {
		return err
	}
	clocks := clockRowsFrom(c)
	rollup.add(clocks, approvedExtensions(c), +1)
	if err := syncClocks(tx, c.Number, stored, clocks); err != nil {
		return err
	}
	children := []struct {
		name string
		rows any
		n    int
	}{
		{"extensions", extensionRowsFrom(c), len(c.Extensions)},
		{"escalations", escalationRowsFrom(c), len(c.Escalations)},
	}
	for _, child := range children {
		if err := tx.Exec("DELETE FROM "+child.name+" WHERE case_number = ?", c.Number).Error; err != nil {
			return fmt.Errorf("%s: %w", child.name, err)
		}
		if child.n == 0 {
			continue
		}
		if err := tx.Create(child.rows).Error; err != nil {
			return fmt.Errorf("%s: %w", child.name, err)
		}
	}
	return rollup.apply(tx, rollupDeltas)
}

// syncClocks makes the clock rows of case number want, writing only those that differ from
// stored: most acts change one clock or none, and every clock row is in six indexes.
func syncClocks(tx *gorm.DB, number string, stored, want []clockRow) error {
	had := make(map[string]clockRow, len(stored))
	for _, r := range stored {
		had[r.Name] = r
	}
	var write []clockRow
	for _, r := range want {
		if old, ok := had[r.Name]; !ok || !sameClockRow(old, r) {
			write = append(write, r)
		}
		delete(had, r.Name)
	}
	if len(had) > 0 { // a clock the case no longer has: only where a repair replaces events
		gone := slices.Sorted(maps.Keys(had))
		if err := tx.Exec("DELETE FROM clocks WHERE case_number = ? AND name IN ?", number, gone).Error; err != nil {
			return fmt.Errorf("clocks: %w", err)
		}
	}
	if len(write) == 0 {
		return nil
	}
	if err := tx.Clauses(clause.OnConflict{UpdateAll: true}).Create(&write).Error; err != nil {
		return fmt.Errorf("clocks: %w", err)
	}
	return nil
}

// sameClockRow reports whether a stored clock row already says what r does; instants are
// compared as instants (a row read back carries the database's location).
func sameClockRow(stored, r clockRow) bool {
	return stored.CaseNumber == r.CaseNumber && stored.Name == r.Name && stored.Position == r.Position &&
		stored.Institute == r.Institute && stored.CaseOpen == r.CaseOpen && stored.StartOn == r.StartOn &&
		stored.Workdays == r.Workdays && stored.DueOn == r.DueOn && stored.DeadlineAt.Equal(r.DeadlineAt) &&
		stored.State == r.State && stored.CalendarVersion == r.CalendarVersion && stored.Provisional == r.Provisional &&
		stored.CountFrom == r.CountFrom && stored.Explanation == r.Explanation && sameInstant(stored.BreachedAt, r.BreachedAt) &&
		stored.MetOn == r.MetOn && samePtr(stored.WorkdaysUsed, r.WorkdaysUsed) && stored.EnteredOn == r.EnteredOn &&
		samePtr(stored.EntryLagWorkdays, r.EntryLagWorkdays)
}

func sameInstant(a, b *time.Time) bool {
	return a == nil && b == nil || a != nil && b != nil && a.Equal(*b)
}

func samePtr[T comparable](a, b *T) bool {
	return a == nil && b == nil || a != nil && b != nil && *a == *b
}

func (s *Store) eventExists(ctx context.Context, number string, seq int64) bool {
	var n int64
	err := s.db.WithContext(ctx).Model(&eventRow{}).Where("case_number = ? AND seq = ?", number, seq).Count(&n).Error
	return err == nil && n > 0
}

func ptr[T any](v T) *T { return &v }
