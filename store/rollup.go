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
// changes them (Record, Seed) by adding what the case contributes now and subtracting what it
// contributed before; migration 0006 backfills it with the same definition in SQL.

type rollupKey struct{ month, institute, clock string }

type rollupCounts struct{ onTime, late, running, extensions int64 }

type workdaysKey struct {
	rollupKey
	used int
}

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

// apply upserts the non-zero changes, in key order so concurrent transactions lock shared
// rows in the same order and cannot deadlock on each other.
func (d *rollupDelta) apply(tx *gorm.DB) error {
	var counts []any
	var rows int
	for _, k := range slices.SortedFunc(maps.Keys(d.counts), compareRollupKeys) {
		if c := d.counts[k]; c != (rollupCounts{}) {
			counts = append(counts, k.month, k.institute, k.clock, c.onTime, c.late, c.running, c.extensions)
			rows++
		}
	}
	if err := upsertRollup(tx, "compliance_months", "due_month, institute, clock, on_time, late, running, extensions",
		"due_month, institute, clock", []string{"on_time", "late", "running", "extensions"}, rows, counts); err != nil {
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
	return upsertRollup(tx, "compliance_workdays", "due_month, institute, clock, workdays_used, n",
		"due_month, institute, clock, workdays_used", []string{"n"}, rows, hist)
}

// upsertRollup inserts rows of args, adding to the counters of rows that exist.
func upsertRollup(tx *gorm.DB, table, columns, key string, counters []string, rows int, args []any) error {
	if rows == 0 {
		return nil
	}
	width := strings.Count(columns, ",") + 1
	tuple := "(" + strings.TrimSuffix(strings.Repeat("?, ", width), ", ") + ")"
	set := make([]string, len(counters))
	for i, c := range counters {
		set[i] = fmt.Sprintf("%s = %s.%s + excluded.%s", c, table, c, c)
	}
	for done := 0; done < rows; done += rollupChunk {
		n := min(rollupChunk, rows-done)
		sql := "INSERT INTO " + table + " (" + columns + ") VALUES " + strings.TrimSuffix(strings.Repeat(tuple+", ", n), ", ") +
			" ON CONFLICT (" + key + ") DO UPDATE SET " + strings.Join(set, ", ")
		if err := tx.Exec(sql, args[done*width:(done+n)*width]...).Error; err != nil {
			return fmt.Errorf("%s: %w", table, err)
		}
	}
	return nil
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
// contribute, before Record replaces them.
func storedContribution(tx *gorm.DB, d *rollupDelta, number string) error {
	var clocks []clockRow
	if err := tx.Select("institute, name, due_on, state, workdays_used").Where("case_number = ?", number).Find(&clocks).Error; err != nil {
		return fmt.Errorf("compliance rollup: %w", err)
	}
	var approved int64
	if len(clocks) > 0 {
		err := tx.Model(&extensionRow{}).Where("case_number = ? AND state = ?", number, article23.ExtensionApproved).Count(&approved).Error
		if err != nil {
			return fmt.Errorf("compliance rollup: %w", err)
		}
	}
	d.add(clocks, approved, -1)
	return nil
}
