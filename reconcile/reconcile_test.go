package reconcile

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/store"
	"github.com/cicpa/weiquan/workflows"
)

// cases is a store and an engine holding given data: it answers lookups, nothing more.
type cases struct {
	stored  map[string]store.CaseView
	running map[string]workflows.StatusResult
}

func (c cases) Case(_ context.Context, n string) (store.CaseView, error) {
	v, ok := c.stored[n]
	if !ok {
		return v, fmt.Errorf("case %s: %w", n, store.ErrNotFound)
	}
	return v, nil
}

func (c cases) OpenCaseNumbers(_ context.Context, after string, limit int) ([]string, error) {
	var out []string
	for n, v := range c.stored {
		if v.Case.Stage.Open() && n > after {
			out = append(out, n)
		}
	}
	return out, nil
}

func (c cases) RecordFailures(context.Context, int) ([]store.RecordFailure, error) { return nil, nil }

func (c cases) Status(_ context.Context, n string) (workflows.StatusResult, error) {
	s, ok := c.running[n]
	if !ok {
		return s, errors.New("workflow not found")
	}
	return s, nil
}

func kase(number string, stage article23.Stage, events int) (store.CaseView, workflows.StatusResult) {
	c := article23.Case{Number: number, Institute: "BJ", Stage: stage, Secretary: "li",
		Clocks: []article23.Clock{{Name: article23.ClockDecision, Due: "2026-12-18", State: article23.ClockRunning}}}
	evs := make([]article23.Event, events)
	return store.CaseView{Case: c, Events: evs}, workflows.StatusResult{Case: c, Events: evs}
}

func TestCheck(t *testing.T) {
	same, sameW := kase("BJ-2026-0001", article23.StageReceived, 2)
	behind, behindW := kase("BJ-2026-0002", article23.StageReceived, 2)
	behindW.Events = append(behindW.Events, article23.Event{})
	behindW.Case.Stage, behindW.Case.Secretary = article23.StageAccepted, "ma"
	behindW.Case.Clocks = []article23.Clock{behind.Case.Clocks[0]}
	behindW.Case.Clocks[0].State = article23.ClockMet
	_, unrecordedW := kase("BJ-2026-0003", article23.StageReceived, 2)
	orphan, _ := kase("BJ-2026-0004", article23.StageReceived, 2)
	c := cases{
		stored:  map[string]store.CaseView{"BJ-2026-0001": same, "BJ-2026-0002": behind, "BJ-2026-0004": orphan},
		running: map[string]workflows.StatusResult{"BJ-2026-0001": sameW, "BJ-2026-0002": behindW, "BJ-2026-0003": unrecordedW},
	}
	r, err := Check(t.Context(), c, c, []string{"BJ-2026-0001", "BJ-2026-0002", "BJ-2026-0003"})
	if err != nil {
		t.Fatal(err)
	}
	if r.Checked != 4 || r.Differ != 3 {
		t.Fatalf("report %+v", r)
	}
	var got []string
	for _, d := range r.Differences {
		got = append(got, d.Number+": "+d.What)
	}
	text := strings.Join(got, "\n")
	for _, want := range []string{
		"BJ-2026-0002: the workflow has 3 events, the store 2",
		"BJ-2026-0002: stage: workflow accepted, store received",
		`BJ-2026-0002: assignee: workflow "ma", store "li"`,
		"BJ-2026-0002: clock decision: workflow met due 2026-12-18, store running due 2026-12-18",
		"BJ-2026-0003: the workflow has 2 events, the store none",
		"BJ-2026-0004: the store has the case open, its workflow does not answer",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("missing %q in\n%s", want, text)
		}
	}
	if strings.Contains(text, "BJ-2026-0001") {
		t.Errorf("a case that agrees was reported:\n%s", text)
	}
}
