package calendar

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"
)

func TestPublishingAProvisionalYear(t *testing.T) {
	base := embeddedCal(t)
	baseVersion := base.Version()
	start := NewDate(2027, 12, 1)
	before, err := base.Due(start, 30)
	if err != nil || !before.Provisional || before.Due != NewDate(2028, 1, 12) {
		t.Fatalf("before the 2028 file: %+v, %v", before, err)
	}

	updated := mustYearFile(t, base, "testdata/update2028/2028.json")
	after, err := updated.Due(start, 30)
	if err != nil {
		t.Fatal(err)
	}
	// The made-up notice gives Mon 2028-01-03 off, so the due date moves one working day.
	if after.Provisional || after.Due != NewDate(2028, 1, 13) {
		t.Errorf("after the 2028 file: %+v", after)
	}
	if updated.Version() == baseVersion || after.Version != updated.Version() {
		t.Errorf("version did not change: %s → %s", baseVersion, updated.Version())
	}
	if again, _ := base.Due(start, 30); base.Version() != baseVersion || again != before {
		t.Error("the original calendar changed")
	}
	if y, _ := updated.Year(2028); y.Status != StatusOfficial || len(y.MakeUpDays) != 6 {
		t.Errorf("Year(2028) = %s with %d make-up days", y.Status, len(y.MakeUpDays))
	}
}

func TestWithDirMatchesWithYearFile(t *testing.T) {
	base := embeddedCal(t)
	fromFile := mustYearFile(t, base, "testdata/update2028/2028.json")
	fromDir, err := base.WithDir("testdata/update2028")
	if err != nil {
		t.Fatal(err)
	}
	if fromDir.Version() != fromFile.Version() {
		t.Errorf("WithDir version %s, WithYearFile version %s", fromDir.Version(), fromFile.Version())
	}
	if _, err := base.WithDir("testdata/bad"); !errors.Is(err, ErrBadYearFile) || !strings.Contains(err.Error(), "2029.json") {
		t.Errorf("WithDir(testdata/bad) error = %v", err)
	}
	misnamed := fstest.MapFS{"2030.json": {Data: []byte(`{"year":2031,"days":[{"name":"元旦","date":"2031-01-01","isOffDay":true}]}`)}}
	if _, err := base.WithFS(misnamed, "."); !errors.Is(err, ErrBadYearFile) {
		t.Errorf("misnamed file accepted: %v", err)
	}
}

func TestChangedDays(t *testing.T) {
	base := embeddedCal(t)
	updated := mustYearFile(t, base, "testdata/update2028/2028.json")
	changed := updated.ChangedDays(base)
	if len(changed) == 0 || len(base.ChangedDays(base)) != 0 {
		t.Fatalf("ChangedDays = %v", changed)
	}
	for _, d := range changed {
		a, _ := base.IsWorkday(d)
		b, _ := updated.IsWorkday(d)
		if a == b || d.Year != 2028 {
			t.Errorf("%s reported changed: %v → %v", d, a, b)
		}
	}
	want := map[Date]bool{NewDate(2028, 1, 3): true, NewDate(2028, 1, 22): true, NewDate(2028, 10, 8): true}
	for _, d := range changed {
		delete(want, d)
	}
	if len(want) != 0 {
		t.Errorf("ChangedDays misses %v", want)
	}
}

func TestReplacingAYearDropsItsDays(t *testing.T) {
	// A 2019 file without the 2018-12-29 make-up day: the day becomes an ordinary Saturday.
	c, err := embeddedCal(t).WithYearFile([]byte(`{"year":2019,"papers":["x"],"days":[
		{"name":"元旦","date":"2019-01-01","isOffDay":true}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if d, _ := c.Day(NewDate(2018, 12, 29)); d.Kind != KindWeekend {
		t.Errorf("2018-12-29 = %+v after replacing 2019", d)
	}
}

func TestVerifyingAnUnverifiedYear(t *testing.T) {
	c, err := embeddedCal(t).WithYearFile([]byte(`{"year":2027,"papers":["https://www.gov.cn/…"],"days":[
		{"name":"元旦","date":"2027-01-01","isOffDay":true}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if d, _ := c.Due(NewDate(2026, 11, 27), 60); d.Unverified || d.Provisional {
		t.Errorf("Due through an official 2027 = %+v", d)
	}
}

func TestBadYearFiles(t *testing.T) {
	base := embeddedCal(t)
	version := base.Version()
	day := func(date string, off bool) string {
		return `{"name":"x","date":"` + date + `","isOffDay":` + map[bool]string{true: "true", false: "false"}[off] + `}`
	}
	file := func(year string, days ...string) string {
		return `{"year":` + year + `,"papers":[],"days":[` + strings.Join(days, ",") + `]}`
	}
	ok2028 := day("2028-01-01", true)
	tests := []struct{ name, data string }{
		{"not JSON", `{"year":2028,`},
		{"trailing data", file("2028", ok2028) + `{}`},
		{"unknown field", `{"year":2028,"dayz":[]}`},
		{"no days", file("2028")},
		{"year too late", file("2100", day("2100-01-01", true))},
		{"year too early", file("2006", day("2006-01-01", true))},
		{"malformed date", file("2028", day("2028-1-01", true))},
		{"impossible date", file("2028", day("2028-02-30", true))},
		{"missing isOffDay", file("2028", `{"name":"x","date":"2028-01-01"}`)},
		{"wrong year: dates of 2030", file("2028", day("2030-01-01", true))},
		{"off-day 2 months before the year", file("2028", ok2028, day("2027-10-30", true))},
		{"duplicate date", file("2028", ok2028, ok2028)},
		{"contradictory duplicate", file("2028", ok2028, day("2028-01-01", false))},
		{"make-up day on a Wednesday", file("2028", ok2028, day("2028-03-01", false))},
		{"provisional status in a file", `{"year":2028,"status":"provisional","days":[` + ok2028 + `]}`},
		{"contradicts 2019.json about 2018-12-29", file("2018", day("2018-12-29", true))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := base.WithYearFile([]byte(tt.data))
			if !errors.Is(err, ErrBadYearFile) || got != nil {
				t.Fatalf("WithYearFile = %v, %v; want ErrBadYearFile", got, err)
			}
			if base.Version() != version {
				t.Fatal("the calendar changed")
			}
		})
	}
}

// TestContradictionWithAnUpdate: a 2028 file may not call a day off that the 2029 file made a working day.
func TestContradictionWithAnUpdate(t *testing.T) {
	c, err := embeddedCal(t).WithYearFile([]byte(`{"year":2029,"days":[
		{"name":"元旦","date":"2028-12-30","isOffDay":false},{"name":"元旦","date":"2029-01-01","isOffDay":true}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if d, _ := c.Day(NewDate(2028, 12, 30)); d.Kind != KindMakeup || !d.Provisional {
		t.Errorf("2028-12-30 = %+v", d)
	}
	_, err = c.WithYearFile([]byte(`{"year":2028,"days":[{"name":"元旦","date":"2028-12-30","isOffDay":true}]}`))
	if !errors.Is(err, ErrBadYearFile) || !strings.Contains(err.Error(), "2028-12-30") || !strings.Contains(err.Error(), "2029") {
		t.Errorf("error = %v", err)
	}
}
