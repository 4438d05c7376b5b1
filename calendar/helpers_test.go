package calendar

import (
	"bufio"
	"os"
	"strings"
	"sync"
	"testing"
)

// shared is built once per test binary; a Calendar is immutable, so tests can share it.
var shared struct {
	once sync.Once
	cal  *Calendar
	err  error
}

func embeddedCal(tb testing.TB) *Calendar {
	tb.Helper()
	shared.once.Do(func() { shared.cal, shared.err = Embedded() })
	if shared.err != nil {
		tb.Fatalf("Embedded: %v", shared.err)
	}
	return shared.cal
}

func date(tb testing.TB, s string) Date {
	tb.Helper()
	d, err := ParseDate(s)
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

// readTSV returns the tab-separated fields of every line of a testdata file.
func readTSV(tb testing.TB, name string) [][]string {
	tb.Helper()
	f, err := os.Open("testdata/" + name)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var rows [][]string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" {
			rows = append(rows, strings.Split(line, "\t"))
		}
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return rows
}

// countWorkdays counts the working days of year y given the listed dates (true = working day).
func countWorkdays(y int, listed map[Date]bool) int {
	n := 0
	for d := NewDate(y, 1, 1); d.Year == y; d = d.AddDays(1) {
		work, ok := listed[d]
		if !ok {
			work = !isWeekend(d)
		}
		if work {
			n++
		}
	}
	return n
}

func mustYearFile(tb testing.TB, c *Calendar, path string) *Calendar {
	tb.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	next, err := c.WithYearFile(data)
	if err != nil {
		tb.Fatalf("WithYearFile(%s): %v", path, err)
	}
	return next
}
