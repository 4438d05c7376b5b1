package notify

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/calendar"
	"github.com/cicpa/weiquan/store"
)

var shanghai = calendar.Shanghai()

// at is a Shanghai wall-clock instant.
func at(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, shanghai)
}

func openStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(t.Context(), "sqlite://"+filepath.Join(t.TempDir(), "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	if err := st.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	return st
}

type fixedCalendar struct{ c *calendar.Calendar }

func (f fixedCalendar) Current() *calendar.Calendar { return f.c }

func embedded(t testing.TB) fixedCalendar {
	t.Helper()
	c, err := calendar.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	return fixedCalendar{c}
}

// testClock is a settable clock.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) Set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.t = t }

// caseFile records events of one case the way the workflow does: notification keys are
// "<number>/<seq>/<audience>" and the case snapshot travels with every event.
type caseFile struct {
	t    *testing.T
	st   *store.Store
	c    article23.Case
	seq  int64
	when time.Time
}

func newCaseFile(t *testing.T, st *store.Store, number string, when time.Time) *caseFile {
	c := article23.Case{
		Number: number, Institute: "BJ",
		Applicant:    article23.Applicant{MemberNo: "110000000001", Name: "王会计师", Kind: article23.MemberPractising},
		Counterparty: "北京某会计师事务所", Category: "labour", Summary: "前事务所拖欠三个月工资", Claims: "支付工资",
		ReceivedOn: "2026-11-27", Channel: article23.ChannelOnline, Stage: article23.StageReceived, Secretary: "li",
		Policy:      article23.DefaultPolicy(),
		SubmittedBy: article23.Actor{ID: "member@BJ/110000000001", Role: article23.RoleMember, MemberNo: "110000000001"},
		Clocks: []article23.Clock{{Name: article23.ClockDecision, Start: "2026-11-27", Workdays: 15, Due: "2026-12-18",
			State: article23.ClockRunning, CalendarVersion: "test", Explanation: "15 个工作日（2026-11-27 当日不计）"}},
	}
	return &caseFile{t: t, st: st, c: c, when: when}
}

// record appends an event of type typ with data, after change alters the case, telling the
// given audiences (urgent or not).
func (f *caseFile) record(typ article23.EventType, data article23.EventData, urgent bool, change func(*article23.Case), to ...article23.Audience) int64 {
	f.t.Helper()
	f.seq++
	if change != nil {
		change(&f.c)
	}
	f.c.UpdatedAt = f.when
	raw, _ := json.Marshal(data)
	r := article23.Record{Event: article23.Event{Seq: f.seq, Type: typ, Actor: article23.SystemActor, At: f.when, Data: raw}, Case: f.c}
	for _, a := range to {
		r.Notifications = append(r.Notifications, article23.Notification{Key: fmt.Sprintf("%s/%d/%s", f.c.Number, f.seq, a),
			Audience: a, Kind: string(typ), Urgent: urgent})
	}
	if _, err := f.st.Record(context.Background(), r); err != nil {
		f.t.Fatalf("record %s: %v", typ, err)
	}
	return f.seq
}

func (f *caseFile) received(to ...article23.Audience) int64 {
	return f.record(article23.EventReceived, article23.EventData{Date: "2026-11-27", Due: "2026-12-18"}, false, nil, to...)
}

// recorder is a Channel that records deliveries and fails for recipients in failFor.
type recorder struct {
	name    string
	mu      sync.Mutex
	got     []Delivery
	failFor map[string]error
}

func (r *recorder) Name() string           { return r.name }
func (r *recorder) Accepts(Recipient) bool { return true }
func (r *recorder) Deliver(_ context.Context, d Delivery) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.failFor[d.Recipient.ID]; err != nil {
		return err
	}
	r.got = append(r.got, d)
	return nil
}

func (r *recorder) keys() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, d := range r.got {
		out = append(out, d.Key)
	}
	return out
}

func dispatcher(st *store.Store, clock *testClock, cal CalendarSource, chs ...Channel) *Dispatcher {
	return &Dispatcher{Store: st, Channels: chs, Recipients: StoreRecipients{Store: st}, Clock: clock.Now, Calendar: cal,
		Timeout: 5 * time.Second, Backoff: time.Minute, MaxAttempts: 3, Logger: slog.New(slog.DiscardHandler)}
}

func outboxState(t *testing.T, st *store.Store, number string) map[string]store.OutboxMessage {
	t.Helper()
	all, err := st.Outbox(t.Context(), number)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]store.OutboxMessage{}
	for _, m := range all {
		out[m.Key] = m
	}
	return out
}

// net0 listens on a port that accepts connections and never answers.
type net0 struct{}

func (net0) listen(t *testing.T) (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	t.Cleanup(func() { _ = l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			t.Cleanup(func() { _ = c.Close() })
		}
	}()
	return l.Addr().String(), nil
}

func contextWithTimeout(t *testing.T, d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(t.Context(), d)
}

func storeMember(no, user, email string) store.MemberContact {
	return store.MemberContact{MemberNo: no, UserID: user, Email: email}
}
