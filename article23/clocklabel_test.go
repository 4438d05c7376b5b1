package article23

import (
	"strings"
	"testing"
	"unicode"
)

// TestClockLabels: every clock is named in Chinese and English, for its stage, its deadline
// and a letter; a Chinese label is Chinese and an English one is not.
func TestClockLabels(t *testing.T) {
	if len(ClockLabels) != len(ClockNames) {
		t.Errorf("%d labels for %d clocks", len(ClockLabels), len(ClockNames))
	}
	han := func(s string) bool {
		return strings.IndexFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) }) >= 0
	}
	for _, n := range ClockNames {
		l, ok := ClockLabels[n]
		if !ok {
			t.Errorf("clock %q has no labels", n)
			continue
		}
		for _, zh := range []string{l.Zh, l.DeadlineZh, l.Act} {
			if !han(zh) {
				t.Errorf("clock %q: Chinese label %q is not Chinese", n, zh)
			}
		}
		if l.En == "" || han(l.En) {
			t.Errorf("clock %q: English label %q", n, l.En)
		}
		if n.Label("zh") != l.Zh || n.Label("en") != l.En || n.DeadlineLabel() != l.DeadlineZh || n.ActLabel() != l.Act {
			t.Errorf("clock %q: the methods do not read the table", n)
		}
	}
	if got := ClockName("nope").Label("en"); got != "nope" {
		t.Errorf("a name that is no clock is labelled %q", got)
	}
}
