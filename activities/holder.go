package activities

import (
	"fmt"
	"sync"
	"sync/atomic"

	"go.temporal.io/sdk/temporal"

	"github.com/cicpa/weiquan/calendar"
)

// ErrTypeCalendarVersion is the retryable failure of a worker that cannot load the calendar
// version a reload asked for (its year file has not reached this worker's directory yet).
const ErrTypeCalendarVersion = "calendar_version_unavailable"

// CalendarHolder is the CalendarSource of a running process: it hands out the calendar in
// force and lets the operator's reload swap it atomically, without locking readers. With a
// Dir it can also reload the embedded data plus that directory, so a worker catches up with
// a year file the API process wrote there (the directory is shared between them).
type CalendarHolder struct {
	p       atomic.Pointer[calendar.Calendar]
	dir     string
	mu      sync.Mutex         // serialises reloads
	base    *calendar.Calendar // the embedded data, built on the first reload (0.4 s) and reused
	reloads atomic.Int64       // directory reads, for tests
}

// NewCalendarHolder returns a holder serving c.
func NewCalendarHolder(c *calendar.Calendar) *CalendarHolder {
	h := &CalendarHolder{}
	h.p.Store(c)
	return h
}

// NewReloadingHolder returns a holder serving c that Refresh reloads from dir.
func NewReloadingHolder(c *calendar.Calendar, dir string) *CalendarHolder {
	h := NewCalendarHolder(c)
	h.dir = dir
	return h
}

// Current returns the calendar in force.
func (h *CalendarHolder) Current() *calendar.Calendar { return h.p.Load() }

// Swap puts c in force and returns the calendar it replaces.
func (h *CalendarHolder) Swap(c *calendar.Calendar) *calendar.Calendar { return h.p.Swap(c) }

// Refresh reloads the embedded calendar plus the holder's directory and puts it in force. A
// directory that does not load leaves the calendar in force unchanged.
func (h *CalendarHolder) Refresh() error {
	if h.dir == "" {
		return nil
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.reload()
}

// RefreshFor reloads unless version is already in force: after a calendar reload every open
// case asks for the new version at once, and only the first of them reads the directory.
func (h *CalendarHolder) RefreshFor(version string) error {
	if h.dir == "" {
		return nil
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.Current().Version() == version {
		return nil // a concurrent call loaded it while this one waited for the lock
	}
	return h.reload()
}

// reload does Refresh's work; h.mu is held.
func (h *CalendarHolder) reload() error {
	h.reloads.Add(1)
	if h.base == nil {
		base, err := calendar.Embedded()
		if err != nil {
			return err
		}
		h.base = base
	}
	next, err := h.base.WithDir(h.dir)
	if err != nil {
		return fmt.Errorf("reload calendar from %s: %w", h.dir, err)
	}
	h.p.Store(next)
	return nil
}

// refresher is a CalendarSource that can reload (CalendarHolder with a directory).
type refresher interface{ RefreshFor(version string) error }

// calendarAt returns the calendar in force, first reloading it when version is named and
// differs. A worker that still lacks version after reloading fails retryably: the year file
// may not have reached its directory yet.
func (a *Activities) calendarAt(version string) (*calendar.Calendar, error) {
	cal := a.Calendar.Current()
	if version == "" || cal.Version() == version {
		return cal, nil
	}
	if r, ok := a.Calendar.(refresher); ok {
		if err := r.RefreshFor(version); err != nil {
			return nil, err
		}
		cal = a.Calendar.Current()
	}
	if cal.Version() != version {
		return nil, temporal.NewApplicationError(
			fmt.Sprintf("this worker has calendar %s, the reload asked for %s", cal.Version(), version), ErrTypeCalendarVersion)
	}
	return cal, nil
}
