package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/cicpa/weiquan/article23"
)

type recordFailureRow struct {
	CaseNumber string `gorm:"primaryKey"`
	Since      time.Time
	LastAt     time.Time
	Attempts   int
	LastError  string
}

func (recordFailureRow) TableName() string { return "record_failures" }

func (r recordFailureRow) failure() RecordFailure {
	return RecordFailure{r.CaseNumber, r.Since.UTC(), r.LastAt.UTC(), r.Attempts, r.LastError}
}

// RecordFailure is a case whose latest events the store has not taken: the workflow and the
// read model are out of step until a recording succeeds or `weiquan reconcile --repair` runs.
type RecordFailure struct {
	Number    string    `json:"number"`
	Since     time.Time `json:"since"`
	LastAt    time.Time `json:"last_at"`
	Attempts  int       `json:"attempts"`
	LastError string    `json:"last_error"`
}

// maxFailureText bounds the kept error: enough to diagnose, never a whole payload.
const maxFailureText = 500

// NoteRecordFailure marks the case as out of step after a failed recording of its events,
// counting the attempts. It is its own small statement: when the database refuses the events
// it usually still takes this; when it is down, the caller's log and metric remain.
func (s *Store) NoteRecordFailure(ctx context.Context, number string, cause error) error {
	now := s.now().UTC()
	row := recordFailureRow{CaseNumber: number, Since: now, LastAt: now, Attempts: 1, LastError: failureText(cause)}
	err := s.db.WithContext(ctx).Clauses(clause.OnConflict{
		Columns: []clause.Column{{Name: "case_number"}},
		DoUpdates: clause.Assignments(map[string]any{
			"last_at": now, "last_error": row.LastError, "attempts": gorm.Expr("record_failures.attempts + 1"),
		}),
	}).Create(&row).Error
	return wrap("note record failure "+number, err)
}

// failureText is the error's text, valid UTF-8 without NUL (the database must be able to store
// it even when the cause was such a character) and bounded.
func failureText(err error) string {
	t := strings.ToValidUTF8(err.Error(), "?")
	t = strings.ReplaceAll(t, "\x00", "?")
	if len(t) > maxFailureText {
		t = strings.ToValidUTF8(t[:maxFailureText], "") + "…"
	}
	return t
}

// ClearRecordFailure removes the case's mark, if any.
func (s *Store) ClearRecordFailure(ctx context.Context, number string) error {
	err := s.db.WithContext(ctx).Where("case_number = ?", number).Delete(&recordFailureRow{}).Error
	return wrap("clear record failure "+number, err)
}

// RecordFailures lists the marked cases, oldest mark first, at most limit of them.
func (s *Store) RecordFailures(ctx context.Context, limit int) ([]RecordFailure, error) {
	var rows []recordFailureRow
	err := s.db.WithContext(ctx).Order("since, case_number").Limit(limit).Find(&rows).Error
	if err != nil {
		return nil, wrap("record failures", err)
	}
	out := make([]RecordFailure, len(rows))
	for i, r := range rows {
		out[i] = r.failure()
	}
	return out, nil
}

// CaseRecordFailure returns the case's mark, or ErrNotFound when it is in step.
func (s *Store) CaseRecordFailure(ctx context.Context, number string) (RecordFailure, error) {
	var r recordFailureRow
	err := s.db.WithContext(ctx).Where("case_number = ?", number).Take(&r).Error
	if err != nil {
		return RecordFailure{}, wrap("record failure "+number, err)
	}
	return r.failure(), nil
}

// CountSuperseded is the number of events a later workflow task replaced (Record), ever
// (for /metrics).
func (s *Store) CountSuperseded(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Table("superseded_events").Count(&n).Error
	return n, wrap("count superseded events", err)
}

// CountRecordFailures is the number of cases out of step (for /metrics).
func (s *Store) CountRecordFailures(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&recordFailureRow{}).Count(&n).Error
	return n, wrap("count record failures", err)
}

// RewriteCase replaces the read model of an already recorded case with c, the case as its
// workflow held it after event seq, without adding events: the repair of a read model that
// drifted although every event was recorded. It is refused with ErrOutOfOrder unless seq is
// the store's last, so a snapshot older than the store's events can never overwrite them.
func (s *Store) RewriteCase(ctx context.Context, c article23.Case, seq int64) error {
	err := s.transaction(ctx, func(tx *gorm.DB) error {
		head, err := lockHead(tx, c.Number)
		switch {
		case err != nil:
			return err
		case head.Seq == 0:
			return fmt.Errorf("case %s: %w", c.Number, ErrNotFound)
		case head.Seq != seq:
			return fmt.Errorf("case %s is at seq %d, the snapshot at %d: %w", c.Number, head.Seq, seq, ErrOutOfOrder)
		}
		return writeCase(tx, c, head)
	})
	return wrap("rewrite case "+c.Number, err)
}

// Correction is one supersession of a case's events: at At, the events from FromSeq on (Events
// of them) were replaced by a later workflow task's, or by a repair (Record, Replace).
type Correction struct {
	At      time.Time `json:"at"`
	FromSeq int64     `json:"from_seq"`
	Events  int       `json:"events"`
}

// CaseCorrections lists the supersessions of the case's events, oldest first (none for
// almost every case).
func (s *Store) CaseCorrections(ctx context.Context, number string) ([]Correction, error) {
	var rows []struct {
		SupersededAt time.Time
		FromSeq      int64
		Events       int
	}
	err := s.db.WithContext(ctx).Table("superseded_events").
		Select("superseded_at, MIN(seq) AS from_seq, COUNT(*) AS events").
		Where("case_number = ?", number).Group("superseded_at").Order("superseded_at").Scan(&rows).Error
	if err != nil {
		return nil, wrap("corrections of "+number, err)
	}
	out := make([]Correction, len(rows))
	for i, r := range rows {
		out[i] = Correction{At: r.SupersededAt.UTC(), FromSeq: r.FromSeq, Events: r.Events}
	}
	return out, nil
}
