package web

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/calendar"
)

// eventDetail says what an entry of the timeline changed: which clock and its date, what was
// asked, the reasons, the files. "" when the entry's name says it all.
func (c *Console) eventDetail(e article23.Event, lang string) string {
	var d article23.EventData
	_ = json.Unmarshal(e.Data, &d) // written by the workflow from the same struct
	t := func(key string, args ...any) string { return c.cat.t(lang, key, args...) }
	date := func(s string) string { return localDate(lang, s) }
	clock := t("clock." + string(d.Clock))
	switch e.Type {
	case article23.EventClockStarted:
		return t("detail.clock_started", clock, d.Workdays, date(d.Due))
	case article23.EventClockMet:
		return t("detail.clock_met", clock, date(d.Date), d.Workdays, date(d.Due))
	case article23.EventClockMoved:
		return t("detail.clock_moved", clock, date(d.OldDue), date(d.NewDue))
	case article23.EventClockBreached:
		return t("detail.clock_breached", clock, date(d.Due))
	case article23.EventReminder:
		return t("detail.reminder", clock, d.Step, date(d.Due))
	case article23.EventEscalated:
		return t("detail.escalated", clock, d.Level)
	}
	return c.actDetail(e.Type, d, lang)
}

// actDetail is the detail of a person's act.
func (c *Console) actDetail(typ article23.EventType, d article23.EventData, lang string) string {
	t := func(key string, args ...any) string { return c.cat.t(lang, key, args...) }
	date := func(s string) string { return localDate(lang, s) }
	switch typ {
	case article23.EventReceived, article23.EventAccepted, article23.EventCommitteeHeld,
		article23.EventFeedbackGiven, article23.EventSupplementReceived:
		if d.Date != "" {
			return t("detail.on", date(d.Date))
		}
	case article23.EventNotAccepted:
		return t("detail.reasons", d.Reason)
	case article23.EventSupplementRequested:
		return t("detail.supplement", d.Note)
	case article23.EventExtensionRequested:
		return t("detail.extension_requested", d.Reason)
	case article23.EventExtensionApproved:
		return t("detail.extension_approved", date(d.OldDue), date(d.NewDue))
	case article23.EventExtensionRefused:
		return d.Note
	case article23.EventWithdrawn:
		if d.Reason != "" {
			return t("detail.reasons", d.Reason)
		}
	case article23.EventAttachmentsAdded:
		return c.filesDetail(d.Attachments, lang)
	case article23.EventCalendarUpdated:
		return t("detail.calendar", d.Version)
	}
	return ""
}

// filesDetail names the files an upload added, with their sizes.
func (c *Console) filesDetail(files []article23.AttachmentNote, lang string) string {
	names := make([]string, len(files))
	for i, f := range files {
		names[i] = c.cat.t(lang, "detail.file", f.Name, fileSize(f.Size))
	}
	return strings.Join(names, c.cat.t(lang, "calendar.list_sep"))
}

// fileSize is a size people read: bytes below 1 KB, then KB and MB with one decimal.
func fileSize(n int64) string {
	switch {
	case n < 1024:
		return fmt.Sprintf("%d B", n)
	case n < 1024*1024:
		return fmt.Sprintf("%.1f KB", float64(n)/1024)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/(1024*1024))
}

// localDate writes a YYYY-MM-DD date for the page's language: 2026年12月25日 in Chinese.
func localDate(lang, s string) string {
	if lang != "zh" {
		return s
	}
	d, err := calendar.ParseDate(s)
	if err != nil {
		return s
	}
	return d.Chinese()
}
