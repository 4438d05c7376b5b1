package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/calendar"
	"github.com/cicpa/weiquan/devserver"
	"github.com/cicpa/weiquan/internal/testenv"
	"github.com/cicpa/weiquan/notify"
	"github.com/cicpa/weiquan/store"
	"github.com/cicpa/weiquan/store/storetest"
)

// TestTwoOfEverythingOnPostgres runs the production topology on one machine: a Temporal
// server persisted in PostgreSQL (its databases made as its temporal-sql-tool makes them, 4
// history shards), `weiquan migrate`, and two `weiquan api` and two `weiquan worker`
// processes on one PostgreSQL database. A retrying load goes through both APIs in turn while
// the first API and the first worker are each killed with SIGKILL twice, at random points,
// and restarted. A third of the cases are paper materials received months ago, so their
// decision deadline breaches and both escalation levels fire at once, on whichever worker
// holds the case, with webhooks to the institute's and CICPA's supervisors; the even cases
// are accepted, paper ones too (crashLoad.decides).
//
// Then: every request has exactly one case, store and workflows agree (checkConverged);
// every breach and every escalation level fired exactly once; every urgent notification was
// delivered, each webhook delivery received once unless its message was claimed again after
// a killed worker's lease ran out; and the compliance figures, read through the rollup both
// workers compact every 10 s, equal the clocks counted one by one.
func TestTwoOfEverythingOnPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a Temporal server, two APIs and two workers, and kills them")
	}
	pg := storetest.PostgresURL()
	if pg == "" {
		t.Skip("needs PostgreSQL for Temporal and the store: set WEIQUAN_TEST_DATABASE_URL (the PostgreSQL suite of .ci/run does)")
	}
	requireLetterFonts(t)
	const cases, clients, kills = 30, 6, 4
	rng := seededRand(t)
	dir := t.TempDir()
	temporalDB := temporalDatabase(t, pg)
	hooks := newWebhookSink(t)
	sys := startTopology(t, dir, crashDatabase(t, dir), topology{apis: 2, workers: 2, temporal: temporalDB,
		// the shortest lease: a killed worker's claimed messages go out again 30 s later
		env: map[string]string{"WEIQUAN_WEBHOOK_ALLOW": "127.0.0.1", "WEIQUAN_OUTBOX_LEASE": "30s"}})
	st, err := store.Open(t.Context(), sys.cfg.DatabaseURL)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, code := range []string{"BJ", "CICPA"} {
		hooks.subscribe(t, st, code)
	}

	victims := []string{"api", "api", "worker", "worker"} // the first of each, twice
	rng.Shuffle(len(victims), func(i, j int) { victims[i], victims[j] = victims[j], victims[i] })
	load := newCrashLoad(sys.cfg.SigningKey, cases, sys.apis...)
	load.paperOn = testenv.PastWorkday(t, 90)
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	done := make(chan struct{})
	began := time.Now()
	go func() { defer close(done); load.run(ctx, clients) }()
	load.killDuring(ctx, rng, kills, func(k int) {
		name, answered := victims[k], load.answered()
		if err := sys.procs[name].cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		<-sys.procs[name].exited
		down := time.Duration(rng.IntN(2000)) * time.Millisecond
		time.Sleep(down)
		restarted := time.Now()
		sys.procs[name] = sys.start[name]()
		t.Logf("kill %d: %s after %d of %d requests answered; restarted %s later, ready in %s", k+1, name, answered, load.total(),
			down, sys.procs[name].waitReady(t, restarted).Round(time.Millisecond))
	})
	<-done
	load.check(t, ctx.Err())
	t.Logf("every request answered after %s, through %d APIs", time.Since(began).Round(time.Millisecond), len(sys.apis))
	sys.converge(t, load)
	t.Logf("converged %s after the load began", time.Since(began).Round(time.Millisecond))

	alarmsFiredOnce(t, st, load)
	hooks.deliveredOnce(t, st, load)
	complianceMatchesClocks(t, st, load)
}

// temporalDatabase names the Temporal server's databases on the server of url (made by
// devserver, dropped when the test ends).
func temporalDatabase(t *testing.T, url string) *devserver.Postgres {
	t.Helper()
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	p := &devserver.Postgres{URL: url, Database: "wq_temporal_" + hex.EncodeToString(b), HistoryShards: 4}
	t.Cleanup(func() { // the server has stopped: its cleanup was registered later
		if err := devserver.DropPostgres(*p); err != nil {
			t.Logf("drop the Temporal databases: %v", err)
		}
	})
	t.Logf("Temporal: PostgreSQL databases %s and %s_visibility, %d history shards", p.Database, p.Database, p.HistoryShards)
	return p
}

// alarmsFiredOnce checks every paper case's log: the decision deadline breached once, and
// escalated once at level 1 and once at level 2; a paper case accepted in the same workflow
// task as its alarms came due may have met its clock before they fired, so for the accepted
// ones each alarm fired at most once.
func alarmsFiredOnce(t *testing.T, st *store.Store, load *crashLoad) {
	t.Helper()
	paper := 0
	for i, n := range load.numbers {
		if !load.paper(i) {
			continue
		}
		paper++
		v, err := st.Case(t.Context(), n)
		if err != nil {
			t.Fatal(err)
		}
		fired := map[string]int{}
		for _, e := range v.Events {
			var d article23.EventData
			if len(e.Data) > 0 {
				if err := json.Unmarshal(e.Data, &d); err != nil {
					t.Fatalf("case %s event %d: %v", n, e.Seq, err)
				}
			}
			switch e.Type {
			case article23.EventClockBreached, article23.EventReminder:
				fired[fmt.Sprintf("%s %s", e.Type, d.Clock)]++
			case article23.EventEscalated:
				fired[fmt.Sprintf("%s %s level %d", e.Type, d.Clock, d.Level)]++
			}
		}
		want := map[string]int{"clock_breached decision": 1, "escalated decision level 1": 1, "escalated decision level 2": 1}
		if load.decides(i) {
			for k, times := range fired {
				if times > 1 || want[k] == 0 {
					t.Errorf("case %s (paper, accepted): %s fired %d times, want at most once of %v", n, k, times, want)
				}
			}
			continue
		}
		if fmt.Sprint(fired) != fmt.Sprint(want) {
			t.Errorf("case %s (paper, received %s): alarms fired %v, want %v", n, load.paperOn, fired, want)
		}
	}
	t.Logf("%d paper cases: each breached once and escalated once at each level", paper)
}

// complianceMatchesClocks compares the compliance report (whole months: read from the rollup
// the workers compacted) with the load's clocks counted one by one.
func complianceMatchesClocks(t *testing.T, st *store.Store, load *crashLoad) {
	t.Helper()
	type tally struct{ onTime, late, open int64 }
	want := map[article23.ClockName]*tally{}
	for _, n := range load.numbers {
		v, err := st.Case(t.Context(), n)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range v.Case.Clocks {
			if c.Name == article23.ClockCap { // bounds extensions; the report does not count it
				continue
			}
			if want[c.Name] == nil {
				want[c.Name] = &tally{}
			}
			switch c.State {
			case article23.ClockMet:
				want[c.Name].onTime++
			case article23.ClockBreached:
				want[c.Name].late++
			case article23.ClockRunning:
				want[c.Name].open++
			}
		}
	}
	today := calendar.DateOf(time.Now())
	from, to := today.AddDays(-400).String()[:8]+"01", today.AddDays(400).String()[:8]+"01"
	last, err := calendar.ParseDate(to)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := st.Compliance(t.Context(), from, last.AddDays(-1).String(), []string{"BJ"})
	if err != nil {
		t.Fatal(err)
	}
	got := map[article23.ClockName]*tally{}
	for _, r := range rows {
		got[r.Clock] = &tally{r.OnTime, r.Late, r.Open}
	}
	clocks := 0
	for name, w := range want {
		if g := got[name]; g == nil || *g != *w {
			t.Errorf("compliance of the %s clock: %+v, the clocks say %+v", name, g, *w)
		}
		clocks += int(w.onTime + w.late + w.open)
	}
	if len(got) != len(want) {
		t.Errorf("compliance reports clocks %v, the cases have %v", got, want)
	}
	t.Logf("compliance from the rollup equals the %d clocks of the cases", clocks)
}

// webhookSink receives the webhooks of the institutes' supervisors and secretaries, counting
// each delivery key.
type webhookSink struct {
	url string
	mu  sync.Mutex
	got map[string]int                // X-Weiquan-Delivery → deliveries received
	seq map[string]map[int64][]string // case number → event seq → delivery keys
}

func newWebhookSink(t *testing.T) *webhookSink {
	t.Helper()
	s := &webhookSink{got: map[string]int{}, seq: map[string]map[int64][]string{}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body notify.WebhookBody
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body.Delivery != r.Header.Get(notify.HeaderDelivery) {
			http.Error(w, "bad body", http.StatusBadRequest)
			return
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.got[body.Delivery]++; s.got[body.Delivery] == 1 {
			if s.seq[body.CaseNumber] == nil {
				s.seq[body.CaseNumber] = map[int64][]string{}
			}
			s.seq[body.CaseNumber][body.Seq] = append(s.seq[body.CaseNumber][body.Seq], body.Delivery)
		}
	}))
	t.Cleanup(srv.Close)
	s.url = srv.URL + "/hook"
	return s
}

// subscribe points the secretaries' and the supervisors' webhooks of institute code at s.
func (s *webhookSink) subscribe(t *testing.T, st *store.Store, code string) {
	t.Helper()
	cur, err := st.Settings(t.Context(), code)
	if err != nil {
		t.Fatal(err)
	}
	hook := []store.Webhook{{URL: s.url + "/" + code, Secret: "s3cret-" + code}}
	cur.Contacts.Secretary.Webhooks, cur.Contacts.Supervisors.Webhooks = hook, hook
	if _, err := st.SaveSettings(t.Context(), cur, "admin@CICPA"); err != nil {
		t.Fatal(err)
	}
}

// deliveredOnce waits until every urgent message of the load's cases is delivered (the
// breaches and escalations; the others wait for working hours), then checks each reached the
// webhook sink, and no delivery key twice unless its message was claimed more than once.
func (s *webhookSink) deliveredOnce(t *testing.T, st *store.Store, load *crashLoad) {
	t.Helper()
	var urgent []store.OutboxMessage
	testenv.WaitFor(t, 200*time.Millisecond, func() bool {
		urgent = urgent[:0]
		for _, n := range load.numbers {
			msgs, err := st.Outbox(t.Context(), n)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range msgs {
				if !m.Urgent {
					continue
				}
				if m.State != store.OutboxDelivered {
					return false
				}
				urgent = append(urgent, m)
			}
		}
		return true
	}, "urgent notifications not all delivered")
	// The sink's deliveries first, then every message's claims: a delivery follows the claim
	// that made it, so the claims read after it count every claim it saw. Any message counts,
	// urgent or not: a receipt delivered in working hours by a worker killed before it marked
	// the delivery is claimed again when the lease lapses, and received twice.
	s.mu.Lock()
	defer s.mu.Unlock()
	again := map[string]bool{} // "case/seq" of messages claimed more than once
	for _, n := range load.numbers {
		msgs, err := st.Outbox(t.Context(), n)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range msgs {
			if m.Attempts > 1 {
				again[fmt.Sprintf("%s/%d", m.CaseNumber, m.EventSeq)] = true
			}
		}
	}
	for _, m := range urgent {
		if len(s.seq[m.CaseNumber][m.EventSeq]) == 0 {
			t.Errorf("message %s (%s, case %s event %d) delivered, but no webhook received", m.Key, m.Audience, m.CaseNumber, m.EventSeq)
		}
	}
	twice := 0
	for n, bySeq := range s.seq {
		for seq, keys := range bySeq {
			for _, k := range keys {
				if s.got[k] > 1 {
					twice++
					if !again[fmt.Sprintf("%s/%d", n, seq)] {
						t.Errorf("webhook delivery %s received %d times, its message claimed once", k, s.got[k])
					}
				}
			}
		}
	}
	if len(urgent) == 0 {
		t.Fatal("no urgent notification: the paper cases breached nothing")
	}
	t.Logf("%d urgent messages delivered; %d webhook deliveries, %d received twice after a killed worker's claim lapsed",
		len(urgent), len(s.got), twice)
}
