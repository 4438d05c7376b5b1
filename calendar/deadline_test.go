package calendar

import (
	"errors"
	"testing"
	"time"
)

func TestDue(t *testing.T) {
	c := embeddedCal(t)
	tests := []struct {
		name, start string
		n           int
		want        string
		provisional bool
	}{
		// Fri 2026-11-27: Nov 30–Dec 4, Dec 7–11, Dec 14–18 → the 15th working day is Fri Dec 18.
		{"Article 23 decision", "2026-11-27", 15, "2026-12-18", false},
		// 24 working days to Dec 31; Jan 1–3 off; 20 weekdays Jan 4–29 + Sun Jan 31 → 45;
		// Feb 1–4 → 49; Feb 5–13 off; Sun Feb 14 → 50; Feb 15–19 → 55; Feb 22–26 → 60.
		{"Article 23 feedback", "2026-11-27", 60, "2027-02-26", false},
		{"n=0 is the start itself", "2026-11-27", 0, "2026-11-27", false},
		{"n=0 on a holiday is still the start", "2025-10-01", 0, "2025-10-01", false},
		// Fri 2025-09-26: Sun 09-28 (make-up), 09-29, 09-30, [10-01…10-08 off], 10-09, 10-10.
		{"across National Day with a make-up Sunday", "2025-09-26", 5, "2025-10-10", false},
		{"start on a holiday", "2025-10-01", 1, "2025-10-09", false},
		{"make-up Saturday counts", "2025-10-10", 1, "2025-10-11", false},
		{"year boundary onto a make-up Sunday", "2025-12-31", 1, "2026-01-04", false},
		{"year boundary", "2024-12-31", 2, "2025-01-03", false},
		{"Dec make-up day from the next year's file", "2018-12-28", 1, "2018-12-29", false},
		{"2020 extension: Feb 3 is the first working day", "2020-01-23", 1, "2020-02-03", false},
		{"leap day", "2024-02-28", 1, "2024-02-29", false},
		{"into provisional 2028", "2027-12-01", 30, "2028-01-12", true},
		{"last covered working day", "2099-12-30", 1, "2099-12-31", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := c.Due(date(t, tt.start), tt.n)
			if err != nil {
				t.Fatal(err)
			}
			if got.Due.String() != tt.want || got.Provisional != tt.provisional || got.Workdays != tt.n {
				t.Fatalf("Due(%s, %d) = %s provisional=%v, want %s provisional=%v", tt.start, tt.n, got.Due, got.Provisional, tt.want, tt.provisional)
			}
			if !got.DeadlineAt.Equal(got.Due.End()) || got.Version != c.Version() {
				t.Errorf("DeadlineAt %v, Version %s", got.DeadlineAt, got.Version)
			}
		})
	}
}

func TestDueErrors(t *testing.T) {
	c := embeddedCal(t)
	tests := []struct {
		name  string
		start Date
		n     int
		want  error
	}{
		{"negative", NewDate(2026, 1, 5), -1, ErrWorkdays},
		{"absurd", NewDate(2026, 1, 5), MaxWorkdays + 1, ErrWorkdays},
		{"before range", NewDate(2006, 12, 31), 1, ErrOutOfRange},
		{"after range", NewDate(2100, 1, 1), 1, ErrOutOfRange},
		{"result after range", NewDate(2099, 12, 1), 60, ErrOutOfRange},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := c.Due(tt.start, tt.n); !errors.Is(err, tt.want) {
				t.Fatalf("Due(%s, %d) error = %v, want %v", tt.start, tt.n, err, tt.want)
			}
		})
	}
}

func TestDeadlineAt(t *testing.T) {
	d, err := embeddedCal(t).Due(NewDate(2026, 11, 27), 60)
	if err != nil {
		t.Fatal(err)
	}
	if got := d.DeadlineAt.Format(time.RFC3339); got != "2027-02-27T00:00:00+08:00" {
		t.Errorf("DeadlineAt = %s", got)
	}
	if !d.Unverified {
		t.Error("a deadline through 2027 must be flagged unverified")
	}
}

func TestWorkdaysBetween(t *testing.T) {
	c := embeddedCal(t)
	tests := []struct {
		a, b string
		want int
	}{
		{"2026-11-27", "2027-02-26", 60},
		{"2027-02-26", "2026-11-27", -60},
		{"2026-11-27", "2026-11-27", 0},
		{"2026-11-27", "2026-11-29", 0},   // weekend
		{"2025-09-30", "2025-10-09", 1},   // National Day
		{"2018-12-28", "2018-12-31", 1},   // Sat 12-29 make-up, Mon 12-31 off
		{"2026-12-31", "2027-12-31", 248}, // a whole year
	}
	for _, tt := range tests {
		t.Run(tt.a+"→"+tt.b, func(t *testing.T) {
			got, err := c.WorkdaysBetween(date(t, tt.a), date(t, tt.b))
			if err != nil || got.Workdays != tt.want {
				t.Fatalf("WorkdaysBetween = %+v, %v; want %d", got, err, tt.want)
			}
		})
	}
}

func TestRemaining(t *testing.T) {
	c := embeddedCal(t)
	due := NewDate(2026, 12, 18) // a Friday
	tests := []struct {
		now     string
		want    int
		overdue bool
	}{
		{"2026-12-17T09:00:00+08:00", 1, false},  // Thursday: Friday remains
		{"2026-12-18T09:00:00+08:00", 0, false},  // the due date itself
		{"2026-12-18T23:59:59+08:00", 0, false},  // still before 24:00
		{"2026-12-18T16:00:00Z", 0, true},        // 24:00 Shanghai: the deadline has passed
		{"2026-12-20T10:00:00+08:00", 0, true},   // the Sunday after: no working day overdue yet
		{"2026-12-21T10:00:00+08:00", -1, true},  // Monday: 1 working day overdue
		{"2026-11-27T10:00:00+08:00", 15, false}, // the day of receipt
	}
	for _, tt := range tests {
		t.Run(tt.now, func(t *testing.T) {
			now, err := time.Parse(time.RFC3339, tt.now)
			if err != nil {
				t.Fatal(err)
			}
			got, err := c.Remaining(now, due)
			if err != nil || got.Workdays != tt.want || got.Overdue != tt.overdue {
				t.Fatalf("Remaining = %+v, %v; want %d overdue=%v", got, err, tt.want, tt.overdue)
			}
		})
	}
}

func TestBefore(t *testing.T) {
	c := embeddedCal(t)
	tests := []struct {
		due  string
		n    int
		want string
	}{
		{"2026-12-18", 5, "2026-12-11"},
		{"2025-10-10", 2, "2025-09-30"}, // back over National Day
		{"2025-10-10", 4, "2025-09-28"}, // the make-up Sunday counts
		{"2026-12-18", 0, "2026-12-18"},
		{"2025-10-05", 1, "2025-09-29"}, // due on a holiday: one working day in (09-29, 10-05]
	}
	for _, tt := range tests {
		t.Run(tt.due, func(t *testing.T) {
			got, err := c.Before(date(t, tt.due), tt.n)
			if err != nil || got.Due.String() != tt.want || got.Workdays != -tt.n {
				t.Fatalf("Before(%s, %d) = %+v, %v; want %s", tt.due, tt.n, got, err, tt.want)
			}
		})
	}
	if _, err := c.Before(NewDate(2007, 1, 5), 10); !errors.Is(err, ErrOutOfRange) {
		t.Errorf("Before past the start of the range: %v", err)
	}
}

// TestIndexMatchesRickar: the index gives what rickar/cal's own WorkdaysFrom gives.
func TestIndexMatchesRickar(t *testing.T) {
	c := embeddedCal(t)
	for d := NewDate(2007, 1, 1); d.Year < 2029; d = d.AddDays(37) {
		for _, n := range []int{1, 15, 30, 60, 90} {
			got, err := c.Due(d, n)
			if err != nil {
				t.Fatal(err)
			}
			want := DateOf(c.biz.WorkdaysFrom(time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, shanghai), n))
			if got.Due != want {
				t.Fatalf("Due(%s, %d) = %s, rickar/cal says %s", d, n, got.Due, want)
			}
		}
	}
}

func TestConcurrentUse(t *testing.T) {
	c := embeddedCal(t)
	done := make(chan Date)
	for g := 0; g < 8; g++ {
		go func() {
			var last Date
			for i := 0; i < 1000; i++ {
				d, _ := c.Due(NewDate(2026, 1, 1).AddDays(i), 60)
				last = d.Due
			}
			done <- last
		}()
	}
	first := <-done
	for g := 1; g < 8; g++ {
		if got := <-done; got != first {
			t.Fatalf("goroutines disagree: %v vs %v", got, first)
		}
	}
}
