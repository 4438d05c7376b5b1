package calendar

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// wantWorkdays is the number of working days per year; the test derives it again from the
// data files and from LKI/chinese-calendar (2007–2026) and from the lunar-go table (2027).
var wantWorkdays = map[int]int{
	2007: 249, 2008: 251, 2009: 250, 2010: 250, 2011: 250, 2012: 249, 2013: 250,
	2014: 250, 2015: 249, 2016: 250, 2017: 249, 2018: 250, 2019: 250, 2020: 249,
	2021: 250, 2022: 249, 2023: 249, 2024: 251, 2025: 248, 2026: 248, 2027: 248,
}

// listedInDataFiles reads the shipped JSON files directly, without the package's parser.
func listedInDataFiles(t *testing.T) map[Date]bool {
	paths, err := filepath.Glob("data/*.json")
	if err != nil || len(paths) != 21 {
		t.Fatalf("data files: %v %v", paths, err)
	}
	listed := map[Date]bool{}
	for _, p := range paths {
		raw, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var f struct {
			Days []struct {
				Date     string
				IsOffDay bool
			}
		}
		if err := json.Unmarshal(raw, &f); err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Days {
			listed[date(t, d.Date)] = !d.IsOffDay
		}
	}
	return listed
}

// listedInTSV reads a cross-check table: date, holiday|workday, ...
func listedInTSV(t *testing.T, name string) map[Date]bool {
	listed := map[Date]bool{}
	for _, row := range readTSV(t, name) {
		listed[date(t, row[0])] = row[1] == "workday"
	}
	return listed
}

func TestWorkdaysPerYear(t *testing.T) {
	c := embeddedCal(t)
	files := listedInDataFiles(t)
	lki := listedInTSV(t, "lki-days.tsv")
	lunargo := listedInTSV(t, "lunargo-days.tsv")
	for y := 2007; y <= 2027; y++ {
		t.Run(fmt.Sprint(y), func(t *testing.T) {
			info, err := c.Year(y)
			if err != nil {
				t.Fatal(err)
			}
			second, secondName := lki, "LKI"
			if y == 2027 {
				second, secondName = lunargo, "lunar-go"
			}
			checks := []struct {
				name string
				got  int
			}{
				{"table", wantWorkdays[y]},
				{"data files", countWorkdays(y, files)},
				{secondName, countWorkdays(y, second)},
				{"Status", c.Status()[y-firstYear].Workdays},
			}
			for _, ch := range checks {
				if ch.got != info.Workdays {
					t.Errorf("Year(%d).Workdays = %d, %s says %d", y, info.Workdays, ch.name, ch.got)
				}
			}
		})
	}
}

// TestEveryDayAgainstLKI compares the working status of every date 2007–2026 with LKI.
func TestEveryDayAgainstLKI(t *testing.T) {
	c := embeddedCal(t)
	lki := listedInTSV(t, "lki-days.tsv")
	for d := NewDate(2007, 1, 1); d.Year <= 2026; d = d.AddDays(1) {
		want, ok := lki[d]
		if !ok {
			want = !isWeekend(d)
		}
		if got, err := c.IsWorkday(d); err != nil || got != want {
			t.Errorf("IsWorkday(%s) = %v, %v; LKI says %v", d, got, err, want)
		}
	}
}

func TestTrickyDays(t *testing.T) {
	c := embeddedCal(t)
	tests := []struct {
		day, kind, name string
		provisional     bool
		why             string
	}{
		{"2007-01-01", KindHoliday, "元旦", false, "first covered day"},
		{"2006-12-31", "", "", false, "make-up day in 2007.json but before the range"},
		{"2018-12-29", KindMakeup, "元旦", false, "Saturday make-up day listed in 2019.json"},
		{"2018-12-31", KindHoliday, "元旦", false, "Monday off, listed in 2019.json"},
		{"2020-01-19", KindMakeup, "春节", false, "Sunday make-up day"},
		{"2020-02-02", KindHoliday, "春节", false, "Spring Festival extension"},
		{"2020-02-03", KindWorkday, "春节", false, "first working day after the extension"},
		{"2022-12-31", KindHoliday, "元旦", false, "Saturday listed as off in 2023.json"},
		{"2024-02-09", KindWorkday, "", false, "2024 New Year's Eve: not a holiday before the 2025 rules"},
		{"2025-01-28", KindHoliday, "春节", false, "2025 New Year's Eve: a statutory holiday since 2025"},
		{"2025-01-26", KindMakeup, "春节", false, "2025 Sunday make-up day"},
		{"2025-05-05", KindHoliday, "劳动节", false, "Labour Day: 2 statutory days since 2025"},
		{"2024-02-29", KindWorkday, "", false, "leap day"},
		{"2028-02-29", KindWorkday, "", true, "leap day in a provisional year"},
		{"2026-12-31", KindWorkday, "", false, "last day of the last official year"},
		{"2027-01-01", KindHoliday, "元旦", false, "official-unverified year"},
		{"2027-01-31", KindMakeup, "春节", false, "official-unverified make-up day"},
		{"2028-01-01", KindHoliday, "元旦", true, "provisional New Year on a Saturday"},
		{"2028-01-03", KindWorkday, "", true, "no substitute day for a holiday on a weekend"},
		{"2014-04-06", KindHoliday, "清明节", false, "Sunday inside a block, not listed in 2014.json"},
		{"2015-06-21", KindHoliday, "端午节", false, "Sunday inside a block, not listed in 2015.json"},
		{"2028-01-25", KindHoliday, "春节", true, "provisional New Year's Eve"},
		{"2028-10-03", KindHoliday, "国庆节、中秋节", true, "Mid-Autumn within National Day"},
		{"2099-12-31", KindWorkday, "", true, "last covered day"},
		{"2100-01-01", "", "", false, "after the range"},
	}
	for _, tt := range tests {
		t.Run(tt.day+" "+tt.why, func(t *testing.T) {
			got, err := c.Day(date(t, tt.day))
			if tt.kind == "" {
				if err == nil {
					t.Fatalf("Day(%s) = %+v, want an out-of-range error", tt.day, got)
				}
				return
			}
			if err != nil || got.Kind != tt.kind || got.Name != tt.name || got.Provisional != tt.provisional {
				t.Fatalf("Day(%s) = %+v, %v; want kind %s name %q provisional %v", tt.day, got, err, tt.kind, tt.name, tt.provisional)
			}
			if got.Workday != (tt.kind == KindWorkday || tt.kind == KindMakeup) {
				t.Errorf("Workday = %v for kind %s", got.Workday, got.Kind)
			}
			if got.Unverified != (got.Date.Year == 2027) {
				t.Errorf("Unverified = %v", got.Unverified)
			}
		})
	}
}

// TestYearListsDaysByTheirOwnYear: a make-up day listed in the next year's file belongs to its own year.
func TestYearListsDaysByTheirOwnYear(t *testing.T) {
	c := embeddedCal(t)
	info, err := c.Year(2019)
	if err != nil {
		t.Fatal(err)
	}
	if info.Status != StatusOfficial || len(info.MakeUpDays) != 6 {
		t.Errorf("2019: status %s, make-up days %v", info.Status, info.MakeUpDays)
	}
	y2018, _ := c.Year(2018)
	last := y2018.MakeUpDays[len(y2018.MakeUpDays)-1]
	if last.Date != NewDate(2018, 12, 29) {
		t.Errorf("2018's last make-up day = %v, want 2018-12-29 (from 2019.json)", last)
	}
}
