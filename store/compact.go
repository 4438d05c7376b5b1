package store

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// rollupLockID keeps compactions on PostgreSQL one at a time ("wqroll" in ASCII).
const rollupLockID = 0x7771726f6c6c

// rollupFolds are the delta tables and how CompactRollup folds each into its rollup table.
var rollupFolds = []struct {
	deltas, into, key, columns, sums string
	counters                         []string
}{
	{"compliance_month_deltas", "compliance_months", "due_month, institute, clock",
		"due_month, institute, clock, " + monthCounters,
		"SUM(on_time), SUM(late), SUM(running), SUM(extensions), SUM(late_entries)", strings.Split(monthCounters, ", ")},
	{"compliance_workday_deltas", "compliance_workdays", "due_month, institute, clock, workdays_used",
		"due_month, institute, clock, workdays_used, n", "SUM(n)", []string{"n"}},
}

// CompactRollup folds the compliance rollup's deltas into the rollup and deletes them,
// returning how many delta rows it folded. Readers see the same figures before and after:
// the fold and the delete are one step for them. On PostgreSQL a compaction running in
// another process makes this one return 0 at once; Record is never blocked by it.
func (s *Store) CompactRollup(ctx context.Context) (folded int64, err error) {
	err = s.transaction(ctx, func(tx *gorm.DB) error {
		if s.dialect == DialectPostgres {
			var got bool
			if err := tx.Raw("SELECT pg_try_advisory_xact_lock(?)", rollupLockID).Scan(&got).Error; err != nil || !got {
				return err
			}
		}
		for _, f := range rollupFolds {
			n, err := s.fold(tx, f.deltas, f.into, f.key, f.columns, f.sums, f.counters)
			if err != nil {
				return fmt.Errorf("%s: %w", f.deltas, err)
			}
			folded += n
		}
		return nil
	})
	return folded, wrap("compact rollup", err)
}

// fold moves the rows of deltas into into. On PostgreSQL the delete and the insert are one
// statement, so a delta committed meanwhile is either in both or in neither; a SQLite
// transaction holds the database's write lock, so no delta can arrive between its two.
func (s *Store) fold(tx *gorm.DB, deltas, into, key, columns, sums string, counters []string) (int64, error) {
	upsert := " ON CONFLICT (" + key + ") DO UPDATE SET " + addExcluded(into, counters)
	if s.dialect == DialectPostgres {
		var n int64
		err := tx.Raw("WITH moved AS (DELETE FROM " + deltas + " RETURNING " + columns + "), " +
			"folded AS (INSERT INTO " + into + " (" + columns + ") SELECT " + key + ", " + sums + " FROM moved GROUP BY " + key +
			" ORDER BY " + key + upsert + " RETURNING 1) " +
			"SELECT COUNT(*) FROM moved").Scan(&n).Error
		return n, err
	}
	var n int64
	if err := tx.Table(deltas).Count(&n).Error; err != nil || n == 0 {
		return 0, err
	}
	// WHERE true: SQLite's parser needs it to read the ON CONFLICT after a SELECT
	err := tx.Exec("INSERT INTO " + into + " (" + columns + ") SELECT " + key + ", " + sums + " FROM " + deltas +
		" WHERE true GROUP BY " + key + upsert).Error
	if err != nil {
		return 0, err
	}
	return n, tx.Exec("DELETE FROM " + deltas).Error
}
