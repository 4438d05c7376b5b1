package notify

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/store"
)

// The journey of a case submitted online on a Sunday evening with the default settings: it
// is unassigned, so every active BJ secretary finds it in her in-app list at once, while
// pushed channels (here the webhook recorder) wait for 09:00 on Monday; once claimed, the
// reminder before its breach reaches the claimant, and only her, at 09:00 of a working day.
func TestUnassignedCaseReachesEverySecretaryAndTheReminderOnlyItsOwner(t *testing.T) {
	st := openStore(t)
	for _, m := range []store.StaffMember{
		{ID: "li", Institute: "BJ", Role: article23.RoleSecretary, Name: "李秘书"},
		{ID: "ma", Institute: "BJ", Role: article23.RoleSecretary, Name: "马秘书"},
		{ID: "shen", Institute: "SH", Role: article23.RoleSecretary, Name: "沈秘书"},
	} {
		addStaff(t, st, m)
	}
	clock := &testClock{t: at(2026, 11, 29, 20, 0)} // Sunday evening
	f := newCaseFile(t, st, "BJ-2026-0042", clock.Now())
	f.c.Secretary = ""
	f.received(article23.AudienceSecretary)
	push := &recorder{name: "webhook"}
	d := dispatcher(st, clock, embedded(t), InApp{Store: st}, push)
	if _, err := d.RunOnce(t.Context()); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"li", "ma"} {
		if items, _ := st.InboxFor(t.Context(), id); len(items) != 1 || !strings.Contains(items[0].Text, "待认领") {
			t.Fatalf("%s's in-app list on Sunday evening: %+v", id, items)
		}
	}
	if items, _ := st.InboxFor(t.Context(), "shen"); len(items) != 0 {
		t.Fatalf("another institute's secretary was told: %+v", items)
	}
	m := outboxState(t, st, "BJ-2026-0042")["BJ-2026-0042/1/secretary"]
	if m.State != store.OutboxPending || !m.NextAttemptAt.Equal(at(2026, 11, 30, 9, 0)) || len(push.keys()) != 0 {
		t.Fatalf("pushed channels must wait for Monday 09:00: %+v, pushed %v", m, push.keys())
	}
	clock.Set(at(2026, 11, 30, 9, 0))
	if _, err := d.RunOnce(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got := sorted(push.keys()); !slices.Equal(got, []string{"BJ-2026-0042/1/secretary/li", "BJ-2026-0042/1/secretary/ma"}) {
		t.Fatalf("pushed at 09:00: %v", got)
	}
	if items, _ := st.InboxFor(t.Context(), "li"); len(items) != 1 {
		t.Fatalf("in-app shown twice: %+v", items)
	}

	f.record(article23.EventClaimed, article23.EventData{Secretary: "ma"}, false, func(c *article23.Case) { c.Secretary = "ma" })
	clock.Set(at(2026, 12, 11, 9, 0))
	f.when = clock.Now()
	seq := f.record(article23.EventReminder, article23.EventData{Clock: article23.ClockDecision, Due: "2026-12-18", Step: 5}, false, nil, article23.AudienceSecretary)
	if _, err := d.RunOnce(t.Context()); err != nil {
		t.Fatal(err)
	}
	key := "BJ-2026-0042/" + strconv.FormatInt(seq, 10) + "/secretary"
	var to []string
	for _, k := range push.keys() {
		if len(k) > len(key) && k[:len(key)] == key {
			to = append(to, k[len(key)+1:])
		}
	}
	if !slices.Equal(to, []string{"ma"}) {
		t.Fatalf("the reminder reached %v, want only ma", to)
	}
	if items, _ := st.InboxFor(t.Context(), "li"); len(items) != 1 {
		t.Fatalf("li, who does not own the case, got the reminder: %+v", items)
	}
}

func TestTargetPolicy(t *testing.T) {
	open := TargetPolicy{}
	allow := TargetPolicy{Allow: []string{"hooks.internal", "10.8.0.0/16", "127.0.0.1"}}
	for _, tt := range []struct {
		p      TargetPolicy
		url    string
		refuse bool
	}{
		{open, "https://hooks.example.com/weiquan", false},
		{open, "http://hooks.example.com/weiquan", true},
		{open, "ftp://hooks.example.com/", true},
		{open, "https://user:pw@hooks.example.com/", true},
		{open, "https://localhost/x", true},
		{open, "https://127.0.0.1/x", true},
		{open, "https://[::1]/x", true},
		{open, "https://10.8.1.2/x", true},
		{open, "https://192.168.1.1/x", true},
		{open, "https://169.254.169.254/latest/meta-data", true},
		{open, "https://100.64.0.1/x", true},
		{open, "https://[fd00::1]/x", true},
		{open, "https://[::ffff:127.0.0.1]/x", true},
		{open, "https://0.0.0.0/x", true},
		{allow, "http://hooks.internal/x", false},
		{allow, "https://10.8.1.2/x", false},
		{allow, "http://127.0.0.1:9000/x", false},
		{allow, "https://10.9.1.2/x", true},
	} {
		err := tt.p.CheckURL(tt.url)
		if (err != nil) != tt.refuse || (err != nil && !errors.Is(err, ErrTargetRefused)) {
			t.Errorf("%s with %v: %v", tt.url, tt.p.Allow, err)
		}
	}
}

// The delivery's dialer checks the address it connects to, whatever the URL said.
func TestTargetPolicyClientRefusesLoopback(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	defer srv.Close()
	if _, err := (TargetPolicy{}).Client(DefaultTimeout).Get(srv.URL); !errors.Is(err, ErrTargetRefused) {
		t.Fatalf("loopback reached without being allowed: %v", err)
	}
	res, err := (TargetPolicy{Allow: []string{"127.0.0.1"}}).Client(DefaultTimeout).Get(srv.URL)
	if err != nil {
		t.Fatalf("allowed loopback refused: %v", err)
	}
	_ = res.Body.Close()
}
