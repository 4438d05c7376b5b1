package calendar

import (
	"testing"
)

// checkDueProperties asserts what must hold for any start date and n: the due date is a
// working day after start (start itself for n == 0), exactly n working days lie in
// (start, due], Before inverts Due, and Due is monotonic in n and in start.
func checkDueProperties(t *testing.T, c *Calendar, start Date, n int) {
	t.Helper()
	d, err := c.Due(start, n)
	if err != nil {
		return // past the end of the range
	}
	if n == 0 {
		if d.Due != start {
			t.Fatalf("Due(%s, 0) = %s, want the start itself", start, d.Due)
		}
		return
	}
	if w, _ := c.IsWorkday(d.Due); !w || !d.Due.After(start) {
		t.Fatalf("Due(%s, %d) = %s is not a working day after the start", start, n, d.Due)
	}
	if cnt, _ := c.WorkdaysBetween(start, d.Due); cnt.Workdays != n {
		t.Fatalf("WorkdaysBetween(%s, Due(%s, %d)=%s) = %d", start, start, n, d.Due, cnt.Workdays)
	}
	if b, _ := c.Before(d.Due, n); b.Due.After(start) || !b.Due.Before(d.Due) {
		t.Fatalf("Before(%s, %d) = %s, start %s", d.Due, n, b.Due, start)
	}
	if prev, _ := c.Due(start, n-1); !prev.Due.Before(d.Due) {
		t.Fatalf("Due not strictly increasing in n at %s, %d", start, n)
	}
	if next, err := c.Due(start.AddDays(1), n); err == nil && next.Due.Before(d.Due) {
		t.Fatalf("Due not monotonic in the start at %s, %d", start, n)
	}
}

func TestDueProperties(t *testing.T) {
	c := embeddedCal(t)
	first, last := c.Range()
	span := last.days() - first.days()
	for i := 0; i < 20000; i++ {
		start := first.AddDays(i * 7919 % span)
		checkDueProperties(t, c, start, i%(MaxWorkdays+1)/(1+i%7))
	}
}

// FuzzDue checks the same properties on fuzzed dates (as an offset into the range) and n.
// Seeds are in testdata/fuzz/FuzzDue.
func FuzzDue(f *testing.F) {
	f.Add(7270, 15) // 2026-11-27
	f.Add(7270, 60)
	f.Add(0, 0)
	c := embeddedCal(f)
	first, last := c.Range()
	span := last.days() - first.days() + 1
	f.Fuzz(func(t *testing.T, offset, n int) {
		if offset < 0 {
			offset = -(offset + 1)
		}
		if n < 0 {
			n = -(n + 1)
		}
		checkDueProperties(t, c, first.AddDays(offset%span), n%(MaxWorkdays+1))
	})
}

func TestDueDoesNotAllocate(t *testing.T) {
	c := embeddedCal(t)
	start := NewDate(2026, 11, 27)
	allocs := testing.AllocsPerRun(1000, func() {
		if _, err := c.Due(start, 90); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("Due allocates %v times per call", allocs)
	}
}
