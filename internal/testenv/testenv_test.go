package testenv

import (
	"fmt"
	"testing"
	"time"
)

// TestMissing: a skip outside CI, a failure under CI=true.
func TestMissing(t *testing.T) {
	for ci, want := range map[string]string{"": "skipped", "true": "failed"} {
		t.Run("CI="+ci, func(t *testing.T) {
			t.Setenv("CI", ci)
			got := "ran on"
			rec := &recorder{T: t}
			func() {
				defer func() { _ = recover() }()
				Missing(rec, "no %s", "tool")
			}()
			switch {
			case rec.failed:
				got = "failed"
			case rec.skipped:
				got = "skipped"
			}
			if got != want || rec.msg != "no tool" {
				t.Fatalf("%s (%q), want %s", got, rec.msg, want)
			}
		})
	}
}

// recorder records what Missing does instead of ending the test.
type recorder struct {
	*testing.T
	failed, skipped bool
	msg             string
}

func (r *recorder) Fatalf(format string, args ...any) {
	r.failed, r.msg = true, fmt.Sprintf(format, args...)
	panic("stop")
}

func (r *recorder) Skipf(format string, args ...any) {
	r.skipped, r.msg = true, fmt.Sprintf(format, args...)
	panic("stop")
}

// TestWaitFor: WaitFor returns once the condition holds, however many polls that takes, and
// fails with its message once the test binary's deadline is (nearly) reached.
func TestWaitFor(t *testing.T) {
	polls := 0
	WaitFor(t, time.Millisecond, func() bool { polls++; return polls == 5 }, "never")
	if polls != 5 {
		t.Fatalf("returned after %d polls, want 5", polls)
	}
	rec := &deadlineRecorder{recorder: recorder{T: t}, end: time.Now().Add(graceBeforeTimeout)}
	func() {
		defer func() { _ = recover() }()
		WaitFor(rec, time.Millisecond, func() bool { return false }, "no %s", "signal")
	}()
	if !rec.failed || rec.msg != "no signal" {
		t.Fatalf("at the deadline: failed %v (%q), want a failure saying no signal", rec.failed, rec.msg)
	}
}

// deadlineRecorder is a recorder whose test binary ends at end.
type deadlineRecorder struct {
	recorder
	end time.Time
}

func (r *deadlineRecorder) Deadline() (time.Time, bool) { return r.end, true }

// TestGiveUpAtFollowsTheTestTimeout: a wait gives up just before go test's -timeout (which
// go test always sets, 10 minutes by default), and a zero instant never comes.
func TestGiveUpAtFollowsTheTestTimeout(t *testing.T) {
	end, bounded := t.Deadline()
	at := GiveUpAt(t)
	if bounded != !at.IsZero() || (bounded && !at.Equal(end.Add(-graceBeforeTimeout))) {
		t.Fatalf("GiveUpAt %v for a test deadline %v (%v)", at, end, bounded)
	}
	if Past(time.Time{}) || !Past(time.Now().Add(-time.Second)) || Past(time.Now().Add(time.Hour)) {
		t.Fatal("Past: the zero time never comes, a second ago has, an hour ahead has not")
	}
}
