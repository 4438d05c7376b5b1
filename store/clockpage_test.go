package store

import (
	"fmt"
	"testing"
	"time"

	"github.com/cicpa/weiquan/article23"
)

func TestClockPages(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		run, br := article23.ClockRunning, article23.ClockBreached
		var wantDue, wantBreached []string
		for i := range 7 {
			due := fmt.Sprintf("2026-03-%02d", 10+i%3) // shared deadlines: the keyset goes on to the number
			number := fmt.Sprintf("BJ-2026-%04d", 7-i)
			c := caseOf(number, "BJ", article23.StageAccepted, clock(article23.ClockFeedback, due, run, 0),
				clock(article23.ClockCap, due, run, 0), clock(article23.ClockCommittee, "2026-03-0"+fmt.Sprint(1+i%2), br, 16))
			mustRecord(t, s, received(c))
		}
		mustRecord(t, s, received(caseOf("SH-2026-0001", "SH", article23.StageAccepted, clock(article23.ClockFeedback, "2026-03-10", run, 0))))
		// by deadline, then case number, then clock name; the 12th is not before endOf(12th)
		for _, i := range []int{1, 4, 7, 3, 6} {
			n := fmt.Sprintf("BJ-2026-%04d", i)
			wantDue = append(wantDue, n+"/cap", n+"/feedback")
		}
		for _, i := range []int{1, 3, 5, 7, 2, 4, 6} {
			wantBreached = append(wantBreached, fmt.Sprintf("BJ-2026-%04d/committee", i))
		}
		walk := func(what string, page func(DueFilter) (ClockPage, error), f DueFilter, want []string) {
			t.Helper()
			var got []string
			for pages := 0; ; pages++ {
				p, err := page(f)
				if err != nil || pages > len(want) {
					t.Fatalf("%s: page %d: %v", what, pages, err)
				}
				for _, k := range p.Clocks {
					got = append(got, k.Case.Number+"/"+string(k.Clock.Name))
				}
				if p.Next == "" {
					break
				}
				f.Cursor = p.Next
			}
			expect(t, what, got, want)
		}
		due := func(f DueFilter) (ClockPage, error) { return s.DueSoonPage(ctx, f) }
		walk("due soon BJ by 3", due, DueFilter{Institutes: []string{"BJ"}, Before: endOf("2026-03-12"), Limit: 3}, wantDue)
		walk("breached BJ by 2", func(f DueFilter) (ClockPage, error) { return s.BreachedPage(ctx, f) },
			DueFilter{Institutes: []string{"BJ"}, Limit: 2}, wantBreached)
		national, err := s.DueSoonPage(ctx, DueFilter{Before: endOf("2026-03-11")}) // deadlines of the 10th
		if err != nil || len(national.Clocks) != 7 || national.Next != "" {
			t.Errorf("national due soon: %d rows, next %q, %v", len(national.Clocks), national.Next, err)
		}
		if p, err := s.DueSoonPage(ctx, DueFilter{Institutes: []string{}, Before: time.Now()}); err != nil || len(p.Clocks) != 0 {
			t.Errorf("empty scope sees %d rows, %v", len(p.Clocks), err)
		}
		if big, err := s.DueSoonPage(ctx, DueFilter{Limit: 1000}); err != nil || len(big.Clocks) != 15 || big.Next != "" {
			t.Errorf("no Before, limit over the cap: %d, %v", len(big.Clocks), err)
		}
		if _, err := s.DueSoonPage(ctx, DueFilter{Cursor: "bm90IGEgY3Vyc29y"}); err == nil {
			t.Error("a forged cursor was accepted")
		}
	})
}
