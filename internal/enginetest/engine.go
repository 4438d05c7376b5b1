// Package enginetest is the one in-memory double of the case engine (api.Engine) for the API's
// and the console's tests: it applies every update with the workflow's checks, in the
// workflow's order, with its refusal codes, and emits the workflow's events, clocks and
// notifications through the real calendar activities, recording them in the store as the
// recording activity would. It fires no timer: tests raise breaches and escalations
// themselves (Change, Escalate). workflows' contract test runs one scenario table against
// this double and CaseWorkflow and fails on any difference.
package enginetest

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/cicpa/weiquan/activities"
	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/calendar"
	"github.com/cicpa/weiquan/store"
	"github.com/cicpa/weiquan/workflows"
)

// Store is what the double needs of the case store: store.Store implements it.
type Store interface {
	Record(ctx context.Context, rs ...article23.Record) (int, error)
	OpenCaseNumbers(ctx context.Context, after string, limit int) ([]string, error)
}

// Config wires the double. Calendar and Now are read at each call, so a test may swap them.
type Config struct {
	Store    Store
	Calendar func() *calendar.Calendar
	Now      func() time.Time
	// UpdateID returns the update ID a request carries (api's Idempotency-Key); nil or ""
	// applies every call.
	UpdateID func(context.Context) string
	// Unavailable is the error FailOpen and FailReload wrap (api.ErrEngineUnavailable);
	// NotReady the one a hanging Open returns (api.ErrStartedNotReady).
	Unavailable, NotReady error
}

// Engine is the double; its zero value is not usable: call New.
type Engine struct {
	mu         sync.Mutex
	cfg        Config
	acts       *activities.Activities
	cases      map[string]*run
	updates    map[string]article23.Case // by update ID: a retried update is applied once
	reloads    map[string]workflows.ReloadProgress
	signals    []string
	applied    int
	failOpen   int
	hangOpen   bool
	failReload int
}

// run is one case as the workflow holds it.
type run struct {
	c          article23.Case
	events     []article23.Event
	told       []workflows.Told
	windowEnds string             // last day a supplement may be requested
	outbox     []article23.Record // emitted by the act being applied
	now        time.Time          // the instant of the act being applied
	ctx        context.Context    // the call's context, for the calendar activities
	eng        *activities.Activities
}

type calendarFunc func() *calendar.Calendar

func (f calendarFunc) Current() *calendar.Calendar { return f() }

// New returns an engine with no cases.
func New(cfg Config) *Engine {
	return &Engine{cfg: cfg, acts: &activities.Activities{Calendar: calendarFunc(cfg.Calendar)},
		cases: map[string]*run{}, updates: map[string]article23.Case{}, reloads: map[string]workflows.ReloadProgress{}}
}

// Open starts case in.Case as the workflow's start does, or returns it when it exists.
func (e *Engine) Open(ctx context.Context, in workflows.CaseInput) (workflows.StatusResult, error) {
	e.mu.Lock()
	if e.failOpen > 0 {
		e.failOpen--
		e.mu.Unlock()
		return workflows.StatusResult{}, fmt.Errorf("open: %w", e.cfg.Unavailable)
	}
	if r, ok := e.cases[in.Case.Number]; ok {
		defer e.mu.Unlock()
		return r.status(), nil // USE_EXISTING
	}
	r, err := e.start(ctx, in)
	hang := e.hangOpen && err == nil
	e.mu.Unlock()
	if err != nil {
		return workflows.StatusResult{}, err
	}
	if hang {
		<-ctx.Done() // started, but no answer in time, like a slow worker
		return workflows.StatusResult{}, fmt.Errorf("open: %w", e.cfg.NotReady)
	}
	return r.status(), nil
}

// start runs the workflow's start: the decision clock, the supplement window, the receipt.
func (e *Engine) start(ctx context.Context, in workflows.CaseInput) (*run, error) {
	if err := workflows.ValidateInput(in, calendar.DateOf(e.cfg.Now()).String()); err != nil {
		return nil, err
	}
	c := in.Case
	c.Stage = article23.StageReceived
	c.Clocks, c.Extensions, c.Escalations = nil, nil, nil
	c.Decision, c.Committee, c.Feedback, c.Supplement = nil, nil, nil, nil
	r := &run{c: c, now: e.cfg.Now(), ctx: ctx, eng: e.acts}
	p, on := c.Policy, c.ReceivedOn
	res, err := r.compute(r.request(on, p.DecisionWorkdays, ""))
	if err != nil {
		return nil, err
	}
	if p.AllowSupplement {
		w, err := r.compute(activities.DeadlineRequest{Start: on, Workdays: p.SupplementWindowWorkdays})
		if err != nil {
			return nil, err
		}
		r.windowEnds = w.Due
	}
	r.emit(article23.EventReceived, c.SubmittedBy, article23.EventData{Date: on, Due: res.Due},
		article23.AudienceMember, article23.AudienceSecretary)
	r.startClock(article23.ClockDecision, article23.CountFromReceipt, on, res)
	if err := e.record(ctx, r); err != nil {
		return nil, err
	}
	e.cases[c.Number] = r
	return r, nil
}

// record hands the run's outbox to the store, in seq order.
func (e *Engine) record(ctx context.Context, r *run) error {
	out := r.outbox
	r.outbox, r.ctx = nil, nil
	if len(out) == 0 {
		return nil
	}
	_, err := e.cfg.Store.Record(ctx, out...)
	return err
}

// Status answers like StatusQuery; the double arms no alarms, so none are pending.
func (e *Engine) Status(ctx context.Context, number string) (workflows.StatusResult, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	r, ok := e.cases[number]
	if !ok {
		return workflows.StatusResult{}, fmt.Errorf("status %s: %w", number, store.ErrNotFound)
	}
	return r.status(), nil
}

func (r *run) status() workflows.StatusResult {
	return workflows.StatusResult{Case: cloneCase(r.c), Events: slices.Clone(r.events), PendingAlarms: []workflows.Alarm{},
		Told: slices.Clone(r.told)}
}

// Update validates and applies update name as the workflow does; a refusal leaves the case
// as it was.
func (e *Engine) Update(ctx context.Context, number, name string, arg any) (article23.Case, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	id := ""
	if e.cfg.UpdateID != nil {
		id = e.cfg.UpdateID(ctx)
	}
	if c, ok := e.updates[id]; ok && id != "" {
		return c, nil
	}
	cur, ok := e.cases[number]
	if !ok {
		return article23.Case{}, fmt.Errorf("%s %s: %w", name, number, store.ErrNotFound)
	}
	r := cur.clone()
	r.now, r.ctx, r.eng = e.cfg.Now(), ctx, e.acts
	if err := r.act(name, arg); err != nil {
		return article23.Case{}, err
	}
	if err := e.record(ctx, r); err != nil {
		return article23.Case{}, err
	}
	e.cases[number] = r
	e.applied++
	if id != "" {
		e.updates[id] = cloneCase(r.c)
	}
	return cloneCase(r.c), nil
}

// clone copies r deeply enough that a refused act leaves r as it was.
func (r *run) clone() *run {
	n := *r
	n.c = cloneCase(r.c)
	n.events, n.told = slices.Clone(r.events), slices.Clone(r.told)
	return &n
}

// cloneCase copies c's slices; pointed-to values are replaced, never changed in place.
func cloneCase(c article23.Case) article23.Case {
	c.Clocks = slices.Clone(c.Clocks)
	c.Extensions = slices.Clone(c.Extensions)
	c.Escalations = slices.Clone(c.Escalations)
	c.Policy.ReminderWorkdays = slices.Clone(c.Policy.ReminderWorkdays)
	return c
}

// StartCalendarReload signals every open case of the store at once, in number order.
func (e *Engine) StartCalendarReload(ctx context.Context, u workflows.CalendarUpdated) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.failReload > 0 {
		e.failReload--
		return fmt.Errorf("start calendar reload: %w", e.cfg.Unavailable)
	}
	p := workflows.ReloadProgress{Calendar: u.Version}
	for after := ""; ; {
		numbers, err := e.cfg.Store.OpenCaseNumbers(ctx, after, 100)
		if err != nil {
			return err
		}
		if len(numbers) == 0 {
			break
		}
		for _, n := range numbers {
			e.signals = append(e.signals, n+" "+u.Version)
			p.Signalled++
		}
		after = numbers[len(numbers)-1]
	}
	p.Done = true
	e.reloads[u.Version] = p
	return nil
}

// CalendarReload reports the reload of version; store.ErrNotFound when none ran.
func (e *Engine) CalendarReload(ctx context.Context, version string) (workflows.ReloadProgress, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	p, ok := e.reloads[version]
	if !ok {
		return p, fmt.Errorf("calendar reload %s: %w", version, store.ErrNotFound)
	}
	return p, nil
}
