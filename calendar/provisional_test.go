package calendar

import (
	"fmt"
	"strings"
	"testing"
)

// TestProvisionalRulesAgainstOfficial2025And2026 computes 2025 and 2026 as if unpublished:
// every statutory day off must lie inside an official block of days off of the same festival.
func TestProvisionalRulesAgainstOfficial2025And2026(t *testing.T) {
	c := embeddedCal(t)
	for _, y := range []int{2025, 2026} {
		t.Run(fmt.Sprint(y), func(t *testing.T) {
			es := provisionalEntries(y)
			if len(es) != 13 {
				t.Errorf("%d statutory days, want 13: %v", len(es), es)
			}
			for _, e := range es {
				got, err := c.Day(e.Date)
				if err != nil || got.Kind != KindHoliday || !strings.Contains(got.Name, e.Name) {
					t.Errorf("provisional %s %s, official %+v", e.Date, e.Name, got)
				}
			}
		})
	}
}

// TestLunarDates checks the lunar computation for every year 2008–2027 (Qingming, Dragon
// Boat and Mid-Autumn are holidays since 2008): the 1st–3rd of the first month, Qingming,
// lunar 5/5 and 8/15 are days off in the official data, and each festival's date equals the
// one in the lunar-go holiday table
// (an independent table, not its computation).
func TestLunarDates(t *testing.T) {
	c := embeddedCal(t)
	festival := map[string]Date{}
	for _, row := range readTSV(t, "lunargo-days.tsv") {
		festival[row[0][:4]+row[2]] = date(t, row[3])
	}
	for y := 2008; y <= 2027; y++ {
		t.Run(fmt.Sprint(y), func(t *testing.T) {
			days := map[string]Date{
				"春节": lunarDate(y, 1, 1), "清明节": qingming(y), "端午节": lunarDate(y, 5, 5), "中秋节": lunarDate(y, 8, 15),
			}
			for name, d := range days {
				// The table dates Spring Festival to New Year's Eve in the years the eve was off (2008–2013).
				want, ok := festival[fmt.Sprint(d.Year)+name]
				if ok && want != d && !(name == "春节" && want == d.AddDays(-1)) {
					t.Errorf("%s: computed %s, lunar-go table %s", name, d, want)
				}
				if got, _ := c.Day(d); got.Kind != KindHoliday {
					t.Errorf("%s %s is %s in the official data", name, d, got.Kind)
				}
			}
			for i := 1; i <= 2; i++ {
				if got, _ := c.Day(days["春节"].AddDays(i)); got.Kind != KindHoliday {
					t.Errorf("Spring Festival day %d, %s, is %s", i+1, got.Date, got.Kind)
				}
			}
		})
	}
}

func TestProvisionalYears(t *testing.T) {
	c := embeddedCal(t)
	for y := 2028; y <= lastYear; y++ {
		info, err := c.Year(y)
		if err != nil || info.Status != StatusProvisional || len(info.MakeUpDays) != 0 {
			t.Fatalf("Year(%d) = %s with make-up days %v, %v", y, info.Status, info.MakeUpDays, err)
		}
		offWeekdays := 0
		for _, d := range info.Holidays {
			if !isWeekend(d.Date) {
				offWeekdays++
			}
		}
		if want := countWorkdays(y, nil) - offWeekdays; info.Workdays != want {
			t.Errorf("%d: %d working days, want %d", y, info.Workdays, want)
		}
	}
}
