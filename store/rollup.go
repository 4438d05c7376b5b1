package store

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"

	"gorm.io/gorm"

	"github.com/cicpa/weiquan/article23"
)

// The compliance rollup holds, per due month, institute and clock, what Compliance reports:
// compliance_months the counts, compliance_workdays a histogram of workdays_used for the
// exact median. It is a function of clocks and extensions, kept in the transaction that
// changes them by adding what the case contributes now and subtracting what it contributed
// before; migration 0006 backfills it with the same definition in SQL.
//
// Record does not update those rows: every case of an institute and due month shares one,
// and concurrent recordings would queue on its lock until each commits. It appends its change
// to the insert-only delta tables (migration 0007) instead; CompactRollup folds them in, and
// readers sum the rollup and its deltas in one statement. Seed, a single bulk writer, updates
// the rollup directly.

// rollupTables says where a delta goes.
type rollupTables struct {
	months, workdays string
	upsert           bool // add to existing rows; otherwise insert rows of their own
}

var (
	rollupDirect = rollupTables{months: "compliance_months", workdays: "compliance_workdays", upsert: true}
	rollupDeltas = rollupTables{months: "compliance_month_deltas", workdays: "compliance_workday_deltas"}
)

type rollupKey struct{ month, institute, clock string }

type rollupCounts struct{ onTime, late, running, extensions, lateEntries int64 }

type workdaysKey struct {
	rollupKey
	used int
}

// monthCounters are the counter columns of compliance_months and its deltas.
const monthCounters = "on_time, late, running, extensions, late_entries"

// rollupDelta is a change to the rollup, aggregated by key so each row is upserted once.
type rollupDelta struct {
	counts   map[rollupKey]rollupCounts
	workdays map[workdaysKey]int64
}

func newRollupDelta() *rollupDelta {
	return &rollupDelta{counts: map[rollupKey]rollupCounts{}, workdays: map[workdaysKey]int64{}}
}

// add adds (sign +1) or subtracts (sign -1) one case's clocks, approved of which it has.
// A clock counts in the month of its due date; cancelled clocks do not count; approved
// extensions count on the feedback clock.
func (d *rollupDelta) add(clocks []clockRow, approved int64, sign int64) {
	for _, k := range clocks {
		if k.State == string(article23.ClockCancelled) || len(k.DueOn) < 7 {
			continue
		}
		key := rollupKey{month: k.DueOn[:7], institute: k.Institute, clock: k.Name}
		c := d.counts[key]
		switch k.State {
		case string(article23.ClockMet):
			c.onTime += sign
			if k.EnteredOn > k.DueOn {
				c.lateEntries += sign // on time on paper, entered after the due date
			}
		case string(article23.ClockBreached):
			c.late += sign
		case string(article23.ClockRunning):
			c.running += sign
		}
		if k.Name == string(article23.ClockFeedback) {
			c.extensions += sign * approved
		}
		d.counts[key] = c
		finished := k.State == string(article23.ClockMet) || k.State == string(article23.ClockBreached)
		if finished && k.WorkdaysUsed != nil {
			d.workdays[workdaysKey{key, *k.WorkdaysUsed}] += sign
		}
	}
}

// apply writes the non-zero changes to the tables of to, in key order so concurrent
// transactions upserting shared rows lock them in the same order and cannot deadlock.
func (d *rollupDelta) apply(tx *gorm.DB, to rollupTables) error {
	var counts []any
	var rows int
	for _, k := range slices.SortedFunc(maps.Keys(d.counts), compareRollupKeys) {
		if c := d.counts[k]; c != (rollupCounts{}) {
			counts = append(counts, k.month, k.institute, k.clock, c.onTime, c.late, c.running, c.extensions, c.lateEntries)
			rows++
		}
	}
	err := insertRollup(tx, to.months, "due_month, institute, clock, "+monthCounters,
		to.upsert, "due_month, institute, clock", strings.Split(monthCounters, ", "), rows, counts)
	if err != nil {
		return err
	}
	var hist []any
	rows = 0
	for _, k := range slices.SortedFunc(maps.Keys(d.workdays), compareWorkdaysKeys) {
		if n := d.workdays[k]; n != 0 {
			hist = append(hist, k.month, k.institute, k.clock, k.used, n)
			rows++
		}
	}
	return insertRollup(tx, to.workdays, "due_month, institute, clock, workdays_used, n",
		to.upsert, "due_month, institute, clock, workdays_used", []string{"n"}, rows, hist)
}

// insertRollup inserts rows of args; with upsert, a row whose key exists adds its counters
// to that row's instead.
func insertRollup(tx *gorm.DB, table, columns string, upsert bool, key string, counters []string, rows int, args []any) error {
	if rows == 0 {
		return nil
	}
	width := strings.Count(columns, ",") + 1
	tuple := "(" + strings.TrimSuffix(strings.Repeat("?, ", width), ", ") + ")"
	onConflict := ""
	if upsert {
		onConflict = " ON CONFLICT (" + key + ") DO UPDATE SET " + addExcluded(table, counters)
	}
	for done := 0; done < rows; done += rollupChunk {
		n := min(rollupChunk, rows-done)
		sql := "INSERT INTO " + table + " (" + columns + ") VALUES " + strings.TrimSuffix(strings.Repeat(tuple+", ", n), ", ") + onConflict
		if err := tx.Exec(sql, args[done*width:(done+n)*width]...).Error; err != nil {
			return fmt.Errorf("%s: %w", table, err)
		}
	}
	return nil
}

// addExcluded is the SET list of an upsert adding the proposed row's counters to table's.
func addExcluded(table string, counters []string) string {
	set := make([]string, len(counters))
	for i, c := range counters {
		set[i] = fmt.Sprintf("%s = %s.%s + excluded.%s", c, table, c, c)
	}
	return strings.Join(set, ", ")
}

// rollupChunk rows per statement keeps a seeding batch's upsert under SQLite's and
// PostgreSQL's limits on bound parameters.
const rollupChunk = 1000

func compareRollupKeys(a, b rollupKey) int {
	return cmp.Or(cmp.Compare(a.month, b.month), cmp.Compare(a.institute, b.institute), cmp.Compare(a.clock, b.clock))
}

func compareWorkdaysKeys(a, b workdaysKey) int {
	return cmp.Or(compareRollupKeys(a.rollupKey, b.rollupKey), cmp.Compare(a.used, b.used))
}

// approvedExtensions counts c's approved extension requests.
func approvedExtensions(c article23.Case) int64 {
	var n int64
	for _, e := range c.Extensions {
		if e.State == article23.ExtensionApproved {
			n++
		}
	}
	return n
}

// storedContribution subtracts from d what the stored clocks and extensions of case number
// contribute, before Record replaces them, and returns the stored clock rows.
func storedContribution(tx *gorm.DB, d *rollupDelta, number string) ([]clockRow, error) {
	var clocks []clockRow
	if err := tx.Where("case_number = ?", number).Find(&clocks).Error; err != nil {
		return nil, fmt.Errorf("compliance rollup: %w", err)
	}
	var approved int64
	if len(clocks) > 0 {
		err := tx.Model(&extensionRow{}).Where("case_number = ? AND state = ?", number, article23.ExtensionApproved).Count(&approved).Error
		if err != nil {
			return nil, fmt.Errorf("compliance rollup: %w", err)
		}
	}
	d.add(clocks, approved, -1)
	return clocks, nil
}
