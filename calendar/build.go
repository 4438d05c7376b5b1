package calendar

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"time"

	"github.com/rickar/cal/v2"
)

// sourced is a listed date with the year whose file (or provisional rules) listed it.
type sourced struct {
	entry
	from int
}

// build merges the year files with provisional years, builds the rickar/cal
// BusinessCalendar from them and then the index from that calendar's IsWorkday.
func build(files map[int]*yearFile, prov map[int][]entry) (*Calendar, error) {
	listed, err := mergeFiles(files)
	if err != nil {
		return nil, err
	}
	c := &Calendar{files: files, prov: make(map[int][]entry), first: NewDate(firstYear, 1, 1)}
	c.day0 = c.first.days()
	c.fillYears(prov, listed)
	c.lateDecember = c.lastPublishedDecember()
	c.biz = businessCalendar(listed)
	if err := c.buildIndex(listed); err != nil {
		return nil, err
	}
	c.version = c.hash(listed)
	return c, nil
}

// mergeFiles collects the dates of all files, refusing a date that two files contradict.
// All files are loaded first because a notice can list a date of the previous December.
func mergeFiles(files map[int]*yearFile) (map[Date]sourced, error) {
	listed := make(map[Date]sourced)
	for _, y := range sortedYears(files) {
		for _, e := range files[y].Entries {
			if old, ok := listed[e.Date]; ok && old.Off != e.Off {
				return nil, fmt.Errorf("%w: %d: %s is %s here but %s in the %d file", ErrBadYearFile,
					y, e.Date, offWord(e.Off), offWord(old.Off), old.from)
			}
			if _, ok := listed[e.Date]; !ok {
				listed[e.Date] = sourced{e, y}
			}
		}
	}
	return listed, nil
}

func offWord(off bool) string {
	if off {
		return "a day off"
	}
	return "a working day"
}

func sortedYears(files map[int]*yearFile) []int {
	ys := make([]int, 0, len(files))
	for y := range files {
		ys = append(ys, y)
	}
	sort.Ints(ys)
	return ys
}

// fillYears records each year's status and adds the provisional days of years without a
// file; a date listed by a neighbouring year's file wins over a provisional one.
func (c *Calendar) fillYears(prov map[int][]entry, listed map[Date]sourced) {
	for y := firstYear; y <= lastYear; y++ {
		if f, ok := c.files[y]; ok {
			c.years[y-firstYear] = yearState{status: f.Status, source: f.Source}
			continue
		}
		es, ok := prov[y]
		if !ok {
			es = provisionalEntries(y)
		}
		c.prov[y] = es
		c.years[y-firstYear] = yearState{status: StatusProvisional, source: provisionalSource}
		for _, e := range es {
			if _, ok := listed[e.Date]; !ok {
				listed[e.Date] = sourced{e, y}
			}
		}
	}
}

// lastPublishedDecember is 20 December of the last year with a published schedule whose
// next year has none (zero when there is no such year).
func (c *Calendar) lastPublishedDecember() Date {
	for y := lastYear - 1; y >= firstYear; y-- {
		if c.years[y-firstYear].status != StatusProvisional {
			if c.years[y+1-firstYear].status != StatusProvisional {
				return Date{}
			}
			return NewDate(y, 12, 20)
		}
	}
	return Date{}
}

// businessCalendar turns the listed dates into a rickar/cal calendar: every day off is a
// one-day cal.Holiday of its year; make-up weekend days come through WorkdayFunc.
// Caching stays off, so the calendar is only ever read and safe for concurrent use.
func businessCalendar(listed map[Date]sourced) *cal.BusinessCalendar {
	bc := cal.NewBusinessCalendar()
	bc.Name = "CN"
	bc.Description = "mainland China working days (State Council holiday schedules)"
	bc.Locations = []*time.Location{shanghai}
	makeup := make(map[Date]bool)
	for d, e := range listed {
		switch {
		case e.Off:
			bc.AddHoliday(&cal.Holiday{
				Name: e.Name, Type: cal.ObservancePublic, StartYear: d.Year, EndYear: d.Year,
				Month: d.Month, Day: d.Day, Func: calcDayInShanghai,
			})
		case isWeekend(d):
			makeup[d] = true
		}
	}
	bc.WorkdayFunc = func(t time.Time) bool {
		if wd := t.Weekday(); wd != time.Saturday && wd != time.Sunday {
			return true
		}
		return makeup[DateOf(t)]
	}
	return bc
}

func calcDayInShanghai(h *cal.Holiday, year int) time.Time {
	return time.Date(year, h.Month, h.Day, 0, 0, 0, 0, shanghai)
}

// buildIndex asks the BusinessCalendar about every covered day and records the cumulative
// working-day counts; the listed dates only supply the kind and name of each day.
func (c *Calendar) buildIndex(listed map[Date]sourced) error {
	n := NewDate(lastYear, 12, 31).days() - c.day0 + 1
	c.kind, c.name, c.cum = make([]dayKind, n), make([]uint8, n), make([]int32, n)
	c.pos = make([]int32, 0, n*3/4)
	nameIdx := map[string]uint8{"": 0}
	c.names = []string{""}
	count := int32(0)
	for i, d := 0, c.first; i < n; i, d = i+1, d.AddDays(1) {
		isWork := c.biz.IsWorkday(time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, shanghai))
		e, ok := listed[d]
		c.kind[i] = kindOf(d, e, ok)
		if c.kind[i].workday() != isWork {
			return fmt.Errorf("calendar: internal: %s is %s but rickar/cal says workday=%v", d, c.kind[i], isWork)
		}
		if isWork {
			count++
			c.pos = append(c.pos, int32(i))
			c.years[d.Year-firstYear].workdays++
		}
		c.cum[i] = count
		c.name[i] = c.nameIndex(nameIdx, e.Name)
	}
	c.bridgeWeekends()
	return nil
}

func kindOf(d Date, e sourced, listed bool) dayKind {
	switch {
	case listed && e.Off:
		return dayHoliday
	case listed && isWeekend(d):
		return dayMakeup
	case isWeekend(d):
		return dayWeekend
	}
	return dayWorkday
}

func (c *Calendar) nameIndex(idx map[string]uint8, name string) uint8 {
	if i, ok := idx[name]; ok {
		return i
	}
	idx[name] = uint8(len(c.names)) // a handful of festival names, far below 256
	c.names = append(c.names, name)
	return idx[name]
}

// bridgeWeekends names the unlisted weekend days inside a holiday block (some notices omit
// them): a weekend run between two days off of the same name becomes part of that holiday.
func (c *Calendar) bridgeWeekends() {
	for i := 1; i < len(c.kind); i++ {
		if c.kind[i] != dayWeekend || c.kind[i-1] != dayHoliday {
			continue
		}
		j := i
		for j < len(c.kind) && c.kind[j] == dayWeekend {
			j++
		}
		if j < len(c.kind) && c.kind[j] == dayHoliday && c.name[j] == c.name[i-1] {
			for k := i; k < j; k++ {
				c.kind[k], c.name[k] = dayHoliday, c.name[i-1]
			}
		}
		i = j
	}
}

// hash is the calendar version: every listed date with its source year and that year's
// status, so any change of data or status gives a new version.
func (c *Calendar) hash(listed map[Date]sourced) string {
	h := sha256.New()
	for y := firstYear; y <= lastYear; y++ {
		st := c.years[y-firstYear]
		fmt.Fprintf(h, "year %d %s %s\n", y, st.status, st.source)
	}
	dates := make([]Date, 0, len(listed))
	for d := range listed {
		dates = append(dates, d)
	}
	sort.Slice(dates, func(i, j int) bool { return dates[i].Before(dates[j]) })
	for _, d := range dates {
		e := listed[d]
		fmt.Fprintf(h, "%s %t %s %d\n", d, e.Off, e.Name, e.from)
	}
	fmt.Fprintf(h, "%s\n", provisionalRules)
	return "cal-" + hex.EncodeToString(h.Sum(nil))[:8]
}
