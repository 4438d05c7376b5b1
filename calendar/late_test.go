package calendar

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A deadline whose window holds a weekend day from 20 December of the last published year is
// provisional until the next year's schedule is loaded: that notice can still make such a day
// a working day (the 2019 notice made Saturday 2018-12-29 one).
func TestLateDecemberIsProvisional(t *testing.T) {
	c := embeddedCal(t)
	from, to, ok := c.UncertainWindow()
	if !ok || from.String() != "2027-12-20" || to.String() != "2027-12-31" {
		t.Fatalf("window %s…%s %v", from, to, ok)
	}
	before, err := c.Explain(date(t, "2027-12-08"), 8) // Dec 9-10, 13-17, 20: weekends 11-12 and 18-19 only
	if err != nil {
		t.Fatal(err)
	}
	if before.Provisional || before.Due.String() != "2027-12-20" || strings.Contains(before.Text("zh"), "12 月 20 日以后") {
		t.Fatalf("a window ending before the weekends after the 20th: %+v", before.Deadline)
	}
	late, err := c.Explain(date(t, "2027-12-15"), 10) // through Dec 29: holds Dec 25-26
	if err != nil {
		t.Fatal(err)
	}
	if !late.Provisional || late.Due.String() != "2027-12-29" {
		t.Fatalf("a window over Dec 25-26 2027: %+v", late.Deadline)
	}
	for _, want := range []string{"暂定：期限内含 2027年12月20日以后的周末，2028 年放假安排公布时可能调为上班日"} {
		if !strings.Contains(late.Text("zh"), want) {
			t.Errorf("zh explanation lacks %q: %s", want, late.Text("zh"))
		}
	}
	if !strings.Contains(late.Text("en"), "after 20 December 2027") {
		t.Errorf("en explanation: %s", late.Text("en"))
	}
	// the 2028 schedule is published: the window moves to December 2028
	next := mustYearFile(t, c, filepath.Join("testdata", "update2028", "2028.json"))
	if from, _, _ := next.UncertainWindow(); from.String() != "2028-12-20" {
		t.Fatalf("after 2028 is loaded the window is at %s", from)
	}
	again, err := next.Due(date(t, "2027-12-15"), 10)
	if err != nil || again.Provisional {
		t.Fatalf("with 2028 published, Dec 2027 is settled: %+v %v", again, err)
	}
}

// Loading the 2027 notice makes 2027 official: its dates stop being "not verified".
func TestNoticeClearsUnverified(t *testing.T) {
	c := embeddedCal(t)
	if st := c.years[2027-firstYear].status; st != StatusOfficialUnverified {
		t.Fatalf("2027 ships as %s", st)
	}
	raw, err := os.ReadFile(filepath.Join("data", "2027.json"))
	if err != nil {
		t.Fatal(err)
	}
	yf, err := parseYearFile(raw)
	if err != nil {
		t.Fatal(err)
	}
	n, err := ReadNotice(renderNotice(yf, 2027), 2027)
	if err != nil {
		t.Fatal(err)
	}
	next, err := c.WithYearFile(n.YearFile())
	if err != nil {
		t.Fatal(err)
	}
	if st := next.years[2027-firstYear].status; st != StatusOfficial {
		t.Fatalf("after the notice 2027 is %s", st)
	}
	e, err := next.Explain(date(t, "2027-03-01"), 30)
	if err != nil || e.Unverified || len(e.Caveats) != 0 {
		t.Fatalf("a 2027 deadline after the notice: %+v %v", e, err)
	}
	if changed := c.ChangedDays(next); len(changed) != 0 {
		t.Fatalf("the notice written from the shipped 2027 data changes %v", changed)
	}
}
