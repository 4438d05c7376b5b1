package activities

import (
	"sync/atomic"

	"github.com/cicpa/weiquan/calendar"
)

// CalendarHolder is the CalendarSource of a running process: it hands out the calendar in
// force and lets the operator's reload swap it atomically, without locking readers.
type CalendarHolder struct {
	p atomic.Pointer[calendar.Calendar]
}

// NewCalendarHolder returns a holder serving c.
func NewCalendarHolder(c *calendar.Calendar) *CalendarHolder {
	h := &CalendarHolder{}
	h.p.Store(c)
	return h
}

// Current returns the calendar in force.
func (h *CalendarHolder) Current() *calendar.Calendar { return h.p.Load() }

// Swap puts c in force and returns the calendar it replaces.
func (h *CalendarHolder) Swap(c *calendar.Calendar) *calendar.Calendar { return h.p.Swap(c) }
