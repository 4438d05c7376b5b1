package store

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"testing"

	"github.com/cicpa/weiquan/article23"
)

func clock(name article23.ClockName, due string, state article23.ClockState, used int) article23.Clock {
	k := article23.Clock{Name: name, Start: "2026-03-02", Workdays: 15, Due: due, DeadlineAt: endOf(due), State: state,
		CalendarVersion: "2026.1", WorkdaysUsed: used}
	if state == article23.ClockBreached {
		k.BreachedAt = ptr(endOf(due))
	}
	return k
}

// caseOf is a case with exactly the given clocks, stage and texts.
func caseOf(number, institute string, stage article23.Stage, clocks ...article23.Clock) article23.Case {
	c := newCase(number, institute, "2026-03-23")
	c.Stage, c.Clocks = stage, clocks
	return c
}

func numbers[T any](items []T, number func(T) string) []string {
	var out []string
	for _, it := range items {
		out = append(out, number(it))
	}
	return out
}

func summaries(p []CaseSummary) []string {
	return numbers(p, func(c CaseSummary) string { return c.Number })
}
func clockCases(p []CaseClock) []string {
	return numbers(p, func(c CaseClock) string { return c.Case.Number })
}
func expect(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s:\n got %v\nwant %v", what, got, want)
	}
}

func TestDashboardQueries(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		run, met, br := article23.ClockRunning, article23.ClockMet, article23.ClockBreached
		cases := []article23.Case{
			caseOf("BJ-2026-0001", "BJ", article23.StageReceived, clock(article23.ClockDecision, "2026-03-10", run, 0)),
			caseOf("BJ-2026-0002", "BJ", article23.StageReceived, clock(article23.ClockDecision, "2026-03-20", run, 0)),
			caseOf("SH-2026-0001", "SH", article23.StageReceived, clock(article23.ClockDecision, "2026-03-12", run, 0)),
			caseOf("SH-2026-0002", "SH", article23.StageAccepted, clock(article23.ClockDecision, "2026-03-05", met, 3),
				clock(article23.ClockCommittee, "2026-03-09", br, 0)),
			caseOf("GD-2026-0001", "GD", article23.StageClosed, clock(article23.ClockDecision, "2026-03-06", br, 17)),
		}
		cases[3].Escalations = []article23.Escalation{{ID: 1, Clock: article23.ClockCommittee, Level: 1, RaisedAt: t0}}
		cases[3].Extensions = []article23.Extension{{ID: 1, Reason: "复杂", Workdays: 90, State: article23.ExtensionPending, RequestedAt: t0}}
		for _, c := range cases {
			mustRecord(t, s, received(c))
		}

		due, err := s.DueSoon(ctx, []string{"BJ"}, endOf("2026-03-15"))
		expect(t, "due soon BJ", clockCases(due), []string{"BJ-2026-0001"})
		due, err2 := s.DueSoon(ctx, nil, endOf("2026-03-15"))
		expect(t, "due soon national", clockCases(due), []string{"BJ-2026-0001", "SH-2026-0001"})
		if err != nil || err2 != nil || due[1].Clock.Due != "2026-03-12" || due[1].Case.Applicant.Name != "王会计师" {
			t.Errorf("due soon rows: %+v %v %v", due, err, err2)
		}
		breached, err := s.Breached(ctx, nil)
		expect(t, "breached (open cases only)", clockCases(breached), []string{"SH-2026-0002"})
		if err != nil || breached[0].Clock.Name != article23.ClockCommittee || breached[0].Clock.BreachedAt == nil {
			t.Errorf("breached rows: %+v %v", breached, err)
		}
		none, err := s.Breached(ctx, []string{})
		if len(none) != 0 || err != nil {
			t.Errorf("empty scope sees %d rows, %v", len(none), err)
		}

		counts, err := s.Counts(ctx, nil, endOf("2026-03-15"))
		want := []InstituteCounts{{"BJ", 2, 0, 1}, {"SH", 2, 1, 1}}
		if err != nil || !slices.Equal(counts, want) {
			t.Errorf("counts %+v, %v; want %+v", counts, err, want)
		}
		if counts, err := s.Counts(ctx, []string{"SH"}, endOf("2026-03-15")); err != nil || !slices.Equal(counts, want[1:]) {
			t.Errorf("SH's counts %+v, %v", counts, err)
		}
		// a breached case whose other deadline is also near counts as breached only
		late := caseOf("SH-2026-0003", "SH", article23.StageAccepted, clock(article23.ClockCommittee, "2026-03-04", br, 0),
			clock(article23.ClockFeedback, "2026-03-13", run, 0))
		mustRecord(t, s, received(late))
		if counts, err := s.Counts(ctx, []string{"SH"}, endOf("2026-03-15")); err != nil || !slices.Equal(counts, []InstituteCounts{{"SH", 3, 2, 1}}) {
			t.Errorf("SH's counts with a late case due soon %+v, %v", counts, err)
		}
		esc, err := s.OpenEscalations(ctx, []string{"SH"})
		if err != nil || len(esc) != 1 || esc[0].Case.Number != "SH-2026-0002" || esc[0].Escalation.Clock != article23.ClockCommittee {
			t.Errorf("open escalations %+v, %v", esc, err)
		}
		ext, err := s.PendingExtensions(ctx, nil)
		if err != nil || len(ext) != 1 || ext[0].Extension.Reason != "复杂" {
			t.Errorf("pending extensions %+v, %v", ext, err)
		}
		if ext, _ := s.PendingExtensions(ctx, []string{"BJ"}); len(ext) != 0 {
			t.Errorf("BJ sees SH's extension")
		}
	})
}

func TestListCases(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		for i := 1; i <= 25; i++ {
			due := fmt.Sprintf("2026-03-%02d", 3+i/2) // pairs share a deadline: the number breaks ties
			c := newCase(fmt.Sprintf("BJ-2026-%04d", 26-i), "BJ", due)
			if i == 25 {
				c.Stage, c.Clocks = article23.StageClosed, nil // no running clock: last
			}
			mustRecord(t, s, received(c))
		}
		var got []string
		f := CaseFilter{Institutes: []string{"BJ"}, Limit: 10}
		for pages := 0; ; pages++ {
			page, err := s.ListCases(ctx, f)
			if err != nil || pages > 3 {
				t.Fatalf("page %d: %v", pages, err)
			}
			got = append(got, summaries(page.Cases)...)
			if page.Next == "" {
				break
			}
			f.Cursor = page.Next
		}
		if len(got) != 25 || got[24] != "BJ-2026-0001" || got[0] != "BJ-2026-0025" {
			t.Fatalf("pages: %v", got)
		}
		for i := 1; i < 24; i++ {
			a, _ := s.Case(ctx, got[i-1])
			b, _ := s.Case(ctx, got[i])
			da, db := a.Case.Clocks[0].DeadlineAt, b.Case.Clocks[0].DeadlineAt
			if da.After(db) || (da.Equal(db) && got[i-1] > got[i]) {
				t.Fatalf("order broken at %d: %v", i, got)
			}
		}

		cutoff := endOf("2026-03-05")
		page, err := s.ListCases(ctx, CaseFilter{DueBefore: &cutoff})
		expect(t, "due before", summaries(page.Cases), []string{"BJ-2026-0025", "BJ-2026-0023", "BJ-2026-0024"})
		if err != nil || page.Cases[0].NextDeadline == nil || page.Cases[0].NextClock != article23.ClockDecision {
			t.Errorf("due before: %+v %v", page.Cases, err)
		}
		closed, _ := s.ListCases(ctx, CaseFilter{Stage: article23.StageClosed})
		if expect(t, "closed", summaries(closed.Cases), []string{"BJ-2026-0001"}); closed.Cases[0].NextDeadline != nil {
			t.Errorf("closed case has a next deadline")
		}
		for _, f := range []CaseFilter{{Institutes: []string{"SH"}}, {Secretary: "nobody"}, {ApplicantMemberNo: "M-none"}, {Breached: ptr(true)}} {
			if p, err := s.ListCases(ctx, f); err != nil || len(p.Cases) != 0 {
				t.Errorf("%+v: %d cases, %v", f, len(p.Cases), err)
			}
		}
		if p, _ := s.ListCases(ctx, CaseFilter{ApplicantMemberNo: "M-BJ-2026-0007", Secretary: "li", Breached: ptr(false)}); len(p.Cases) != 1 {
			t.Errorf("member filter: %v", summaries(p.Cases))
		}
		if _, err := s.ListCases(ctx, CaseFilter{Cursor: "garbage"}); err == nil {
			t.Error("garbage cursor accepted")
		}
	})
}

func TestFullTextSearch(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		a := newCase("BJ-2026-0001", "BJ", "2026-03-20")
		b := newCase("SH-2026-0001", "SH", "2026-03-20")
		b.Summary, b.Counterparty, b.Applicant.Name = "Firm refused to release working papers", "Deloitte Huayong", "李四"
		c := newCase("GD-2026-0001", "GD", "2026-03-20")
		c.Summary, c.Counterparty = "被举报后遭受行业协会不公正对待", "某地方财政局"
		for _, k := range []article23.Case{a, b, c} {
			mustRecord(t, s, received(k))
		}
		for _, tc := range []struct {
			query string
			want  []string
		}{
			{"拖欠", []string{"BJ-2026-0001"}},
			{"工资 salary", []string{"BJ-2026-0001"}},
			{"财政局", []string{"GD-2026-0001"}},
			{"李四", []string{"SH-2026-0001"}},
			{"会计师事务所", []string{"BJ-2026-0001"}},
			{"deloitte", []string{"SH-2026-0001"}},
			{"DELOIT", []string{"SH-2026-0001"}},         // word prefix, any case
			{"working-papers", []string{"SH-2026-0001"}}, // split at punctuation
			{"papers salary", nil},                       // every term must match
			{"ers", nil},                                 // words match from their start
			{"  ", nil},                                  // no terms: nothing
			{"unpaid", []string{"BJ-2026-0001"}},
			{"某", []string{"BJ-2026-0001", "GD-2026-0001"}},
		} {
			page, err := s.ListCases(t.Context(), CaseFilter{Query: tc.query})
			if err != nil {
				t.Fatalf("%q: %v", tc.query, err)
			}
			expect(t, fmt.Sprintf("search %q", tc.query), summaries(page.Cases), tc.want)
		}
		// the index follows edits of the searched columns
		a2 := next(received(a), article23.EventReassigned, func(c *article23.Case) { c.Summary = "revised statement" })
		mustRecord(t, s, a2)
		if p, _ := s.ListCases(t.Context(), CaseFilter{Query: "revised"}); len(p.Cases) != 1 {
			t.Errorf("edited summary not found")
		}
		if p, _ := s.ListCases(t.Context(), CaseFilter{Query: "unpaid"}); len(p.Cases) != 0 {
			t.Errorf("stale summary still found")
		}
		// an act that leaves the searched text as it was leaves its index entry too
		mustRecord(t, s, next(a2, article23.EventReassigned, func(c *article23.Case) { c.Secretary = "zhang" }))
		if p, _ := s.ListCases(t.Context(), CaseFilter{Query: "revised"}); len(p.Cases) != 1 {
			t.Errorf("summary not found after an act that did not change it")
		}
		if s.Dialect() == DialectSQLite { // the index agrees with the rows it indexes
			if err := s.db.Exec("INSERT INTO cases_fts (cases_fts) VALUES ('integrity-check')").Error; err != nil {
				t.Errorf("full-text index: %v", err)
			}
		}
	})
}

func TestCaseNotFound(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		if _, err := s.Case(t.Context(), "BJ-2026-9999"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("%v, want ErrNotFound", err)
		}
	})
}

// TestOpenCasesForReload: the reload's pages list exactly the open cases, in number order,
// and the moved-deadline preview reads only cases with a running clock whose window may hold
// a changed day.
func TestOpenCasesForReload(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		run := article23.ClockRunning
		mustRecord(t, s, received(caseOf("BJ-2026-0003", "BJ", article23.StageReceived, clock(article23.ClockDecision, "2026-03-20", run, 0))))
		mustRecord(t, s, received(caseOf("BJ-2026-0001", "BJ", article23.StageAccepted,
			clock(article23.ClockDecision, "2026-03-05", article23.ClockMet, 3), clock(article23.ClockFeedback, "2026-05-29", run, 0))))
		mustRecord(t, s, received(caseOf("SH-2026-0002", "SH", article23.StageReceived, clock(article23.ClockDecision, "2026-03-12", run, 0))))
		mustRecord(t, s, received(caseOf("BJ-2026-0002", "BJ", article23.StageNotAccepted, clock(article23.ClockDecision, "2026-03-20", article23.ClockMet, 5))))

		var pages [][]string
		for after := ""; ; {
			page, err := s.OpenCaseNumbers(ctx, after, 2)
			if err != nil {
				t.Fatal(err)
			}
			if len(page) == 0 {
				break
			}
			pages = append(pages, page)
			after = page[len(page)-1]
		}
		if fmt.Sprint(pages) != "[[BJ-2026-0001 BJ-2026-0003] [SH-2026-0002]]" {
			t.Errorf("open case pages %v", pages)
		}
		if n, err := s.CountOpenCases(ctx); n != 3 || err != nil {
			t.Errorf("%d open cases, %v", n, err)
		}
		// clocks start 2026-03-02: a change on 03-02 itself is outside every window, one on
		// 03-16 inside the decision clocks due 03-20 and the feedback clock due 05-29
		for _, c := range []struct{ first, last, want string }{
			{"2026-03-02", "2026-03-02", "[]"},
			{"2026-03-16", "2026-03-16", "[BJ-2026-0001 BJ-2026-0003]"},
			{"2026-03-10", "2026-03-12", "[BJ-2026-0001 BJ-2026-0003 SH-2026-0002]"},
			{"2026-05-30", "2026-12-31", "[]"},
		} {
			got, err := s.CasesWithRunningClocksSpanning(ctx, c.first, c.last)
			if err != nil || fmt.Sprint(got) != c.want {
				t.Errorf("spanning %s–%s: %v %v, want %s", c.first, c.last, got, err, c.want)
			}
		}
	})
}

// TestCaseHeadIsTheCasesHead: what an action reads is the case as Case reads it, with its
// extensions and last seq, without clocks, escalations, log and attachments.
func TestCaseHeadIsTheCasesHead(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		r1 := received(newCase("BJ-2026-0031", "BJ", "2026-03-23"))
		mustRecord(t, s, r1)
		r2 := next(r1, article23.EventExtensionApproved, func(c *article23.Case) {
			c.Extensions = []article23.Extension{{ID: 1, State: article23.ExtensionApproved, Reason: "需鉴定"}}
		})
		mustRecord(t, s, r2)
		view, err := s.Case(t.Context(), "BJ-2026-0031")
		if err != nil {
			t.Fatal(err)
		}
		head, seen, err := s.CaseHead(t.Context(), "BJ-2026-0031")
		if err != nil || seen != 2 {
			t.Fatalf("head: seq %d, %v", seen, err)
		}
		want := view.Case
		want.Clocks, want.Escalations = nil, nil
		if !reflect.DeepEqual(head, want) {
			t.Fatalf("head %+v\nwant %+v", head, want)
		}
		if _, _, err := s.CaseHead(t.Context(), "BJ-2026-9999"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("unknown case: %v", err)
		}
	})
}
