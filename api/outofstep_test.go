package api

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/wire"
)

// TestOutOfStepIsShownToStaffAndCounted: a case whose recording failed says so to staff (not
// to the member, who cannot act on it) and /metrics counts it until the mark is cleared.
func TestOutOfStepIsShownToStaffAndCounted(t *testing.T) {
	a := newTestAPI(t)
	c := a.submit()
	path := "/api/v1/cases/" + c.Number
	gauge := func() string {
		body := a.do(principal{}, "GET", "/metrics", nil).want(http.StatusOK).Body.String()
		for line := range strings.Lines(body) {
			if strings.HasPrefix(line, "weiquan_cases_out_of_step ") {
				return strings.TrimSpace(line)
			}
		}
		t.Fatalf("no weiquan_cases_out_of_step in /metrics:\n%s", body)
		return ""
	}
	var r wire.Case
	a.do(secretaryBJ, "GET", path, nil).want(http.StatusOK).decode(&r)
	if r.OutOfStep != nil || gauge() != "weiquan_cases_out_of_step 0" {
		t.Fatalf("in step: out_of_step %+v, %s", r.OutOfStep, gauge())
	}
	for range 2 {
		if err := a.st.NoteRecordFailure(t.Context(), c.Number, errors.New("record "+c.Number+"/2: database refused")); err != nil {
			t.Fatal(err)
		}
	}
	a.do(secretaryBJ, "GET", path, nil).want(http.StatusOK).decode(&r)
	if r.OutOfStep == nil || r.OutOfStep.Attempts != 2 || !strings.Contains(r.OutOfStep.LastError, "database refused") {
		t.Fatalf("staff read of a marked case: %+v", r.OutOfStep)
	}
	if body := a.do(memberWang, "GET", path, nil).want(http.StatusOK).Body.String(); strings.Contains(body, "out_of_step") {
		t.Fatalf("the member is shown the mark: %s", body)
	}
	if g := gauge(); g != "weiquan_cases_out_of_step 1" {
		t.Fatal(g)
	}
	if err := a.st.ClearRecordFailure(t.Context(), c.Number); err != nil {
		t.Fatal(err)
	}
	if g := gauge(); g != "weiquan_cases_out_of_step 0" {
		t.Fatal(g)
	}
}

// TestCorrectionsAreShownToStaff: a case whose log entries were replaced (a step redone after
// a crash, or a repair) says when and which to staff, not to the member.
func TestCorrectionsAreShownToStaff(t *testing.T) {
	a := newTestAPI(t)
	c := a.submit()
	path := "/api/v1/cases/" + c.Number
	var r wire.Case
	a.do(secretaryBJ, "GET", path, nil).want(http.StatusOK).decode(&r)
	if len(r.Corrections) != 0 {
		t.Fatalf("a case never corrected: %+v", r.Corrections)
	}
	view, err := a.st.Case(t.Context(), c.Number)
	if err != nil {
		t.Fatal(err)
	}
	redo := make([]article23.Record, len(view.Events))
	for i, e := range view.Events {
		e.At = e.At.Add(time.Second) // the step redone: the same entries, a second later
		redo[i] = article23.Record{Event: e, Case: view.Case}
	}
	if err := a.st.Replace(t.Context(), redo...); err != nil {
		t.Fatal(err)
	}
	a.do(secretaryBJ, "GET", path, nil).want(http.StatusOK).decode(&r)
	if len(r.Corrections) != 1 || r.Corrections[0].FromSeq != 1 || r.Corrections[0].Events != len(view.Events) {
		t.Fatalf("staff read of a corrected case: %+v", r.Corrections)
	}
	if _, offset := r.Corrections[0].At.Zone(); offset != 8*3600 {
		t.Fatalf("staff read of a corrected case: %+v", r.Corrections)
	}
	if body := a.do(memberWang, "GET", path, nil).want(http.StatusOK).Body.String(); strings.Contains(body, "corrections") {
		t.Fatalf("the member is shown the corrections: %s", body)
	}
}
