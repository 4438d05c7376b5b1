package calendar

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf8"
)

// Year statuses.
const (
	StatusOfficial           = "official"            // from the published State Council notice
	StatusOfficialUnverified = "official-unverified" // published dates from a secondary source, not yet checked
	StatusProvisional        = "provisional"         // computed from the statutory holidays; no notice yet
)

// ErrBadYearFile is wrapped by every error about a year file that was refused.
var ErrBadYearFile = errors.New("calendar: bad year file")

// yearFile is one parsed and validated year file.
type yearFile struct {
	Year    int
	Status  string
	Source  string
	Entries []entry // sorted by date, no duplicates
}

// entry is one listed date: a day off, or a working day (usually a make-up weekend day).
type entry struct {
	Date Date
	Off  bool
	Name string
}

// fileJSON is the holiday-cn format plus two optional fields, status and source.
type fileJSON struct {
	Schema string    `json:"$schema,omitempty"`
	ID     string    `json:"$id,omitempty"`
	Year   int       `json:"year"`
	Papers []string  `json:"papers"`
	Status string    `json:"status"`
	Source string    `json:"source"`
	Days   []dayJSON `json:"days"`
}

type dayJSON struct {
	Name     string `json:"name"`
	Date     string `json:"date"`
	IsOffDay *bool  `json:"isOffDay"`
}

// parseYearFile decodes and validates one year file on its own; conflicts with other
// years' files are checked when the calendar is built.
func parseYearFile(data []byte) (*yearFile, error) {
	if !utf8.Valid(data) {
		return nil, fmt.Errorf("%w: not UTF-8 (a year file is UTF-8 JSON)", ErrBadYearFile)
	}
	var f fileJSON
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("%w: does not parse: %v", ErrBadYearFile, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("%w: trailing data after the JSON object", ErrBadYearFile)
	}
	if f.Year < firstYear || f.Year > lastYear {
		return nil, fmt.Errorf("%w: year %d outside %d–%d", ErrBadYearFile, f.Year, firstYear, lastYear)
	}
	yf := &yearFile{Year: f.Year, Status: f.Status, Source: fileSource(f)}
	if err := yf.setStatus(len(f.Papers) > 0); err != nil {
		return nil, err
	}
	for _, d := range f.Days {
		e, err := parseDay(f.Year, d)
		if err != nil {
			return nil, err
		}
		yf.Entries = append(yf.Entries, e)
	}
	if err := yf.check(); err != nil {
		return nil, err
	}
	return yf, nil
}

func fileSource(f fileJSON) string {
	if f.Source != "" {
		return f.Source
	}
	return strings.Join(f.Papers, " ")
}

// setStatus defaults the status: a file citing the notice is official, one without papers is not verified.
func (yf *yearFile) setStatus(hasPapers bool) error {
	switch yf.Status {
	case "":
		yf.Status = StatusOfficialUnverified
		if hasPapers {
			yf.Status = StatusOfficial
		}
	case StatusOfficial, StatusOfficialUnverified:
	default:
		return fmt.Errorf("%w: %d: status %q, want %q or %q", ErrBadYearFile, yf.Year, yf.Status,
			StatusOfficial, StatusOfficialUnverified)
	}
	return nil
}

func parseDay(year int, d dayJSON) (entry, error) {
	date, err := ParseDate(d.Date)
	if err != nil {
		return entry{}, fmt.Errorf("%w: %d: %v", ErrBadYearFile, year, err)
	}
	if d.IsOffDay == nil || strings.TrimSpace(d.Name) == "" {
		return entry{}, fmt.Errorf("%w: %d: %s needs a name and isOffDay", ErrBadYearFile, year, date)
	}
	// A notice may reach into the neighbouring December or January, never further.
	if date.Before(NewDate(year-1, 12, 1)) || date.After(NewDate(year+1, 1, 31)) {
		return entry{}, fmt.Errorf("%w: %d: %s is outside the year ±1 month (wrong year?)", ErrBadYearFile, year, date)
	}
	return entry{Date: date, Off: *d.IsOffDay, Name: d.Name}, nil
}

// check sorts the entries and refuses duplicates and working-day entries that make no sense.
func (yf *yearFile) check() error {
	if len(yf.Entries) == 0 {
		return fmt.Errorf("%w: %d: no days listed", ErrBadYearFile, yf.Year)
	}
	sortEntries(yf.Entries)
	off := make(map[Date]bool)
	for i, e := range yf.Entries {
		if i > 0 && yf.Entries[i-1].Date == e.Date {
			return fmt.Errorf("%w: %d: %s listed twice", ErrBadYearFile, yf.Year, e.Date)
		}
		if e.Off {
			off[e.Date] = true
		}
	}
	for _, e := range yf.Entries {
		// A working day on a weekday is only meaningful where an extended holiday ends
		// (2020-02-03 after the 2020 Spring Festival extension); anywhere else it is a typo.
		if !e.Off && !isWeekend(e.Date) && !off[e.Date.AddDays(-1)] && !off[e.Date.AddDays(1)] {
			return fmt.Errorf("%w: %d: make-up day %s is a %s, not a weekend day", ErrBadYearFile,
				yf.Year, e.Date, e.Date.Weekday())
		}
	}
	return nil
}

func isWeekend(d Date) bool {
	w := d.Weekday()
	return w == 0 || w == 6
}

func sortEntries(es []entry) {
	sort.SliceStable(es, func(i, j int) bool { return es[i].Date.Before(es[j].Date) })
}
