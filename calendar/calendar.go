package calendar

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"sort"
	"strconv"

	"github.com/rickar/cal/v2"
)

// Coverage of every Calendar: official data from 2007, provisional years up to 2099.
const (
	firstYear = 2007
	lastYear  = 2099
)

// MaxWorkdays bounds n in Due, Before and Explain; Article 23 never needs more than 90.
const MaxWorkdays = 1000

// Day kinds reported in DayInfo.Kind.
const (
	KindWorkday = "workday" // Monday–Friday, not a holiday
	KindWeekend = "weekend" // Saturday or Sunday, not a working day
	KindHoliday = "holiday" // a day off in the holiday schedule
	KindMakeup  = "makeup"  // a Saturday or Sunday that is a working day (调休上班)
)

// ErrOutOfRange is wrapped by errors about dates or results outside the calendar's range.
var ErrOutOfRange = errors.New("calendar: date out of range")

// ErrWorkdays is wrapped by errors about a number of working days below 0 or above MaxWorkdays.
var ErrWorkdays = errors.New("calendar: bad number of working days")

//go:embed data/*.json
var embedded embed.FS

// Calendar is an immutable mainland-China working-day calendar: safe for concurrent use;
// the With… methods return a new Calendar and leave the receiver unchanged.
type Calendar struct {
	files map[int]*yearFile // loaded year files, by year
	prov  map[int][]entry   // provisional days by year; shared between calendars, never written after build
	biz   *cal.BusinessCalendar

	day0  int       // first.days()
	first Date      // first covered date
	kind  []dayKind // per day from first
	name  []uint8   // per day, index into names
	names []string
	cum   []int32 // cum[i]: working days in [first, first+i]
	pos   []int32 // pos[k]: index of the (k+1)-th working day

	years   [lastYear - firstYear + 1]yearState
	version string
	// lateDecember is 20 December of the last year with a published schedule: its weekend
	// days after that can still become make-up working days in the next year's notice (the
	// 2019 notice made Saturday 2018-12-29 one). Zero when no year is published.
	lateDecember Date
}

// StatusLateDecember marks, in Explanation.Caveats, a deadline whose window holds a weekend
// day of the last published year's late December (UncertainWindow).
const StatusLateDecember = "late-december"

// UncertainWindow returns the days from 20 December of the last published year to its end:
// a deadline whose window holds one of their weekend days is provisional until the next
// year's notice is loaded. ok is false when no year is published.
func (c *Calendar) UncertainWindow() (from, to Date, ok bool) {
	if c.lateDecember.IsZero() {
		return Date{}, Date{}, false
	}
	return c.lateDecember, NewDate(c.lateDecember.Year, 12, 31), true
}

type dayKind uint8

const (
	dayWorkday dayKind = iota
	dayWeekend
	dayHoliday
	dayMakeup
)

func (k dayKind) String() string {
	switch k {
	case dayWeekend:
		return KindWeekend
	case dayHoliday:
		return KindHoliday
	case dayMakeup:
		return KindMakeup
	}
	return KindWorkday
}

func (k dayKind) workday() bool { return k == dayWorkday || k == dayMakeup }

type yearState struct {
	status, source string
	workdays       int
}

// Embedded returns the calendar built from the data shipped in calendar/data.
func Embedded() (*Calendar, error) {
	files, err := readFS(embedded, "data")
	if err != nil {
		return nil, fmt.Errorf("calendar: embedded data: %w", err)
	}
	return build(files, nil)
}

// WithYearFile returns a new calendar with one year file (holiday-cn format, see the package
// doc) added or replacing the same year. A file that is invalid or contradicts another
// year's file is refused with an error wrapping ErrBadYearFile; c is never changed.
func (c *Calendar) WithYearFile(data []byte) (*Calendar, error) {
	yf, err := parseYearFile(data)
	if err != nil {
		return nil, err
	}
	return c.with(map[int]*yearFile{yf.Year: yf})
}

// WithDir returns a new calendar with every *.json file of dir added or replacing its year
// (each named YYYY.json). One bad file refuses them all. The directory is read now, once.
func (c *Calendar) WithDir(dir string) (*Calendar, error) {
	return c.WithFS(os.DirFS(dir), ".")
}

// WithFS is WithDir for the *.json files of directory dir in fsys.
func (c *Calendar) WithFS(fsys fs.FS, dir string) (*Calendar, error) {
	files, err := readFS(fsys, dir)
	if err != nil {
		return nil, err
	}
	return c.with(files)
}

func (c *Calendar) with(add map[int]*yearFile) (*Calendar, error) {
	files := make(map[int]*yearFile, len(c.files)+len(add))
	for y, f := range c.files {
		files[y] = f
	}
	for y, f := range add {
		files[y] = f
	}
	return build(files, c.prov)
}

// readFS parses every *.json file of dir, checking that each is named after its year.
func readFS(fsys fs.FS, dir string) (map[int]*yearFile, error) {
	names, err := fs.Glob(fsys, path.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	files := make(map[int]*yearFile, len(names))
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		yf, err := parseYearFile(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if base := path.Base(name); base != strconv.Itoa(yf.Year)+".json" {
			return nil, fmt.Errorf("%s: %w: file for %d must be named %d.json", name, ErrBadYearFile, yf.Year, yf.Year)
		}
		files[yf.Year] = yf
	}
	return files, nil
}

// Version identifies the data behind every answer: a hash of all year files, their
// statuses and the provisional days, e.g. "cal-3f2a9c1e".
func (c *Calendar) Version() string { return c.version }

// Range returns the first and last supported dates.
func (c *Calendar) Range() (first, last Date) {
	return c.first, c.first.AddDays(len(c.kind) - 1)
}

// DayInfo describes one date.
type DayInfo struct {
	Date        Date   `json:"date"`
	Workday     bool   `json:"workday"`
	Kind        string `json:"kind"` // KindWorkday, KindWeekend, KindHoliday or KindMakeup
	Name        string `json:"name,omitempty"`
	Provisional bool   `json:"provisional"`          // the date's year has no published schedule yet
	Unverified  bool   `json:"unverified,omitempty"` // the date's year is official-unverified
}

// Day describes date d.
func (c *Calendar) Day(d Date) (DayInfo, error) {
	i, err := c.index(d)
	if err != nil {
		return DayInfo{}, err
	}
	return c.dayInfo(i), nil
}

// IsWorkday reports whether d is a working day.
func (c *Calendar) IsWorkday(d Date) (bool, error) {
	i, err := c.index(d)
	if err != nil {
		return false, err
	}
	return c.kind[i].workday(), nil
}

func (c *Calendar) index(d Date) (int, error) {
	i := d.days() - c.day0
	if i < 0 || i >= len(c.kind) {
		first, last := c.Range()
		return 0, fmt.Errorf("%w: %s is outside %s…%s", ErrOutOfRange, d, first, last)
	}
	return i, nil
}

func (c *Calendar) dayInfo(i int) DayInfo {
	d := c.first.AddDays(i)
	st := c.years[d.Year-firstYear].status
	return DayInfo{
		Date: d, Workday: c.kind[i].workday(), Kind: c.kind[i].String(), Name: c.names[c.name[i]],
		Provisional: st == StatusProvisional, Unverified: st == StatusOfficialUnverified,
	}
}

// statusOver reports whether any day in (from, to] (index bounds, from <= to) lies in a
// provisional or an unverified year, or is a weekend day of the uncertain late December. It
// loops over years and at most twelve days, and allocates nothing.
func (c *Calendar) statusOver(from, to int) (provisional, unverified bool) {
	if from >= to {
		return false, false
	}
	provisional = c.lateWeekendIn(from, to)
	y0, y1 := c.first.AddDays(from+1).Year, c.first.AddDays(to).Year
	for y := y0; y <= y1; y++ {
		switch c.years[y-firstYear].status {
		case StatusProvisional:
			provisional = true
		case StatusOfficialUnverified:
			unverified = true
		}
	}
	return provisional, unverified
}

// UncertainWeekends lists the weekend days off of UncertainWindow: the days the next year's
// notice may still make working days.
func (c *Calendar) UncertainWeekends() []Date {
	from, to, ok := c.UncertainWindow()
	var out []Date
	for d := from; ok && !d.After(to); d = d.AddDays(1) {
		if c.kind[d.days()-c.day0] == dayWeekend {
			out = append(out, d)
		}
	}
	return out
}

// lateWeekendIn reports whether (from, to] holds a weekend day (off, not a make-up day) of the
// uncertain late December.
func (c *Calendar) lateWeekendIn(from, to int) bool {
	wFrom, wTo, ok := c.UncertainWindow()
	if !ok {
		return false
	}
	lo, hi := max(from+1, wFrom.days()-c.day0), min(to, wTo.days()-c.day0)
	for k := lo; k <= hi; k++ {
		if c.kind[k] == dayWeekend {
			return true
		}
	}
	return false
}
