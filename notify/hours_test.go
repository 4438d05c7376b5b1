package notify

import (
	"testing"
	"time"

	"github.com/cicpa/weiquan/article23"
)

func TestNextWorkingTime(t *testing.T) {
	cal := embedded(t).c
	def := article23.DefaultPolicy()
	early := def
	early.WorkingHoursStart, early.WorkingHoursEnd = "08:30", "17:00"
	tests := []struct {
		name string
		now  time.Time
		p    article23.Policy
		want time.Time
	}{
		{"inside hours", at(2026, 9, 30, 10, 15), def, at(2026, 9, 30, 10, 15)},
		{"23:00 before National Day: after the 1–7 October block", at(2026, 9, 30, 23, 0), def, at(2026, 10, 8, 9, 0)},
		{"on the holiday", at(2026, 10, 1, 10, 0), def, at(2026, 10, 8, 9, 0)},
		{"Friday night before a make-up Saturday", at(2026, 10, 9, 23, 0), def, at(2026, 10, 10, 9, 0)},
		{"make-up Saturday inside hours", at(2026, 10, 10, 11, 0), def, at(2026, 10, 10, 11, 0)},
		{"ordinary Saturday", at(2026, 3, 7, 11, 0), def, at(2026, 3, 9, 9, 0)},
		{"before opening", at(2026, 3, 9, 7, 59), def, at(2026, 3, 9, 9, 0)},
		{"at closing", at(2026, 3, 9, 18, 0), def, at(2026, 3, 10, 9, 0)},
		{"institute's own hours", at(2026, 3, 9, 17, 30), early, at(2026, 3, 10, 8, 30)},
		{"UTC input", time.Date(2026, 3, 9, 15, 0, 0, 0, time.UTC), def, at(2026, 3, 10, 9, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NextWorkingTime(tt.now, tt.p, cal); !got.Equal(tt.want) {
				t.Fatalf("got %v, want %v", got.In(shanghai), tt.want)
			}
		})
	}
	if got := NextWorkingTime(at(2026, 3, 7, 11, 0), def, nil); !got.Equal(at(2026, 3, 9, 9, 0)) {
		t.Fatalf("without a calendar: %v", got)
	}
}
