package api

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/calendar"
	"github.com/cicpa/weiquan/store"
)

// handleDeadlinesICS serves the case's deadlines as an RFC 5545 calendar for the caller's
// own calendar application: every clock an event in the last hour of its due date, ending at
// 24:00 Asia/Shanghai when the period ends (with the zone's VTIMEZONE, so a reader elsewhere
// sees the same instant in its own time), past ones marked with their outcome, running ones
// with an alarm at each of the policy's reminders.
func (s *Server) handleDeadlinesICS(c echo.Context) error {
	v, err := s.visibleCase(c, permView)
	if err != nil {
		return err
	}
	return serveICS(c, v.Case.Number, deadlinesICS(v, s.calendar(), s.deps.Now()))
}

// clockOutcomes mark a deadline that no longer runs.
var clockOutcomes = map[article23.ClockState]string{
	article23.ClockMet:       "（已完成）",
	article23.ClockBreached:  "（已超期）",
	article23.ClockCancelled: "（已取消）",
}

// icsWriter writes folded content lines.
type icsWriter struct{ b strings.Builder }

func (w *icsWriter) line(s string) { w.b.WriteString(foldICS(s)) }

// deadlinesICS renders every clock of the case in v; stamp is the DTSTAMP.
func deadlinesICS(v store.CaseView, cal *calendar.Calendar, stamp time.Time) string {
	return calendarICS("维权 "+v.Case.Number, []store.CaseView{v}, cal, stamp)
}

// calendarICS renders every clock of the cases in vs as one calendar named name. A case
// always has its decision clock, and a case with no clock is still stated in one event; a
// calendar of no case states that in one event, so the VCALENDAR always holds a component
// (RFC 5545 §3.6).
func calendarICS(name string, vs []store.CaseView, cal *calendar.Calendar, stamp time.Time) string {
	w := &icsWriter{}
	w.line("BEGIN:VCALENDAR")
	w.line("VERSION:2.0")
	w.line("PRODID:-//CICPA//weiquan//ZH")
	w.line("CALSCALE:GREGORIAN")
	w.line("METHOD:PUBLISH")
	w.line("X-WR-CALNAME:" + escapeICS(name))
	w.line("X-WR-TIMEZONE:Asia/Shanghai")
	shanghaiZone(w)
	for _, v := range vs {
		caseEvents(w, v, cal, stamp)
	}
	if len(vs) == 0 {
		emptyEvent(w, stamp)
	}
	w.line("END:VCALENDAR")
	return w.b.String()
}

// caseEvents writes the events of the case in v.
func caseEvents(w *icsWriter, v store.CaseView, cal *calendar.Calendar, stamp time.Time) {
	c := v.Case
	for _, k := range c.Clocks {
		if due, err := calendar.ParseDate(k.Due); err == nil {
			clockEvent(w, c, k, due, moves(v.Events, k.Name), cal, stamp)
		}
	}
	if len(c.Clocks) == 0 {
		caseEvent(w, c, stamp)
	}
}

// emptyEvent says, on the day of stamp, that the calendar holds no case now.
func emptyEvent(w *icsWriter, stamp time.Time) {
	w.line("BEGIN:VEVENT")
	w.line("UID:no-case-" + dateICS(calendar.DateOf(stamp)) + "@weiquan.cicpa.org.cn")
	w.line("DTSTAMP:" + stamp.UTC().Format("20060102T150405Z"))
	w.line("DTSTART;VALUE=DATE:" + dateICS(calendar.DateOf(stamp)))
	w.line("SUMMARY:" + escapeICS("暂无办理中的维权案件"))
	w.line("TRANSP:TRANSPARENT")
	w.line("END:VEVENT")
}

// clockEvent is one deadline; seq is how often it moved (SEQUENCE: a calendar replaces the
// event it imported before).
func clockEvent(w *icsWriter, c article23.Case, k article23.Clock, due calendar.Date, seq int, cal *calendar.Calendar, stamp time.Time) {
	w.line("BEGIN:VEVENT")
	w.line("UID:" + c.Number + "-" + string(k.Name) + "@weiquan.cicpa.org.cn")
	w.line("DTSTAMP:" + stamp.UTC().Format("20060102T150405Z"))
	w.line("DTSTART;TZID=" + zoneID + ":" + dateICS(due) + "T230000")
	w.line("DTEND;TZID=" + zoneID + ":" + dateICS(due.AddDays(1)) + "T000000")
	w.line(fmt.Sprintf("SEQUENCE:%d", seq))
	w.line("SUMMARY:" + escapeICS(fmt.Sprintf("%s %s（%d 个工作日）%s", c.Number, k.Name.DeadlineLabel(), k.Workdays, clockOutcomes[k.State])))
	w.line("DESCRIPTION:" + escapeICS(fmt.Sprintf("截至 %s（含当日）24:00（北京时间，%s）。%s",
		k.Due, k.DeadlineAt.UTC().Format("2006-01-02 15:04 UTC"), k.Explanation)))
	if k.State == article23.ClockCancelled {
		w.line("STATUS:CANCELLED")
	}
	w.line("TRANSP:TRANSPARENT")
	if k.State == article23.ClockRunning && k.Name != article23.ClockCap { // the cap bounds extensions; nobody works to it
		for _, n := range c.Policy.ReminderWorkdays {
			alarm(w, c, k, due, n, cal)
		}
	}
	w.line("END:VEVENT")
}

// alarm reminds at the policy's working hours on the n-th working day before due, as the
// workflow's own reminder does; an absolute UTC trigger, since working days are not a
// duration a calendar application can count.
func alarm(w *icsWriter, c article23.Case, k article23.Clock, due calendar.Date, n int, cal *calendar.Calendar) {
	if cal == nil {
		return
	}
	b, err := cal.Before(due, n)
	if err != nil {
		return
	}
	hh, mm := 9, 0
	_, _ = fmt.Sscanf(c.Policy.WorkingHoursStart, "%d:%d", &hh, &mm)
	at := b.Due.Start().Add(time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute)
	w.line("BEGIN:VALARM")
	w.line("ACTION:DISPLAY")
	w.line("TRIGGER;VALUE=DATE-TIME:" + at.UTC().Format("20060102T150405Z"))
	w.line("DESCRIPTION:" + escapeICS(fmt.Sprintf("%s %s还剩 %d 个工作日（截至 %s）", c.Number, k.Name.DeadlineLabel(), n, k.Due)))
	w.line("END:VALARM")
}

// zoneID names the time zone of the deadlines' local times.
const zoneID = "Asia/Shanghai"

// shanghaiZone writes the VTIMEZONE of Asia/Shanghai (RFC 5545 §3.6.5): UTC+8 all year, no
// daylight saving since 1991, so one STANDARD observance from before any case states it.
func shanghaiZone(w *icsWriter) {
	w.line("BEGIN:VTIMEZONE")
	w.line("TZID:" + zoneID)
	w.line("BEGIN:STANDARD")
	w.line("DTSTART:19910915T000000")
	w.line("TZOFFSETFROM:+0800")
	w.line("TZOFFSETTO:+0800")
	w.line("TZNAME:CST")
	w.line("END:STANDARD")
	w.line("END:VTIMEZONE")
}

// caseEvent states the case on its receipt day when it has no clock to show.
func caseEvent(w *icsWriter, c article23.Case, stamp time.Time) {
	day, err := calendar.ParseDate(c.ReceivedOn)
	if err != nil {
		day = calendar.DateOf(stamp)
	}
	w.line("BEGIN:VEVENT")
	w.line("UID:" + c.Number + "-case@weiquan.cicpa.org.cn")
	w.line("DTSTAMP:" + stamp.UTC().Format("20060102T150405Z"))
	w.line("DTSTART;VALUE=DATE:" + dateICS(day))
	w.line("SUMMARY:" + escapeICS(c.Number+" 收到维权服务申请（暂无进行中的期限）"))
	w.line("TRANSP:TRANSPARENT")
	w.line("END:VEVENT")
}

// moves counts how often clock n's due date moved in the log.
func moves(events []article23.Event, n article23.ClockName) int {
	seq := 0
	for _, e := range events {
		var d article23.EventData
		if e.Type == article23.EventClockMoved && json.Unmarshal(e.Data, &d) == nil && d.Clock == n {
			seq++
		}
	}
	return seq
}

func dateICS(d calendar.Date) string { return d.Start().Format("20060102") }

// escapeICS escapes a TEXT value (RFC 5545 §3.3.11).
func escapeICS(s string) string {
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`).Replace(s)
}

// foldICS ends a content line with CRLF, folding it at 75 octets without splitting a
// UTF-8 character (RFC 5545 §3.1).
func foldICS(s string) string {
	var b strings.Builder
	n := 0
	for _, r := range s {
		w := len(string(r))
		if n+w > 75 {
			b.WriteString("\r\n ")
			n = 1
		}
		b.WriteRune(r)
		n += w
	}
	b.WriteString("\r\n")
	return b.String()
}
