package calendar

// Explanation is a Deadline with the days that made it fall where it does.
type Explanation struct {
	Deadline
	Skipped []DayInfo `json:"skipped"` // holidays and weekends in (Start, Due], not counted
	MakeUp  []DayInfo `json:"makeup"`  // make-up working days in (Start, Due], counted
	// Caveats lists the years in (Start, Due] whose schedule is provisional or unverified.
	Caveats []YearStatus `json:"caveats,omitempty"`
}

// Explain computes Due(start, n) and lists the days off it skipped and the make-up days it counted.
func (c *Calendar) Explain(start Date, n int) (Explanation, error) {
	d, err := c.Due(start, n)
	if err != nil {
		return Explanation{}, err
	}
	e := Explanation{Deadline: d}
	i := d.Start.days() - c.day0
	j := d.Due.days() - c.day0
	if i < j {
		for y := d.Start.AddDays(1).Year; y <= d.Due.Year; y++ {
			if st := c.years[y-firstYear]; st.status != StatusOfficial {
				e.Caveats = append(e.Caveats, YearStatus{y, st.status, st.source, st.workdays})
			}
		}
		if c.lateWeekendIn(i, j) && d.Due.Year == c.lateDecember.Year { // past it, the next year's caveat says it
			e.Caveats = append(e.Caveats, YearStatus{Year: c.lateDecember.Year + 1, Status: StatusLateDecember,
				Source: c.lateDecember.String() + "…" + NewDate(c.lateDecember.Year, 12, 31).String()})
		}
	}
	for k := i + 1; k <= j; k++ {
		switch c.kind[k] {
		case dayHoliday, dayWeekend:
			e.Skipped = append(e.Skipped, c.dayInfo(k))
		case dayMakeup:
			e.MakeUp = append(e.MakeUp, c.dayInfo(k))
		}
	}
	return e, nil
}

// YearInfo describes one year of the calendar.
type YearInfo struct {
	Year       int       `json:"year"`
	Status     string    `json:"status"` // StatusOfficial, StatusOfficialUnverified or StatusProvisional
	Source     string    `json:"source"`
	Holidays   []DayInfo `json:"holidays"` // the days off of the year's holidays, weekend days in a block included
	MakeUpDays []DayInfo `json:"makeup_days"`
	Workdays   int       `json:"workdays"` // working days in the year
}

// Year describes year y: its status, days off and make-up days, dated in y (a make-up day
// of late December listed in the next year's notice belongs to the year it falls in).
func (c *Calendar) Year(y int) (YearInfo, error) {
	i, err := c.index(NewDate(y, 1, 1))
	if err != nil {
		return YearInfo{}, err
	}
	st := c.years[y-firstYear]
	info := YearInfo{Year: y, Status: st.status, Source: st.source, Workdays: st.workdays}
	for k := i; k < len(c.kind) && c.first.AddDays(k).Year == y; k++ {
		switch c.kind[k] {
		case dayHoliday:
			info.Holidays = append(info.Holidays, c.dayInfo(k))
		case dayMakeup:
			info.MakeUpDays = append(info.MakeUpDays, c.dayInfo(k))
		}
	}
	return info, nil
}

// YearStatus is the status of one covered year.
type YearStatus struct {
	Year     int    `json:"year"`
	Status   string `json:"status"`
	Source   string `json:"source"`
	Workdays int    `json:"workdays"`
}

// Status lists every covered year with its status and source, in order.
func (c *Calendar) Status() []YearStatus {
	out := make([]YearStatus, 0, len(c.years))
	for k, st := range c.years {
		out = append(out, YearStatus{Year: firstYear + k, Status: st.status, Source: st.source, Workdays: st.workdays})
	}
	return out
}

// ChangedDays lists the dates whose working-day status differs between c and other, for
// finding the open cases whose deadlines a calendar update moved. A date covered by only
// one of the two calendars counts as changed.
func (c *Calendar) ChangedDays(other *Calendar) []Date {
	var out []Date
	lo, hi := min(c.day0, other.day0), max(c.day0+len(c.kind), other.day0+len(other.kind))
	for z := lo; z < hi; z++ {
		a, okA := c.workdayAt(z)
		b, okB := other.workdayAt(z)
		if a != b || okA != okB {
			out = append(out, dateOfDays(z))
		}
	}
	return out
}

func (c *Calendar) workdayAt(z int) (workday, covered bool) {
	i := z - c.day0
	if i < 0 || i >= len(c.kind) {
		return false, false
	}
	return c.kind[i].workday(), true
}
