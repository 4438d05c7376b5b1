package reconcile

import (
	"context"
	"errors"
	"fmt"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/store"
	"github.com/cicpa/weiquan/workflows"
)

// Repairer is the store as a repair writes to it (store.Store).
type Repairer interface {
	Store
	Record(ctx context.Context, rs ...article23.Record) (int, error)
	Replace(ctx context.Context, rs ...article23.Record) error
	RewriteCase(ctx context.Context, c article23.Case, seq int64) error
	ClearRecordFailure(ctx context.Context, number string) error
}

// Repair brings the store in step with the workflow of every case r found different: the
// events the store lacks are recorded with the notifications they carried (so nobody misses
// a message), events that differ from the workflow's are superseded by the workflow's from
// the first that differs (store.Replace; those replaced stay in superseded_events), a read
// model that drifted is rewritten from the workflow's case, and the
// case's out-of-step mark is removed. Each case is then checked again; Repaired counts those
// now in step, and Differences keeps what remains, with why it could not be repaired.
func Repair(ctx context.Context, st Repairer, eng Engine, r Report) (Report, error) {
	out := Report{Checked: r.Checked, Differ: r.Differ}
	for _, n := range differing(r) {
		if err := repairCase(ctx, st, eng, n); err != nil {
			if ctx.Err() != nil {
				return out, ctx.Err()
			}
			out.Differences = append(out.Differences, Difference{n, "not repaired: " + err.Error()})
			continue
		}
		diffs, err := checkCase(ctx, st, eng, n)
		if err != nil {
			return out, err
		}
		if len(diffs) > 0 {
			out.Differences = append(out.Differences, diffs...) // the workflow moved on meanwhile, or a write was refused
			continue
		}
		out.Repaired++
	}
	return out, nil
}

// differing lists each case of r's differences once, in order.
func differing(r Report) []string {
	var out []string
	for _, d := range r.Differences {
		if len(out) == 0 || out[len(out)-1] != d.Number {
			out = append(out, d.Number)
		}
	}
	return out
}

// repairCase re-records what the store lacks of one case and rewrites its read model.
func repairCase(ctx context.Context, st Repairer, eng Engine, number string) error {
	status, err := eng.Status(ctx, number)
	if err != nil {
		return fmt.Errorf("its workflow does not answer (%w): nothing to repair from", err)
	}
	view, err := st.Case(ctx, number)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	have, want := len(view.Events), len(status.Events)
	if seq := FirstDiffering(view.Events, status.Events); seq > 0 {
		// events a discarded workflow task recorded, kept before records named their task
		if err := st.Replace(ctx, missing(status, int(seq-1))...); err != nil {
			return fmt.Errorf("replacing events %d..%d: %w", seq, want, err)
		}
		return st.ClearRecordFailure(ctx, number)
	}
	if have > want {
		return fmt.Errorf("the store has %d events, the workflow %d: the store is not repaired from a workflow behind it", have, want)
	}
	if have < want {
		if _, err := st.Record(ctx, missing(status, have)...); err != nil {
			return fmt.Errorf("re-recording events %d..%d: %w", have+1, want, err)
		}
	} else if len(Compare(view, status)) > 0 {
		if err := st.RewriteCase(ctx, status.Case, int64(want)); err != nil {
			return fmt.Errorf("rewriting the case: %w", err)
		}
	}
	return st.ClearRecordFailure(ctx, number)
}

// missing is the records of the workflow's events after the first have: each with the
// notifications it carried and the case as the workflow holds it now (the store keeps only
// the case after the last event).
func missing(status workflows.StatusResult, have int) []article23.Record {
	told := map[int64][]article23.Notification{}
	for _, t := range status.Told {
		told[t.Seq] = t.Notifications
	}
	var rs []article23.Record
	for _, e := range status.Events[have:] {
		rs = append(rs, article23.Record{Event: e, Case: status.Case, Notifications: told[e.Seq]})
	}
	return rs
}
