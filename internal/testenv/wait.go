package testenv

import (
	"github.com/cicpa/weiquan/calendar"
	"testing"
	"time"
)

// graceBeforeTimeout is how long before go test's -timeout WaitFor gives up, so that it fails
// with its message (and the test's cleanup runs) instead of the binary panicking.
const graceBeforeTimeout = 10 * time.Second

// WaitFor polls cond every interval until it holds. It sets no deadline of its own, so a slow
// (loaded) machine only makes it wait longer: it gives up, failing with the message, only just
// before the test binary's own -timeout, and never without one.
func WaitFor(t testing.TB, interval time.Duration, cond func() bool, format string, args ...any) {
	t.Helper()
	end, bounded := deadline(t)
	for !cond() {
		if bounded && time.Now().After(end) {
			t.Fatalf(format, args...)
		}
		time.Sleep(interval)
	}
}

// GiveUpAt is when a wait of t's that polls by itself should fail with its own message: as
// WaitFor, graceBeforeTimeout before go test's -timeout, or never (the zero time) without one.
// A slow machine then only makes the wait longer.
func GiveUpAt(t testing.TB) time.Time {
	end, bounded := deadline(t)
	if !bounded {
		return time.Time{}
	}
	return end
}

// Past reports whether the instant GiveUpAt returned has come.
func Past(at time.Time) bool { return !at.IsZero() && time.Now().After(at) }

// deadline is when WaitFor gives up: graceBeforeTimeout before go test's -timeout, if any.
func deadline(t testing.TB) (time.Time, bool) {
	d, ok := t.(interface{ Deadline() (time.Time, bool) })
	if !ok {
		return time.Time{}, false
	}
	end, bounded := d.Deadline()
	return end.Add(-graceBeforeTimeout), bounded
}

// PastWorkday is the mainland working day on or before the date n days ago (the embedded
// calendar): paper materials received then have every deadline of theirs long past.
func PastWorkday(t testing.TB, n int) string {
	t.Helper()
	cal, err := calendar.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	d := calendar.DateOf(time.Now()).AddDays(-n)
	for ok, err := cal.IsWorkday(d); !ok; ok, err = cal.IsWorkday(d) {
		if err != nil {
			t.Fatal(err)
		}
		d = d.AddDays(-1)
	}
	return d.String()
}
