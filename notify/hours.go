package notify

import (
	"time"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/calendar"
)

// CalendarSource hands out the working-day calendar in force (calendar.Holder).
type CalendarSource interface {
	Current() *calendar.Calendar
}

// NextWorkingTime is the first instant at or after now inside the working hours of policy p
// (WorkingHoursStart–End, Asia/Shanghai) on a working day of cal. Outside the calendar's
// range, Monday to Friday are taken as working days.
func NextWorkingTime(now time.Time, p article23.Policy, cal *calendar.Calendar) time.Time {
	start, end := clockMinutes(p.WorkingHoursStart, 9*60), clockMinutes(p.WorkingHoursEnd, 18*60)
	day := calendar.DateOf(now)
	for i := 0; i < 400; i++ {
		d := day.AddDays(i)
		if !isWorkday(cal, d) {
			continue
		}
		open := d.Start().Add(time.Duration(start) * time.Minute)
		shut := d.Start().Add(time.Duration(end) * time.Minute)
		if now.Before(open) {
			return open
		}
		if now.Before(shut) {
			return now
		}
	}
	return now // no working day in 400 days: a broken calendar must not silence reminders
}

func isWorkday(cal *calendar.Calendar, d calendar.Date) bool {
	if cal != nil {
		if ok, err := cal.IsWorkday(d); err == nil {
			return ok
		}
	}
	wd := d.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// clockMinutes reads "HH:MM" as minutes after midnight; a malformed value gives def.
func clockMinutes(s string, def int) int {
	t, err := time.Parse("15:04", s)
	if err != nil {
		return def
	}
	return t.Hour()*60 + t.Minute()
}
