package enginetest

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/workflows"
)

// FailOpen makes the next n Opens fail as if Temporal were down.
func (e *Engine) FailOpen(n int) { e.mu.Lock(); e.failOpen = n; e.mu.Unlock() }

// HangOpen makes Open start the case but answer only when its context ends, like a slow worker.
func (e *Engine) HangOpen(on bool) { e.mu.Lock(); e.hangOpen = on; e.mu.Unlock() }

// FailReload makes the next n StartCalendarReloads fail as if Temporal were down.
func (e *Engine) FailReload(n int) { e.mu.Lock(); e.failReload = n; e.mu.Unlock() }

// Signals are the calendar signals sent so far, "number version" each.
func (e *Engine) Signals() []string { e.mu.Lock(); defer e.mu.Unlock(); return slices.Clone(e.signals) }

// Applied counts the updates applied (a deduplicated retry does not count).
func (e *Engine) Applied() int { e.mu.Lock(); defer e.mu.Unlock(); return e.applied }

// SetReload records the progress of a reload as if one had run.
func (e *Engine) SetReload(p workflows.ReloadProgress) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.reloads[p.Calendar] = p
}

// Change applies fn to case number as the workflow's timers would (a breach, an escalation)
// (fn gets the engine's now) and records event t of the system with data d and the audiences told.
func (e *Engine) Change(ctx context.Context, number string, t article23.EventType, d article23.EventData, fn func(c *article23.Case, now time.Time), tell ...article23.Audience) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	r, ok := e.cases[number]
	if !ok {
		return fmt.Errorf("change %s: no such case", number)
	}
	r.now, r.ctx = e.cfg.Now(), ctx
	fn(&r.c, r.now)
	r.emit(t, article23.SystemActor, d, tell...)
	return e.record(ctx, r)
}

// Escalate raises an escalation of the decision clock at level, as a breach would.
func (e *Engine) Escalate(ctx context.Context, number string, level int) error {
	return e.Change(ctx, number, article23.EventEscalated, article23.EventData{Clock: article23.ClockDecision, Level: level},
		func(c *article23.Case, now time.Time) {
			c.Escalations = append(c.Escalations, article23.Escalation{ID: len(c.Escalations) + 1, Clock: article23.ClockDecision, Level: level, RaisedAt: now.UTC()})
		})
}
