package calendar

import (
	"fmt"
	"time"
)

// shanghai is never modified after creation; a *time.Location is immutable, so sharing it is safe.
var shanghai = time.FixedZone("CST", 8*60*60)

// Shanghai is Asia/Shanghai as a fixed UTC+8 zone: China has had no DST since 1991,
// so no tzdata is needed. It returns the same *time.Location on every call.
func Shanghai() *time.Location { return shanghai }

// Date is a civil date in Asia/Shanghai, with no time of day.
// The zero Date is "no date".
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// NewDate returns the date y-m-d, normalized like time.Date (2026-02-30 becomes 2026-03-02).
func NewDate(y int, m time.Month, d int) Date {
	yy, mm, dd := time.Date(y, m, d, 12, 0, 0, 0, time.UTC).Date()
	return Date{yy, mm, dd}
}

// ParseDate parses a strict "YYYY-MM-DD" date; it rejects anything else, including
// dates that do not exist such as 2026-02-30.
func ParseDate(s string) (Date, error) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return Date{}, fmt.Errorf("calendar: invalid date %q: want YYYY-MM-DD", s)
	}
	y, ok1 := digits(s[0:4])
	m, ok2 := digits(s[5:7])
	d, ok3 := digits(s[8:10])
	if !ok1 || !ok2 || !ok3 {
		return Date{}, fmt.Errorf("calendar: invalid date %q: want YYYY-MM-DD", s)
	}
	date := Date{y, time.Month(m), d}
	if y == 0 || NewDate(y, time.Month(m), d) != date {
		return Date{}, fmt.Errorf("calendar: invalid date %q: no such day", s)
	}
	return date, nil
}

func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

// DateOf returns the date of the instant t in Asia/Shanghai.
func DateOf(t time.Time) Date {
	y, m, d := t.In(shanghai).Date()
	return Date{y, m, d}
}

// String formats d as "YYYY-MM-DD".
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day) }

// Chinese writes d as Chinese text does, "2026年12月18日": the one form of a date in the
// Chinese explanations and pages.
func (d Date) Chinese() string { return fmt.Sprintf("%d年%d月%d日", d.Year, int(d.Month), d.Day) }

// ChineseDue is a deadline as Chinese text says it, "截至 2026年12月25日（含当日）24:00": the
// due day itself counts, to its end.
func (d Date) ChineseDue() string { return "截至 " + d.Chinese() + "（含当日）24:00" }

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// AddDays returns d moved by n days (n may be negative).
func (d Date) AddDays(n int) Date { return dateOfDays(d.days() + n) }

// Compare returns -1, 0 or +1 as d is before, equal to or after o.
func (d Date) Compare(o Date) int {
	switch a, b := d.days(), o.days(); {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Before reports whether d is before o.
func (d Date) Before(o Date) bool { return d.Compare(o) < 0 }

// After reports whether d is after o.
func (d Date) After(o Date) bool { return d.Compare(o) > 0 }

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday {
	// 1970-01-01 was a Thursday.
	return time.Weekday(((d.days()+4)%7 + 7) % 7)
}

// Start returns 00:00 of d in Asia/Shanghai.
func (d Date) Start() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, shanghai) }

// End returns 24:00 of d, that is 00:00 of the next day, in Asia/Shanghai: the instant a
// period whose last day is d ends.
func (d Date) End() time.Time { return d.AddDays(1).Start() }

// MarshalText formats d as "YYYY-MM-DD"; the zero Date becomes "".
func (d Date) MarshalText() ([]byte, error) {
	if d.IsZero() {
		return []byte{}, nil
	}
	return []byte(d.String()), nil
}

// UnmarshalText parses a strict "YYYY-MM-DD"; "" gives the zero Date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// days returns the number of days since 1970-01-01 (Howard Hinnant's days_from_civil);
// it allocates nothing, which keeps Due at 0 allocs.
func (d Date) days() int {
	y, m := d.Year, int(d.Month)
	if m <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d.Day - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// dateOfDays is the inverse of Date.days (Hinnant's civil_from_days).
func dateOfDays(z int) Date {
	z += 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	y := yoe + era*400
	if m <= 2 {
		y++
	}
	return Date{y, time.Month(m), d}
}

func floorDiv(a, b int) int {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}
