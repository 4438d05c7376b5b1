package calendar

import (
	"testing"
)

func TestExplain(t *testing.T) {
	c := embeddedCal(t)
	e, err := c.Explain(NewDate(2026, 11, 27), 60)
	if err != nil {
		t.Fatal(err)
	}
	if e.Due != NewDate(2027, 2, 26) || len(e.MakeUp) != 2 || e.MakeUp[0].Date != NewDate(2027, 1, 31) {
		t.Errorf("Explain = %+v", e)
	}
	holidays, weekends := 0, 0
	for _, d := range e.Skipped {
		if d.Workday || d.Date.Before(e.Start) || d.Date.After(e.Due) {
			t.Errorf("skipped %+v", d)
		}
		if d.Kind == KindHoliday {
			holidays++
		} else {
			weekends++
		}
	}
	// Jan 1–3 and Feb 5–13 (12 days, weekends within included) plus 19 other weekend days.
	if holidays != 12 || weekends != 19 || len(e.Caveats) != 1 || e.Caveats[0].Year != 2027 {
		t.Errorf("holidays %d, weekends %d, caveats %+v", holidays, weekends, e.Caveats)
	}
}

func TestExplanationText(t *testing.T) {
	c := embeddedCal(t)
	tests := []struct {
		start string
		n     int
		lang  string
		want  string
	}{
		{"2026-11-27", 60, "zh", "60 个工作日（2026年11月27日当日不计），截至 2027年2月26日（含当日）24:00（北京时间）；不含 2027年1月1–3日元旦、" +
			"2月5–13日春节及周末 19 天；含 2027年1月31日、2月14日调休上班。注意：2027 年放假安排尚未与国务院通知核对。"},
		{"2026-11-27", 60, "en", "60 working days (2026-11-27 itself not counted), due 2027-02-26 24:00 (UTC+8); " +
			"excluding Jan 1–3 2027 New Year's Day, Feb 5–13 Spring Festival and 19 weekend days; " +
			"including make-up working days Jan 31 2027, Feb 14. Note: the 2027 schedule is not yet verified against the State Council notice."},
		{"2026-11-27", 15, "", "15 个工作日（2026年11月27日当日不计），截至 2026年12月18日（含当日）24:00（北京时间）；不含周末 6 天。"},
		{"2025-09-26", 5, "en", "5 working days (2025-09-26 itself not counted), due 2025-10-10 24:00 (UTC+8); " +
			"excluding Oct 1–8 National Day & Mid-Autumn Festival and 1 weekend day; including make-up working days Sep 28."},
		{"2027-12-01", 30, "zh", "30 个工作日（2027年12月1日当日不计），截至 2028年1月12日（含当日）24:00（北京时间）；不含 2028年1月1日元旦及周末 11 天。" +
			"注意：2027 年放假安排尚未与国务院通知核对。暂定：2028 年放假安排尚未公布，按现行法定节假日推算，截止日可能变动。"},
		{"2020-01-22", 3, "zh", "3 个工作日（2020年1月22日当日不计），截至 2020年2月4日（含当日）24:00（北京时间）；不含 1月24日–2月2日春节。"},
	}
	for _, tt := range tests {
		t.Run(tt.start+" "+tt.lang, func(t *testing.T) {
			e, err := c.Explain(date(t, tt.start), tt.n)
			if err != nil {
				t.Fatal(err)
			}
			if got := e.Text(tt.lang); got != tt.want {
				t.Errorf("Text(%q) =\n%s\nwant\n%s", tt.lang, got, tt.want)
			}
		})
	}
}
