// Package reconcile compares what the case workflows hold with what the store recorded, so an
// operator learns of any drift between them instead of finding it in a member's complaint:
// a case whose events the store never took (a recording that keeps failing), a stage, an
// assignee or a deadline that differ.
package reconcile

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/store"
	"github.com/cicpa/weiquan/workflows"
)

// Engine answers for a case's workflow (api.TemporalEngine).
type Engine interface {
	Status(ctx context.Context, number string) (workflows.StatusResult, error)
}

// Store is the read model side (store.Store).
type Store interface {
	Case(ctx context.Context, number string) (store.CaseView, error)
	OpenCaseNumbers(ctx context.Context, after string, limit int) ([]string, error)
	RecordFailures(ctx context.Context, limit int) ([]store.RecordFailure, error)
}

// Difference is one way a case's record differs from its workflow.
type Difference struct {
	Number string `json:"number"`
	What   string `json:"what"`
}

// Report is what a check found.
type Report struct {
	Checked     int          `json:"checked"`
	Differ      int          `json:"differ"` // cases with at least one difference
	Repaired    int          `json:"repaired"`
	Differences []Difference `json:"-"`
}

// maxMarks bounds the out-of-step marks one run looks at; more would be an outage to fix first.
const maxMarks = 10000

// Check compares every open case of the store, every case marked out of step and every
// running case workflow (running, from Temporal's visibility: a finished case's workflow
// lingers a while, so recently closed cases are among them) with each other.
func Check(ctx context.Context, st Store, eng Engine, running []string) (Report, error) {
	numbers, err := openNumbers(ctx, st)
	if err != nil {
		return Report{}, err
	}
	marks, err := st.RecordFailures(ctx, maxMarks)
	if err != nil {
		return Report{}, fmt.Errorf("reconcile: out-of-step marks: %w", err)
	}
	marked := make([]string, len(marks))
	for i, m := range marks {
		marked[i] = m.Number
	}
	numbers = union(union(numbers, running), marked)
	var r Report
	for _, n := range numbers {
		diffs, err := checkCase(ctx, st, eng, n)
		if err != nil {
			return r, err
		}
		r.Checked++
		r.add(diffs)
	}
	for _, m := range marks {
		if !slices.ContainsFunc(r.Differences, func(d Difference) bool { return d.Number == m.Number }) {
			r.add([]Difference{{m.Number, fmt.Sprintf("marked out of step since %s (%d failed recordings) although the store matches the workflow",
				m.Since.Format(time.RFC3339), m.Attempts)}})
		}
	}
	return r, nil
}

// add counts a case with differences.
func (r *Report) add(diffs []Difference) {
	if len(diffs) > 0 {
		r.Differ++
		r.Differences = append(r.Differences, diffs...)
	}
}

func openNumbers(ctx context.Context, st Store) ([]string, error) {
	var all []string
	after := ""
	for {
		page, err := st.OpenCaseNumbers(ctx, after, 500)
		if err != nil {
			return nil, fmt.Errorf("reconcile: open cases: %w", err)
		}
		all = append(all, page...)
		if len(page) < 500 {
			return all, nil
		}
		after = page[len(page)-1]
	}
}

func union(a, b []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, n := range append(append([]string{}, a...), b...) {
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

// checkCase compares one case: a workflow without a record, a record without a workflow, or
// the two side by side.
func checkCase(ctx context.Context, st Store, eng Engine, number string) ([]Difference, error) {
	view, serr := st.Case(ctx, number)
	status, eerr := eng.Status(ctx, number)
	missing := errors.Is(serr, store.ErrNotFound)
	switch {
	case serr != nil && !missing:
		return nil, fmt.Errorf("reconcile %s: %w", number, serr)
	case missing && eerr == nil:
		return []Difference{{number, fmt.Sprintf("the workflow has %d events, the store none: its recording has not succeeded", len(status.Events))}}, nil
	case missing:
		return []Difference{{number, "running in Temporal, not in the store, and its workflow does not answer: " + eerr.Error()}}, nil
	case eerr != nil:
		return []Difference{{number, "the store has the case open, its workflow does not answer: " + eerr.Error()}}, nil
	}
	return Compare(view, status), nil
}

// Compare lists how the store's view of a case differs from its workflow's status.
func Compare(view store.CaseView, status workflows.StatusResult) []Difference {
	n := status.Case.Number
	var out []Difference
	add := func(format string, args ...any) { out = append(out, Difference{n, fmt.Sprintf(format, args...)}) }
	if len(view.Events) != len(status.Events) {
		add("the workflow has %d events, the store %d", len(status.Events), len(view.Events))
	}
	if seq := FirstDiffering(view.Events, status.Events); seq > 0 {
		we, se := status.Events[seq-1], view.Events[seq-1]
		add("event %d: workflow %s at %s, store %s at %s", seq, we.Type, we.At.UTC().Format(time.RFC3339Nano), se.Type, se.At.UTC().Format(time.RFC3339Nano))
	}
	w, s := status.Case, view.Case
	if w.Stage != s.Stage {
		add("stage: workflow %s, store %s", w.Stage, s.Stage)
	}
	if w.Secretary != s.Secretary {
		add("assignee: workflow %q, store %q", w.Secretary, s.Secretary)
	}
	for _, wk := range w.Clocks {
		sk, ok := s.Clock(wk.Name)
		switch {
		case !ok:
			add("clock %s: in the workflow only", wk.Name)
		case sk.State != wk.State || sk.Due != wk.Due:
			add("clock %s: workflow %s due %s, store %s due %s", wk.Name, wk.State, wk.Due, sk.State, sk.Due)
		}
	}
	for _, sk := range s.Clocks {
		if _, ok := w.Clock(sk.Name); !ok {
			add("clock %s: in the store only", sk.Name)
		}
	}
	return out
}

// FirstDiffering is the first seq both logs hold with different events (by type and instant,
// to the microsecond the store keeps), or 0.
func FirstDiffering(stored, workflow []article23.Event) int64 {
	for i := range min(len(stored), len(workflow)) {
		s, w := stored[i], workflow[i]
		if s.Type != w.Type || !s.At.Truncate(time.Microsecond).Equal(w.At.Truncate(time.Microsecond)) {
			return int64(i + 1)
		}
	}
	return 0
}

// Running lists the case numbers of every running case workflow, from Temporal's visibility.
func Running(ctx context.Context, c client.Client) ([]string, error) {
	var numbers []string
	var token []byte
	for {
		res, err := c.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{PageSize: 1000, NextPageToken: token,
			Query: "WorkflowType = 'CaseWorkflow' AND ExecutionStatus = 'Running'"})
		if err != nil {
			return nil, fmt.Errorf("reconcile: list running cases: %w", err)
		}
		for _, e := range res.Executions {
			if n, ok := strings.CutPrefix(e.Execution.WorkflowId, workflows.CaseWorkflowID("")); ok {
				numbers = append(numbers, n)
			}
		}
		if token = res.NextPageToken; len(token) == 0 {
			return numbers, nil
		}
	}
}
