package api

import (
	"errors"
	"net/http"
	"strings"
	"testing"

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
