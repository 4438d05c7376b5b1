package activities

import (
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/cicpa/weiquan/calendar"
)

// newYear is the embedded calendar, an empty directory, a 2028 year file and the calendar
// that file would make.
func newYear(t *testing.T) (base *calendar.Calendar, dir string, file []byte, want *calendar.Calendar) {
	t.Helper()
	base, err := calendar.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	file = []byte(`{"year":2028,"days":[{"name":"元旦","date":"2028-01-01","isOffDay":true}]}`)
	want, err = base.WithYearFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return base, t.TempDir(), file, want
}

func TestReloadingHolderCatchesUpWithADirectory(t *testing.T) {
	base, dir, file, want := newYear(t)
	h := calendar.NewReloadingHolder(base, dir)
	a := &Activities{Calendar: h}
	req := DeadlineRequest{Start: "2027-12-20", Workdays: 15, CalendarVersion: want.Version()}
	if _, err := a.ComputeDeadline(t.Context(), req); err == nil {
		t.Fatal("a version this worker cannot load must fail (retryably)")
	}
	if err := os.WriteFile(filepath.Join(dir, "2028.json"), file, 0o600); err != nil {
		t.Fatal(err)
	}
	res, err := a.ComputeDeadline(t.Context(), req)
	if err != nil {
		t.Fatal(err)
	}
	if res.CalendarVersion != want.Version() || h.Current().Version() != want.Version() {
		t.Fatalf("computed with %s, want %s", res.CalendarVersion, want.Version())
	}
}

// TestReloadingHolderReadsTheDirectoryOnceForABurst: after a reload every open case asks for
// the new version at once; the directory is read once, not once per case.
func TestReloadingHolderReadsTheDirectoryOnceForABurst(t *testing.T) {
	base, dir, file, want := newYear(t)
	if err := os.WriteFile(filepath.Join(dir, "2028.json"), file, 0o600); err != nil {
		t.Fatal(err)
	}
	h := calendar.NewReloadingHolder(base, dir)
	a := &Activities{Calendar: h}
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			res, err := a.ComputeDeadline(t.Context(), DeadlineRequest{Start: "2027-12-20", Workdays: 15, CalendarVersion: want.Version()})
			if err != nil || res.CalendarVersion != want.Version() {
				t.Errorf("computed with %s, %v; want %s", res.CalendarVersion, err, want.Version())
			}
		})
	}
	wg.Wait()
	if n := h.Reloads(); n != 1 {
		t.Fatalf("the directory was read %d times for one new version, want once", n)
	}
}
