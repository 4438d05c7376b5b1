package calendar

import (
	"fmt"
	"strconv"
	"strings"
)

// span is a run of consecutive days off of one holiday.
type span struct {
	from, to Date
	name     string
}

// Text renders the explanation for a person: "zh" (the default) or "en". Consecutive days
// off of one holiday are grouped into ranges, weekends are summarized by count, and
// provisional or unverified years are called out.
func (e Explanation) Text(lang string) string {
	spans, weekends := e.spans()
	if lang == "en" {
		return e.textEN(spans, weekends)
	}
	return e.textZH(spans, weekends)
}

func (e Explanation) spans() ([]span, int) {
	var out []span
	weekends := 0
	for _, d := range e.Skipped {
		if d.Kind == KindWeekend {
			weekends++
			continue
		}
		if n := len(out); n > 0 && out[n-1].name == d.Name && out[n-1].to.AddDays(1) == d.Date {
			out[n-1].to = d.Date
			continue
		}
		out = append(out, span{d.Date, d.Date, d.Name})
	}
	return out, weekends
}

func (e Explanation) textZH(spans []span, weekends int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d 个工作日（%s当日不计），%s（北京时间）", e.Workdays, e.Start.Chinese(), e.Due.ChineseDue())
	year := e.Start.Year
	var off []string
	for _, s := range spans {
		off = append(off, zhRange(s.from, s.to, &year)+s.name)
	}
	if weekends > 0 {
		off = append(off, fmt.Sprintf("周末 %d 天", weekends))
	}
	if len(off) > 0 {
		b.WriteString("；不含" + spaced(joinLast(off, "、", "及")))
	}
	if len(e.MakeUp) > 0 {
		year = e.Start.Year
		days := make([]string, len(e.MakeUp))
		for i, d := range e.MakeUp {
			days[i] = zhRange(d.Date, d.Date, &year)
		}
		b.WriteString("；含" + spaced(strings.Join(days, "、")) + "调休上班")
	}
	b.WriteString("。")
	for _, y := range e.Caveats {
		switch y.Status {
		case StatusProvisional:
			fmt.Fprintf(&b, "暂定：%d 年放假安排尚未公布，按现行法定节假日推算，截止日可能变动。", y.Year)
		case StatusLateDecember:
			fmt.Fprintf(&b, "暂定：期限内含 %s以后的周末，%d 年放假安排公布时可能调为上班日（如 2019 年安排将 %s调为上班），截止日可能变动。",
				NewDate(y.Year-1, 12, 20).Chinese(), y.Year, NewDate(2018, 12, 29).Chinese())
		default:
			fmt.Fprintf(&b, "注意：%d 年放假安排尚未与国务院通知核对。", y.Year)
		}
	}
	return b.String()
}

// spaced puts a space before s when it starts with a digit, as Chinese text sets a number
// apart from the characters before it ("不含 2027年1月1日…", but "不含周末 6 天").
func spaced(s string) string {
	if s != "" && s[0] >= '0' && s[0] <= '9' {
		return " " + s
	}
	return s
}

// zhRange formats "1月1–3日", "9月29日–10月6日" or "1月31日", prefixed by the year when it
// differs from *year, the last year mentioned.
func zhRange(from, to Date, year *int) string {
	prefix := ""
	if from.Year != *year {
		prefix = strconv.Itoa(from.Year) + "年"
	}
	*year = to.Year
	switch {
	case from == to:
		return fmt.Sprintf("%s%d月%d日", prefix, from.Month, from.Day)
	case from.Month == to.Month:
		return fmt.Sprintf("%s%d月%d–%d日", prefix, from.Month, from.Day, to.Day)
	}
	return fmt.Sprintf("%s%d月%d日–%d月%d日", prefix, from.Month, from.Day, to.Month, to.Day)
}

func (e Explanation) textEN(spans []span, weekends int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d working days (%s itself not counted), due %s 24:00 (UTC+8)", e.Workdays, e.Start, e.Due)
	year := e.Start.Year
	var off []string
	for _, s := range spans {
		off = append(off, enRange(s.from, s.to, &year)+" "+englishName(s.name))
	}
	if weekends > 0 {
		plural := "s"
		if weekends == 1 {
			plural = ""
		}
		off = append(off, fmt.Sprintf("%d weekend day%s", weekends, plural))
	}
	if len(off) > 0 {
		b.WriteString("; excluding " + joinLast(off, ", ", " and "))
	}
	if len(e.MakeUp) > 0 {
		year = e.Start.Year
		days := make([]string, len(e.MakeUp))
		for i, d := range e.MakeUp {
			days[i] = enRange(d.Date, d.Date, &year)
		}
		b.WriteString("; including make-up working days " + strings.Join(days, ", "))
	}
	b.WriteString(".")
	for _, y := range e.Caveats {
		switch y.Status {
		case StatusProvisional:
			fmt.Fprintf(&b, " Provisional: no holiday schedule published for %d yet; computed from the statutory holidays, the due date may move.", y.Year)
		case StatusLateDecember:
			fmt.Fprintf(&b, " Provisional: the period holds a weekend day after 20 December %d, which the %d schedule may still make a working day (the 2019 schedule did so for 29 December 2018); the due date may move.", y.Year-1, y.Year)
		default:
			fmt.Fprintf(&b, " Note: the %d schedule is not yet verified against the State Council notice.", y.Year)
		}
	}
	return b.String()
}

// enRange formats "Jan 1–3", "Sep 29–Oct 6" or "Jan 31", followed by the year when it
// differs from *year, the last year mentioned.
func enRange(from, to Date, year *int) string {
	suffix := ""
	if from.Year != *year {
		suffix = " " + strconv.Itoa(from.Year)
	}
	*year = to.Year
	mon := func(d Date) string { return d.Month.String()[:3] }
	switch {
	case from == to:
		return fmt.Sprintf("%s %d%s", mon(from), from.Day, suffix)
	case from.Month == to.Month:
		return fmt.Sprintf("%s %d–%d%s", mon(from), from.Day, to.Day, suffix)
	}
	return fmt.Sprintf("%s %d–%s %d%s", mon(from), from.Day, mon(to), to.Day, suffix)
}

// englishName translates the festival names used in the data files; others stay as they are.
func englishName(name string) string {
	parts := strings.Split(name, "、")
	for i, p := range parts {
		parts[i] = englishFestival(p)
	}
	return strings.Join(parts, " & ")
}

func englishFestival(name string) string {
	switch name {
	case "元旦":
		return "New Year's Day"
	case "春节":
		return "Spring Festival"
	case "清明节":
		return "Qingming Festival"
	case "劳动节":
		return "Labour Day"
	case "端午节":
		return "Dragon Boat Festival"
	case "中秋节":
		return "Mid-Autumn Festival"
	case "国庆节":
		return "National Day"
	}
	return name
}

// joinLast joins items with sep, but with last before the final item: "A、B及C".
func joinLast(items []string, sep, last string) string {
	if len(items) == 1 {
		return items[0]
	}
	return strings.Join(items[:len(items)-1], sep) + last + items[len(items)-1]
}
