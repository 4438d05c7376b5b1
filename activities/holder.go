package activities

import (
	"fmt"

	"go.temporal.io/sdk/temporal"

	"github.com/cicpa/weiquan/calendar"
)

// ErrTypeCalendarVersion is the retryable failure of a worker that cannot load the calendar
// version a reload asked for (its year file has not reached this worker's directory yet).
const ErrTypeCalendarVersion = "calendar_version_unavailable"

// refresher is a CalendarSource that can reload (calendar.Holder with a directory).
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
