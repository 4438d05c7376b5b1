package web

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"go.temporal.io/sdk/temporal"

	"github.com/cicpa/weiquan/api"
	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/calendar"
	"github.com/cicpa/weiquan/store"
	"github.com/cicpa/weiquan/workflows"
)

// fakeEngine stands in for the case workflow behind api.Engine (after api's own test engine,
// which is not exported): it keeps cases in memory, applies the workflow's checks (actor,
// stage, dates, reasons, the extension cap) with the workflow's error codes, and records
// every event in the real store as the recording activity would. The real workflow is
// covered by workflows/ (time-skipping) and e2e/ (embedded server); web's tests need an
// engine that answers at once and never fires timers on its own.
type fakeEngine struct {
	mu       sync.Mutex
	st       *store.Store
	cal      func() *calendar.Calendar
	now      func() time.Time
	cases    map[string]*article23.Case
	seq      map[string]int64
	updates  map[string]article23.Case           // by update ID: a retried update is applied once
	applied  int                                 // updates applied (not deduplicated)
	failOpen int                                 // fail the next n Opens as if Temporal were down
	failLoad int                                 // fail the next n StartCalendarReloads likewise
	signals  []string                            // "number version", one per case a reload signalled
	reloads  map[string]workflows.ReloadProgress // by calendar version
}

func newFakeEngine(st *store.Store, cal func() *calendar.Calendar, now func() time.Time) *fakeEngine {
	return &fakeEngine{st: st, cal: cal, now: now, cases: map[string]*article23.Case{}, seq: map[string]int64{}, updates: map[string]article23.Case{}, reloads: map[string]workflows.ReloadProgress{}}
}

func refuse(code, format string, args ...any) error {
	return temporal.NewApplicationErrorWithOptions(fmt.Sprintf(format, args...), code, temporal.ApplicationErrorOptions{NonRetryable: true})
}

func (e *fakeEngine) Open(ctx context.Context, in workflows.CaseInput) (workflows.StatusResult, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.failOpen > 0 {
		e.failOpen--
		return workflows.StatusResult{}, fmt.Errorf("open: %w", api.ErrEngineUnavailable)
	}
	if c, ok := e.cases[in.Case.Number]; ok {
		return workflows.StatusResult{Case: *c}, nil // USE_EXISTING
	}
	c := in.Case
	c.Stage = article23.StageReceived
	c.Clocks = []article23.Clock{e.clock(article23.ClockDecision, article23.CountFromReceipt, c.ReceivedOn, c.Policy.DecisionWorkdays)}
	e.cases[c.Number] = &c
	err := e.emit(ctx, &c, article23.EventReceived, c.SubmittedBy, article23.EventData{Date: c.ReceivedOn, Due: c.Clocks[0].Due},
		article23.AudienceMember, article23.AudienceSecretary)
	return workflows.StatusResult{Case: c}, err
}

func (e *fakeEngine) clock(n article23.ClockName, from article23.CountFrom, start string, workdays int) article23.Clock {
	d, err := calendar.ParseDate(start)
	if err != nil {
		panic(err)
	}
	ex, err := e.cal().Explain(d, workdays)
	if err != nil {
		panic(err)
	}
	return article23.Clock{Name: n, Start: start, Workdays: workdays, Due: ex.Due.String(), DeadlineAt: ex.DeadlineAt.UTC(),
		State: article23.ClockRunning, CountFrom: from, CalendarVersion: ex.Version, Provisional: ex.Provisional, Explanation: ex.Text("zh")}
}

// emit records one event with the case after it in the store, in seq order, and the
// messages it sends (to the outbox, which web's tests drain with notify's dispatcher).
func (e *fakeEngine) emit(ctx context.Context, c *article23.Case, t article23.EventType, a article23.Actor, d article23.EventData, tell ...article23.Audience) error {
	e.seq[c.Number]++
	c.UpdatedAt = e.now().UTC()
	data, _ := json.Marshal(d)
	ev := article23.Event{Seq: e.seq[c.Number], Type: t, Actor: a, At: c.UpdatedAt, Data: data}
	r := article23.Record{Event: ev, Case: *c}
	for _, au := range tell {
		r.Notifications = append(r.Notifications, article23.Notification{Key: fmt.Sprintf("%s/%d/%s", c.Number, ev.Seq, au), Audience: au, Kind: string(t)})
	}
	_, err := e.st.Record(ctx, r)
	return err
}

func (e *fakeEngine) Status(ctx context.Context, number string) (workflows.StatusResult, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	c, ok := e.cases[number]
	if !ok {
		return workflows.StatusResult{}, fmt.Errorf("status %s: %w", number, store.ErrNotFound)
	}
	return workflows.StatusResult{Case: *c}, nil
}

// StartCalendarReload runs the whole reload at once, as the workflow would: every open case
// in the store is signalled, in number order.
func (e *fakeEngine) StartCalendarReload(ctx context.Context, u workflows.CalendarUpdated) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.failLoad > 0 {
		e.failLoad--
		return fmt.Errorf("start reload: %w", api.ErrEngineUnavailable)
	}

	p := workflows.ReloadProgress{Calendar: u.Version}
	for after := ""; ; {
		numbers, err := e.st.OpenCaseNumbers(ctx, after, 100)
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

func (e *fakeEngine) CalendarReload(ctx context.Context, version string) (workflows.ReloadProgress, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	p, ok := e.reloads[version]
	if !ok {
		return p, fmt.Errorf("calendar reload %s: %w", version, store.ErrNotFound)
	}
	return p, nil
}

func (e *fakeEngine) Update(ctx context.Context, number, name string, arg any) (article23.Case, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	id := "" // the update ID is private to api; retried actions are not deduplicated here
	if r, ok := e.updates[id]; ok && id != "" {
		return r, nil
	}
	c, ok := e.cases[number]
	if !ok {
		return article23.Case{}, fmt.Errorf("%s %s: %w", name, number, store.ErrNotFound)
	}
	next := *c
	next.Clocks = append([]article23.Clock(nil), c.Clocks...)
	next.Extensions = append([]article23.Extension(nil), c.Extensions...)
	next.Escalations = append([]article23.Escalation(nil), c.Escalations...)
	t, actor, err := e.apply(&next, name, arg)
	if err != nil {
		return article23.Case{}, err
	}
	data, tell := handsData(arg, c.Secretary)
	*c = next
	e.applied++
	if err := e.emit(ctx, c, t, actor, data, tell...); err != nil {
		return article23.Case{}, err
	}
	if id != "" {
		e.updates[id] = *c
	}
	return *c, nil
}

// apply validates and applies one update to c, returning the event it emits.
func (e *fakeEngine) apply(c *article23.Case, name string, arg any) (article23.EventType, article23.Actor, error) {
	today := calendar.DateOf(e.now()).String()
	switch u := arg.(type) {
	case workflows.Decide:
		t := article23.EventAccepted
		if !u.Accept {
			t = article23.EventNotAccepted
		}
		return t, u.Actor, first(staff(c, u.Actor), undecided(c), stage(c, article23.StageReceived, article23.StageAwaitingSupplement),
			reasons(u), date(u.NoticeServedOn, today, c.ReceivedOn), func() error { e.decide(c, u); return nil }())
	case workflows.RequestSupplement:
		if !c.Policy.AllowSupplement {
			return "", u.Actor, first(staff(c, u.Actor), refuse(workflows.CodeSupplementNotAllowed, "policy allows no supplement"))
		}
		return article23.EventSupplementRequested, u.Actor, first(staff(c, u.Actor), stage(c, article23.StageReceived), set(&c.Stage, article23.StageAwaitingSupplement))
	case workflows.ReceiveSupplement:
		return article23.EventSupplementReceived, u.Actor, first(staff(c, u.Actor), stage(c, article23.StageAwaitingSupplement), date(u.ReceivedOn, today, c.ReceivedOn), set(&c.Stage, article23.StageReceived))
	case workflows.RecordCommittee:
		return article23.EventCommitteeHeld, u.Actor, first(staff(c, u.Actor), stage(c, article23.StageAccepted), date(u.HeldOn, today, since(c)),
			e.meet(c, article23.ClockCommittee, u.HeldOn, article23.StageCommitteeHeld), set(&c.Committee, &article23.Committee{HeldOn: u.HeldOn, MembersPresent: u.MembersPresent, ExpertOpinion: u.ExpertOpinion}))
	case workflows.RecordFeedback:
		return article23.EventFeedbackGiven, u.Actor, first(staff(c, u.Actor), stage(c, article23.StageCommitteeHeld), date(u.GivenOn, today, since(c)), e.meet(c, article23.ClockFeedback, u.GivenOn, article23.StageFeedbackGiven),
			set(&c.Feedback, &article23.Feedback{GivenOn: u.GivenOn, Manner: u.Manner, Summary: u.Summary}))
	case workflows.RequestExtension:
		return article23.EventExtensionRequested, u.Actor, first(staff(c, u.Actor), stage(c, article23.StageAccepted, article23.StageCommitteeHeld), e.extend(c, u))
	case workflows.DecideExtension:
		t := article23.EventExtensionRefused
		if u.Approve {
			t = article23.EventExtensionApproved
		}
		return t, u.Actor, first(supervisor(c, u.Actor), e.decideExtension(c, u))
	case workflows.Withdraw:
		if u.Actor.Role != article23.RoleMember || u.Actor.MemberNo != c.Applicant.MemberNo {
			return "", u.Actor, refuse(workflows.CodeForbidden, "only the applicant")
		}
		return article23.EventWithdrawn, u.Actor, first(stage(c, article23.StageReceived, article23.StageAwaitingSupplement, article23.StageAccepted, article23.StageCommitteeHeld), set(&c.Stage, article23.StageWithdrawn))
	case workflows.Reassign:
		return article23.EventReassigned, u.Actor, first(staff(c, u.Actor), stage(c, article23.ActionReassign.Stages()...), set(&c.Secretary, u.Secretary))
	case workflows.Claim:
		return article23.EventClaimed, u.Actor, first(staff(c, u.Actor), claimer(c, u.Actor), stage(c, article23.ActionReassign.Stages()...),
			unassigned(c), set(&c.Secretary, u.Actor.ID))
	case workflows.RecordAttachments:
		return article23.EventAttachmentsAdded, u.Actor, stage(c, article23.StageReceived, article23.StageAwaitingSupplement,
			article23.StageAccepted, article23.StageCommitteeHeld, article23.StageFeedbackGiven)
	case workflows.Close:
		return article23.EventClosed, u.Actor, first(staff(c, u.Actor), stage(c, article23.StageFeedbackGiven), set(&c.Stage, article23.StageClosed))
	case workflows.AcknowledgeEscalation:
		return article23.EventEscalationAcknowledged, u.Actor, first(supervisor(c, u.Actor), e.acknowledge(c, u))
	}
	return "", article23.Actor{}, fmt.Errorf("fake engine: no update %s", name)
}

// escalate raises an escalation of the decision clock at level, as a breach would.
func (e *fakeEngine) escalate(t *testing.T, number string, level int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	c := e.cases[number]
	c.Escalations = append(c.Escalations, article23.Escalation{ID: len(c.Escalations) + 1, Clock: article23.ClockDecision, Level: level, RaisedAt: e.now().UTC()})
	if err := e.emit(t.Context(), c, article23.EventEscalated, article23.SystemActor, article23.EventData{Clock: article23.ClockDecision, Level: level}); err != nil {
		t.Fatal(err)
	}
}
