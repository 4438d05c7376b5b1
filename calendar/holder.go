package calendar

import (
	"fmt"
	"sync"
	"sync/atomic"
)

// Holder is the calendar source of a running process (the API, the worker, the notification
// dispatcher): it hands out the calendar in force and lets the operator's reload swap it
// atomically, without locking readers. With a directory it can also reload the embedded data
// plus that directory, so a worker catches up with a year file the API process wrote there
// (the directory is shared between them).
type Holder struct {
	p       atomic.Pointer[Calendar]
	dir     string
	mu      sync.Mutex   // serialises reloads
	base    *Calendar    // the embedded data, built on the first reload (0.4 s) and reused
	reloads atomic.Int64 // directory reads
}

// NewHolder returns a holder serving c.
func NewHolder(c *Calendar) *Holder {
	h := &Holder{}
	h.p.Store(c)
	return h
}

// NewReloadingHolder returns a holder serving c that Refresh reloads from dir.
func NewReloadingHolder(c *Calendar, dir string) *Holder {
	h := NewHolder(c)
	h.dir = dir
	return h
}

// Reloads is how many times the holder has read its directory.
func (h *Holder) Reloads() int64 { return h.reloads.Load() }

// Current returns the calendar in force.
func (h *Holder) Current() *Calendar { return h.p.Load() }

// Swap puts c in force and returns the calendar it replaces.
func (h *Holder) Swap(c *Calendar) *Calendar { return h.p.Swap(c) }

// Refresh reloads the embedded calendar plus the holder's directory and puts it in force. A
// directory that does not load leaves the calendar in force unchanged.
func (h *Holder) Refresh() error {
	if h.dir == "" {
		return nil
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.reload()
}

// RefreshFor reloads unless version is already in force: after a calendar reload every open
// case asks for the new version at once, and only the first of them reads the directory.
func (h *Holder) RefreshFor(version string) error {
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
func (h *Holder) reload() error {
	h.reloads.Add(1)
	if h.base == nil {
		base, err := Embedded()
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
