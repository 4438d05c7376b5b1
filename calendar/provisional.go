package calendar

import (
	"time"

	lunar "github.com/6tail/lunar-go/calendar"
)

// provisionalSource explains where a provisional year's days come from.
const provisionalSource = "provisional: statutory holidays in force since 2025 (全国年节及纪念日放假办法, 13 days), " +
	"lunar dates and Qingming from github.com/6tail/lunar-go; weekends off, no make-up days, no substitute days"

// provisionalRules names the rule set; it is part of the calendar version.
const provisionalRules = "rules-2025"

// provisionalEntries computes the statutory days off of year y under the rules in force
// since 2025. Unlike a State Council notice it adds no bridge days and no make-up days,
// and a holiday falling on a weekend is not moved to a weekday: the notice decides that
// each year, and guessing would invent working days that may never exist.
func provisionalEntries(y int) []entry {
	newYear := lunarDate(y, 1, 1)
	var es []entry
	add := func(name string, d Date, n int) {
		for i := 0; i < n; i++ {
			es = append(es, entry{Date: d.AddDays(i), Off: true, Name: name})
		}
	}
	add("元旦", NewDate(y, time.January, 1), 1)
	add("春节", newYear.AddDays(-1), 4) // New Year's Eve and the 1st–3rd of the first month
	add("清明节", qingming(y), 1)
	add("劳动节", NewDate(y, time.May, 1), 2)
	add("端午节", lunarDate(y, 5, 5), 1)
	add("国庆节", NewDate(y, time.October, 1), 3)
	add("中秋节", lunarDate(y, 8, 15), 1)
	return mergeSameDay(es)
}

// lunarDate returns the solar date of day d of (non-leap) month m of lunar year y.
func lunarDate(y, m, d int) Date {
	s := lunar.NewLunarFromYmd(y, m, d).GetSolar()
	return Date{s.GetYear(), time.Month(s.GetMonth()), s.GetDay()}
}

// qingming returns the day of the Qingming solar term in year y (Beijing time), from the
// solar-term table of lunar year y, which runs from the previous December to the next March.
func qingming(y int) Date {
	s := lunar.NewLunarFromYmd(y, 1, 1).GetJieQiTable()["清明"]
	return Date{s.GetYear(), time.Month(s.GetMonth()), s.GetDay()}
}

// mergeSameDay sorts es and joins the names of holidays that fall on the same day
// (Mid-Autumn can fall within National Day); the day is still off only once.
func mergeSameDay(es []entry) []entry {
	sortEntries(es)
	out := es[:0]
	for _, e := range es {
		if n := len(out); n > 0 && out[n-1].Date == e.Date {
			out[n-1].Name += "、" + e.Name
			continue
		}
		out = append(out, e)
	}
	return out
}
