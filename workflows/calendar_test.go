package workflows

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/calendar"
)

// withExtraDayOff is the embedded calendar with date declared a day off in its year file,
// as a corrected State Council notice would.
func withExtraDayOff(t *testing.T, base *calendar.Calendar, year, date string) *calendar.Calendar {
	raw, err := os.ReadFile("../calendar/data/" + year + ".json")
	require.NoError(t, err)
	var f map[string]any
	require.NoError(t, json.Unmarshal(raw, &f))
	off := true
	f["days"] = append(f["days"].([]any), map[string]any{"name": "国庆节", "date": date, "isOffDay": off})
	raw, err = json.Marshal(f)
	require.NoError(t, err)
	cal, err := base.WithYearFile(raw)
	require.NoError(t, err)
	return cal
}

// TestCalendarUpdateMovesDeadline: a reload that makes 2026-12-14 a day off moves the
// decision due date from 2026-12-18 to 2026-12-21 and re-arms the reminder and breach timers.
func TestCalendarUpdateMovesDeadline(t *testing.T) {
	h := newHarness(t, sh("2026-11-27", 20, 0))
	updated := withExtraDayOff(t, h.cal.Current(), "2026", "2026-12-14")
	h.at(sh("2026-12-01", 10, 0), func() {
		h.cal.cal.Store(updated)
		h.env.SignalWorkflow(CalendarUpdatedSignal, CalendarUpdated{Version: updated.Version()})
	})
	h.at(sh("2026-12-02", 10, 0), func() {
		h.env.SignalWorkflow(CalendarUpdatedSignal, CalendarUpdated{Version: updated.Version()}) // a repeat changes nothing
	})
	mid := h.statusAt(sh("2026-12-02", 11, 0))
	h.update(sh("2027-01-05", 10, 0), WithdrawUpdate, Withdraw{Actor: member})
	final := h.run(newCase("2026-11-27"))

	dc, _ := mid.Case.Clock(article23.ClockDecision)
	require.Equal(t, "2026-12-21", dc.Due)
	require.Equal(t, updated.Version(), dc.CalendarVersion)
	evs := h.events(final.Number)
	moved := ofType(evs, article23.EventClockMoved)
	require.Len(t, moved, 1)
	var d article23.EventData
	require.NoError(t, jsonUnmarshal(moved[0].Data, &d))
	require.Equal(t, "2026-12-18", d.OldDue)
	require.Equal(t, "2026-12-21", d.NewDue)
	require.Equal(t, ReasonCalendarUpdated, d.Reason)
	require.Len(t, ofType(evs, article23.EventCalendarUpdated), 1)
	dl := h.due("2026-11-27", 15)
	require.Equal(t, "2026-12-21", dl.Due.String())
	h.expectLadder(evs, article23.ClockDecision, dl)
}
