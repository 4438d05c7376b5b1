package notify

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/config"
	"github.com/cicpa/weiquan/store"
)

// The outbox is written with the event, before any dispatcher exists (a crash between the
// write and the delivery); a dispatcher started later delivers each message once, and
// another run sends nothing again.
func TestOutboxSurvivesACrashBeforeDelivery(t *testing.T) {
	st := openStore(t)
	clock := &testClock{t: at(2026, 11, 27, 10, 0)}
	f := newCaseFile(t, st, "BJ-2026-0042", clock.Now())
	f.received(article23.AudienceMember, article23.AudienceSecretary)

	rec := &recorder{name: "webhook"}
	d := dispatcher(st, clock, embedded(t), InApp{Store: st}, rec)
	n, err := d.RunOnce(t.Context())
	if err != nil || n != 2 {
		t.Fatalf("first run: %d, %v", n, err)
	}
	want := []string{"BJ-2026-0042/1/member/member@BJ/110000000001", "BJ-2026-0042/1/secretary/li"}
	if got := rec.keys(); !slices.Equal(sorted(got), want) {
		t.Fatalf("delivered %v, want %v", got, want)
	}
	for key, m := range outboxState(t, st, "BJ-2026-0042") {
		if m.State != store.OutboxDelivered {
			t.Errorf("%s: %s (%s)", key, m.State, m.LastError)
		}
	}
	clock.Set(clock.Now().Add(24 * time.Hour))
	d2 := dispatcher(st, clock, embedded(t), InApp{Store: st}, rec)
	if n, err := d2.RunOnce(t.Context()); n != 0 || err != nil || len(rec.keys()) != 2 {
		t.Fatalf("second run re-sent: %d %v %v", n, err, rec.keys())
	}
	items, _ := st.InboxFor(t.Context(), "li")
	if len(items) != 1 || !strings.Contains(items[0].Text, "BJ-2026-0042") || !strings.Contains(items[0].Text, "2026年12月18日（含当日）") {
		t.Fatalf("secretary's inbox %+v", items)
	}
}

// A message reaching A but not B is retried for B only: A's receipt holds.
func TestRetryReachesOnlyThoseNotReached(t *testing.T) {
	st := openStore(t)
	for _, id := range []string{"zhang", "zhao"} {
		addStaff(t, st, store.StaffMember{ID: id, Institute: "BJ", Role: article23.RoleSupervisor, Name: id})
	}
	clock := &testClock{t: at(2026, 12, 21, 15, 0)}
	f := newCaseFile(t, st, "BJ-2026-0042", clock.Now())
	f.received()
	f.record(article23.EventExtensionRequested, article23.EventData{NewDue: "2027-05-06", Reason: "法院尚未开庭"}, false, nil, article23.AudienceSupervisors)
	rec := &recorder{name: "webhook", failFor: map[string]error{"zhao": errors.New("connection reset")}}
	d := dispatcher(st, clock, embedded(t), rec)
	if _, err := d.RunOnce(t.Context()); err != nil {
		t.Fatal(err)
	}
	m := outboxState(t, st, "BJ-2026-0042")["BJ-2026-0042/2/supervisors"]
	if m.State != store.OutboxPending || !strings.Contains(m.LastError, "zhao") || !m.NextAttemptAt.Equal(clock.Now().Add(time.Minute)) {
		t.Fatalf("after a partial failure: %+v", m)
	}
	delete(rec.failFor, "zhao")
	clock.Set(clock.Now().Add(time.Minute))
	if _, err := d.RunOnce(t.Context()); err != nil {
		t.Fatal(err)
	}
	want := []string{"BJ-2026-0042/2/supervisors/zhang", "BJ-2026-0042/2/supervisors/zhao"}
	if got := rec.keys(); !slices.Equal(got, want) {
		t.Fatalf("deliveries %v, want %v", got, want)
	}
	if m := outboxState(t, st, "BJ-2026-0042")["BJ-2026-0042/2/supervisors"]; m.State != store.OutboxDelivered {
		t.Fatalf("after the retry: %+v", m)
	}
}

// A reminder falling at night or on a holiday waits for the next working-hours start without
// counting an attempt; a breach goes out at once.
func TestRemindersWaitForWorkingHours(t *testing.T) {
	for _, tt := range []struct {
		name     string
		when     time.Time
		deferred time.Time
	}{
		{"23:00 before National Day", at(2026, 9, 30, 23, 0), at(2026, 10, 8, 9, 0)},
		{"on National Day", at(2026, 10, 1, 10, 0), at(2026, 10, 8, 9, 0)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			st := openStore(t)
			clock := &testClock{t: tt.when}
			f := newCaseFile(t, st, "BJ-2026-0042", tt.when)
			f.received()
			f.record(article23.EventReminder, article23.EventData{Clock: article23.ClockDecision, Due: "2026-10-16", Step: 5}, false, nil, article23.AudienceSecretary)
			f.record(article23.EventClockBreached, article23.EventData{Clock: article23.ClockCommittee, Due: "2026-09-30"}, true, nil, article23.AudienceSecretary)
			rec := &recorder{name: "webhook"}
			d := dispatcher(st, clock, embedded(t), rec)
			if _, err := d.RunOnce(t.Context()); err != nil {
				t.Fatal(err)
			}
			if got := rec.keys(); !slices.Equal(got, []string{"BJ-2026-0042/3/secretary/li"}) {
				t.Fatalf("at %v delivered %v, want only the breach", tt.when, got)
			}
			m := outboxState(t, st, "BJ-2026-0042")["BJ-2026-0042/2/secretary"]
			if m.State != store.OutboxPending || m.Attempts != 0 || !m.NextAttemptAt.Equal(tt.deferred) {
				t.Fatalf("reminder: %s attempts %d next %v, want pending, 0, %v", m.State, m.Attempts, m.NextAttemptAt.In(shanghai), tt.deferred)
			}
			clock.Set(tt.deferred.Add(-time.Second))
			if n, _ := d.RunOnce(t.Context()); n != 0 {
				t.Fatalf("claimed before %v", tt.deferred)
			}
			clock.Set(tt.deferred)
			if _, err := d.RunOnce(t.Context()); err != nil || len(rec.keys()) != 2 {
				t.Fatalf("at %v: %v %v", tt.deferred, rec.keys(), err)
			}
			if !strings.Contains(rec.got[1].Message.Text, "还剩 5 个工作日") {
				t.Fatalf("reminder text %q", rec.got[1].Message.Text)
			}
		})
	}
}

// A relay refusing every message is retried with backoff and then reported dead, while the
// same recipient's webhook and other messages are delivered once.
func TestFailingSMTPIsRetriedThenDead(t *testing.T) {
	st := openStore(t)
	ms := startMailServer(t, false, &smtp.SMTPError{Code: 451, Message: "mailbox temporarily unavailable"})
	var hooks atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hooks.Add(1) }))
	defer srv.Close()
	addStaff(t, st, store.StaffMember{ID: "li", Institute: "BJ", Role: article23.RoleSecretary, Name: "李秘书", Email: "li@bicpa.example"})
	settings, err := st.Settings(t.Context(), "BJ")
	if err != nil {
		t.Fatal(err)
	}
	settings.Contacts.Secretary.Webhooks = []store.Webhook{{URL: srv.URL, Secret: "k"}}
	if _, err := st.SaveSettings(t.Context(), settings, "admin@BJ"); err != nil {
		t.Fatal(err)
	}
	clock := &testClock{t: at(2026, 11, 27, 10, 0)}
	f := newCaseFile(t, st, "BJ-2026-0042", clock.Now())
	f.received(article23.AudienceMember, article23.AudienceSecretary)
	mail := &Email{Addr: ms.Addr, From: "weiquan@bicpa.example", TLS: config.SMTPNoTLS}
	d := dispatcher(st, clock, embedded(t), InApp{Store: st}, Webhook{}, mail)
	for attempt := 1; attempt <= 3; attempt++ {
		if _, err := d.RunOnce(t.Context()); err != nil {
			t.Fatal(err)
		}
		m := outboxState(t, st, "BJ-2026-0042")["BJ-2026-0042/1/secretary"]
		if m.Attempts != attempt || !strings.Contains(m.LastError, "451") {
			t.Fatalf("attempt %d: %+v", attempt, m)
		}
		if attempt < 3 && (m.State != store.OutboxPending || !m.NextAttemptAt.Equal(clock.Now().Add(time.Minute<<(attempt-1)))) {
			t.Fatalf("attempt %d: %s next %v", attempt, m.State, m.NextAttemptAt)
		}
		clock.Set(m.NextAttemptAt)
	}
	state := outboxState(t, st, "BJ-2026-0042")
	if state["BJ-2026-0042/1/secretary"].State != store.OutboxDead || state["BJ-2026-0042/1/member"].State != store.OutboxDelivered {
		t.Fatalf("states: %+v", state)
	}
	if hooks.Load() != 1 || ms.attempts() != 3 {
		t.Fatalf("webhook called %d times, relay tried %d times; want 1 and 3", hooks.Load(), ms.attempts())
	}
	if items, _ := st.InboxFor(t.Context(), "li"); len(items) != 1 {
		t.Fatalf("secretary's inbox: %+v", items)
	}
}

// Supervisors nobody configured are not "everyone": the message is dead with the reason.
func TestNoRecipientsIsReported(t *testing.T) {
	st := openStore(t)
	clock := &testClock{t: at(2026, 12, 21, 10, 0)}
	f := newCaseFile(t, st, "BJ-2026-0042", clock.Now())
	f.received()
	f.record(article23.EventEscalated, article23.EventData{Clock: article23.ClockDecision, Level: 1}, true, nil, article23.AudienceSupervisors)
	if _, err := dispatcher(st, clock, embedded(t), InApp{Store: st}).RunOnce(t.Context()); err != nil {
		t.Fatal(err)
	}
	m := outboxState(t, st, "BJ-2026-0042")["BJ-2026-0042/2/supervisors"]
	if m.State != store.OutboxDead || !strings.Contains(m.LastError, "no recipients") {
		t.Fatalf("%+v", m)
	}
}

func sorted(s []string) []string { s = slices.Clone(s); slices.Sort(s); return s }

func addStaff(t *testing.T, st *store.Store, m store.StaffMember) {
	t.Helper()
	m.Active = true
	if _, err := st.AddStaff(t.Context(), m); err != nil {
		t.Fatal(err)
	}
}
