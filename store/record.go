package store

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/cicpa/weiquan/article23"
)

// Record persists events of one case in seq order, each with the notifications it causes,
// and the case as it stands after the last of them, in one transaction. It is idempotent on
// (case number, event seq): a record already present is skipped and not counted. A seq other
// than last_seq+1 is refused with ErrOutOfOrder and nothing of the call is written, so the log
// never has gaps; the recording activity retries until its predecessor lands. It returns how
// many records were new.
func (s *Store) Record(ctx context.Context, rs ...article23.Record) (applied int, err error) {
	if err := validateBatch(rs); err != nil {
		return 0, fmt.Errorf("record: %w", err)
	}
	number := rs[0].Case.Number
	err = s.transaction(ctx, func(tx *gorm.DB) error {
		last, err := lockLastSeq(tx, number)
		if err != nil {
			return err
		}
		fresh := rs
		for len(fresh) > 0 && fresh[0].Event.Seq <= last {
			fresh = fresh[1:] // already recorded: seqs have no gaps, so every seq up to last is present
		}
		if len(fresh) == 0 {
			return nil
		}
		if fresh[0].Event.Seq != last+1 {
			return fmt.Errorf("case %s is at seq %d, got seq %d: %w", number, last, fresh[0].Event.Seq, ErrOutOfOrder)
		}
		// the read model needs only the case after the last event (earlier snapshots of the
		// same call would be overwritten in this transaction), and first: events refer to it
		newest := fresh[len(fresh)-1]
		if err := writeCase(tx, newest.Case, newest.Event.Seq); err != nil {
			return err
		}
		for _, r := range fresh {
			if err := tx.Create(ptr(eventRowFrom(number, r.Event))).Error; err != nil {
				return fmt.Errorf("event %d: %w", r.Event.Seq, err)
			}
			if err := enqueue(tx, r); err != nil {
				return err
			}
		}
		applied = len(fresh)
		return nil
	})
	if err != nil && isDuplicate(err) && s.eventExists(ctx, number, rs[len(rs)-1].Event.Seq) {
		return 0, nil // a concurrent attempt recorded the same events first
	}
	if err != nil {
		return 0, wrap("record "+number, err)
	}
	return applied, nil
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

// lockLastSeq returns the case's last recorded seq (0 for a new case), locking its row on
// PostgreSQL; SQLite transactions already hold the write lock (_txlock=immediate).
func lockLastSeq(tx *gorm.DB, number string) (int64, error) {
	var last []int64
	err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Model(&caseRow{}).
		Where("number = ?", number).Pluck("last_seq", &last).Error
	if err != nil || len(last) == 0 {
		return 0, err
	}
	return last[0], nil
}

// writeCase upserts the member and case rows, replaces the case's clocks, extensions and
// escalations with those of c and appends to the compliance rollup's deltas the change from
// their old to their new contribution.
func writeCase(tx *gorm.DB, c article23.Case, seq int64) error {
	member := memberRow{MemberNo: c.Applicant.MemberNo, Name: c.Applicant.Name, Kind: string(c.Applicant.Kind), UpdatedAt: c.UpdatedAt.UTC()}
	if err := tx.Clauses(clause.OnConflict{UpdateAll: true}).Create(&member).Error; err != nil {
		return fmt.Errorf("member %s: %w", member.MemberNo, err)
	}
	if err := tx.Clauses(clause.OnConflict{UpdateAll: true}).Create(ptr(caseRowFrom(c, seq))).Error; err != nil {
		return fmt.Errorf("case row: %w", err)
	}
	rollup := newRollupDelta()
	if err := storedContribution(tx, rollup, c.Number); err != nil {
		return err
	}
	clocks := clockRowsFrom(c)
	rollup.add(clocks, approvedExtensions(c), +1)
	children := []struct {
		name string
		rows any
		n    int
	}{
		{"clocks", clocks, len(c.Clocks)},
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

func (s *Store) eventExists(ctx context.Context, number string, seq int64) bool {
	var n int64
	err := s.db.WithContext(ctx).Model(&eventRow{}).Where("case_number = ? AND seq = ?", number, seq).Count(&n).Error
	return err == nil && n > 0
}

func ptr[T any](v T) *T { return &v }
