package notify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/calendar"
	"github.com/cicpa/weiquan/store"
)

// Defaults of a Dispatcher's zero fields.
const (
	DefaultTimeout     = 30 * time.Second
	DefaultMaxAttempts = 8
	DefaultBackoff     = time.Minute
	MaxBackoff         = 6 * time.Hour
	DefaultBatch       = 20
	DefaultWorkers     = 4
	DefaultPoll        = 2 * time.Second
)

// Dispatcher drains the outbox: it claims due messages, resolves their recipients, delivers
// them on every channel that can reach each recipient and records the outcome. Non-urgent
// messages wait for working hours. Zero fields take the defaults above.
type Dispatcher struct {
	Store       *store.Store
	Channels    []Channel
	Recipients  RecipientSource
	Clock       func() time.Time // time.Now when nil
	Calendar    CalendarSource   // working days for non-urgent messages; Monday–Friday when nil
	Letters     *Letters         // issues the letter a member's message carries; none when nil
	Logger      *slog.Logger
	Timeout     time.Duration // per delivery (one recipient on one channel)
	MaxAttempts int           // a message failing this many times is dead
	Backoff     time.Duration // delay after the first failure, doubling to MaxBackoff
	Batch       int           // messages claimed at a time
	Workers     int           // messages handled at once
	Poll        time.Duration // Run's wait when the outbox is empty
	// Lease hides a claimed message from other dispatchers until it is settled or the lease
	// ends (store.DefaultClaimLease when 0); it must outlast the slowest delivery.
	Lease time.Duration
}

// Run delivers until ctx ends, then returns nil; store errors are logged and retried.
func (d *Dispatcher) Run(ctx context.Context) error {
	for {
		n, err := d.RunOnce(ctx)
		if err != nil && ctx.Err() == nil {
			d.logger().Error("notify: dispatch", "err", err)
		}
		if n > 0 && err == nil {
			continue
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(d.or(d.Poll, DefaultPoll)):
		}
	}
}

// RunOnce claims one batch of due messages and handles them; n is how many it claimed.
func (d *Dispatcher) RunOnce(ctx context.Context) (n int, err error) {
	msgs, err := d.Store.ClaimDue(ctx, d.now(), d.orInt(d.Batch, DefaultBatch), d.Lease)
	if err != nil {
		return 0, fmt.Errorf("notify: %w", err)
	}
	errs := make([]error, len(msgs))
	sem := make(chan struct{}, d.orInt(d.Workers, DefaultWorkers))
	var wg sync.WaitGroup
	for i, m := range msgs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			errs[i] = d.handle(ctx, m)
		}()
	}
	wg.Wait()
	return len(msgs), errors.Join(errs...)
}

// handle delivers one claimed message and records the outcome. A non-urgent message outside
// the institute's working hours reaches the in-app inbox at once and waits for working hours
// on the pushed channels (e-mail, webhooks). Only a failure to record is returned: delivery
// failures go to the outbox row.
func (d *Dispatcher) handle(ctx context.Context, m store.OutboxMessage) error {
	now := d.now()
	var p store.OutboxPayload
	if err := json.Unmarshal(m.Payload, &p); err != nil {
		return d.fail(ctx, m, fmt.Errorf("payload: %w", err), true)
	}
	view, err := d.Store.Case(ctx, m.CaseNumber)
	if err != nil {
		return d.fail(ctx, m, err, false)
	}
	msg := compose(m, p, view)
	doc, err := d.attachLetter(ctx, &msg, p, view)
	if err != nil {
		return d.fail(ctx, m, err, false)
	}
	c := view.Case
	c.Institute, c.Secretary, c.Applicant = p.Case.Institute, p.Case.Secretary, p.Case.Applicant // as at the event
	recipients, err := d.Recipients.Recipients(ctx, m.Audience, c)
	if err != nil {
		return d.fail(ctx, m, err, false)
	}
	if len(recipients) == 0 {
		return d.fail(ctx, m, fmt.Errorf("no recipients: nobody of %s is known for the %s of %s", p.Case.Institute, m.Audience, m.CaseNumber), true)
	}
	if !m.Urgent {
		if at := NextWorkingTime(now, view.Case.Policy, d.calendar()); at.After(now) {
			reached, err := d.deliverAll(ctx, msg, recipients, now, inAppOnly)
			d.markServed(ctx, doc, reached, now)
			if err != nil {
				d.logger().Warn("notify: in-app delivery before working hours", "key", m.Key, "err", err)
			}
			d.logger().Debug("notify: pushed channels deferred to working hours", "key", m.Key, "until", at)
			return d.record(ctx, "defer", func(ctx context.Context) error { return d.Store.Defer(ctx, m.ID, at) })
		}
	}
	reached, err := d.deliverAll(ctx, msg, recipients, now, everyChannel)
	if err == nil && len(reached) == 0 {
		return d.fail(ctx, m, fmt.Errorf("no channel reaches the %s of %s (e-mail not configured?)", m.Audience, m.CaseNumber), true)
	}
	d.markServed(ctx, doc, reached, now)
	if err != nil {
		return d.fail(ctx, m, err, false)
	}
	return d.record(ctx, "mark delivered", func(ctx context.Context) error { return d.Store.MarkDelivered(ctx, m.ID, d.now()) })
}

// markServed records the letter a message carries as served once the member was reached.
func (d *Dispatcher) markServed(ctx context.Context, doc *store.Document, reached map[article23.Role]bool, now time.Time) {
	if doc == nil || !reached[article23.RoleMember] {
		return
	}
	_ = d.record(ctx, "mark served", func(ctx context.Context) error {
		return d.Store.MarkDocumentServed(ctx, doc.CaseNumber, doc.ID, calendar.DateOf(now).String())
	})
}

func inAppOnly(ch Channel) bool    { return ch.Name() == InApp{}.Name() }
func everyChannel(ch Channel) bool { return true }

// attachLetter issues the letter a member's message about a decision, an extension or
// feedback carries, and attaches it.
func (d *Dispatcher) attachLetter(ctx context.Context, msg *Message, p store.OutboxPayload, view store.CaseView) (*store.Document, error) {
	if _, ok := letterFor(p.Notification.Audience, p.Event.Type); !ok || d.Letters == nil {
		return nil, nil
	}
	doc, err := d.Letters.issue(ctx, view, p.Event.Seq)
	if err != nil {
		return nil, err
	}
	if msg.Letter, err = d.Letters.attachment(ctx, doc); err != nil {
		return nil, err
	}
	return &doc, nil
}

// fail records a failed attempt: retried after a growing backoff, or dead when permanent or
// out of attempts, keeping the error for the operator.
func (d *Dispatcher) fail(ctx context.Context, m store.OutboxMessage, cause error, permanent bool) error {
	dead := permanent || m.Attempts >= d.orInt(d.MaxAttempts, DefaultMaxAttempts)
	next := d.now().Add(d.backoff(m.Attempts))
	level := slog.LevelWarn
	if dead {
		level = slog.LevelError
	}
	d.logger().Log(ctx, level, "notify: delivery failed", "key", m.Key, "attempt", m.Attempts, "dead", dead, "err", cause)
	return d.record(ctx, "mark failed", func(ctx context.Context) error { return d.Store.MarkFailed(ctx, m.ID, cause, next, dead) })
}

// backoff is the wait after the given attempt: Backoff, doubling, at most MaxBackoff.
func (d *Dispatcher) backoff(attempt int) time.Duration {
	wait := d.or(d.Backoff, DefaultBackoff)
	for i := 1; i < attempt && wait < MaxBackoff; i++ {
		wait *= 2
	}
	return min(wait, MaxBackoff)
}

// record writes bookkeeping even when ctx was cancelled (shutdown), so delivered work is not
// delivered again; the write has its own short deadline.
func (d *Dispatcher) record(ctx context.Context, op string, write func(context.Context) error) error {
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := write(wctx); err != nil {
		return fmt.Errorf("notify: %s: %w", op, err)
	}
	return nil
}

func (d *Dispatcher) now() time.Time {
	if d.Clock != nil {
		return d.Clock()
	}
	return time.Now()
}

func (d *Dispatcher) calendar() *calendar.Calendar {
	if d.Calendar == nil {
		return nil
	}
	return d.Calendar.Current()
}

func (d *Dispatcher) logger() *slog.Logger {
	if d.Logger != nil {
		return d.Logger
	}
	return slog.Default()
}

func (d *Dispatcher) or(v, def time.Duration) time.Duration {
	if v > 0 {
		return v
	}
	return def
}

func (d *Dispatcher) orInt(v, def int) int {
	if v > 0 {
		return v
	}
	return def
}
