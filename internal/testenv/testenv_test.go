package testenv

import (
	"fmt"
	"testing"
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
