package calendar

import (
	"testing"
	"time"
)

// BenchmarkDueIndex is Due(d, 90) through the cumulative index.
func BenchmarkDueIndex(b *testing.B) {
	c := embeddedCal(b)
	start := NewDate(2026, 11, 27)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Due(start, 90); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDueRickarLoop is the same question answered by rickar/cal's own WorkdaysFrom,
// which walks day by day over the same BusinessCalendar.
func BenchmarkDueRickarLoop(b *testing.B) {
	c := embeddedCal(b)
	start := time.Date(2026, 11, 27, 12, 0, 0, 0, shanghai)
	b.ReportAllocs()
	for b.Loop() {
		c.biz.WorkdaysFrom(start, 90)
	}
}

// BenchmarkEmbedded is the cost of building the shipped calendar (parse, provisional years,
// BusinessCalendar, index).
func BenchmarkEmbedded(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Embedded(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWithYearFile is the cost of an update: provisional years are reused.
func BenchmarkWithYearFile(b *testing.B) {
	c := embeddedCal(b)
	data := []byte(`{"year":2028,"papers":["x"],"days":[{"name":"元旦","date":"2028-01-01","isOffDay":true}]}`)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.WithYearFile(data); err != nil {
			b.Fatal(err)
		}
	}
}
