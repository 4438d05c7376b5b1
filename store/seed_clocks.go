package store

import (
	"time"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/calendar"
)

// endOf is 24:00 Asia/Shanghai of date, the deadline instant of a clock due that day.
func endOf(date string) time.Time {
	d, err := time.ParseInLocation(time.DateOnly, date, calendar.Shanghai())
	if err != nil {
		panic("store: seed date " + date) // only called on dates the seeder formatted
	}
	return d.AddDate(0, 0, 1).UTC()
}

// addWorkdays is the fixture's approximation of the calendar: weekends only, no holidays.
func addWorkdays(date string, n int) string {
	d, _ := time.Parse(time.DateOnly, date)
	for n > 0 {
		d = d.AddDate(0, 0, 1)
		if d.Weekday() != time.Saturday && d.Weekday() != time.Sunday {
			n--
		}
	}
	return d.Format(time.DateOnly)
}

// stageFor draws a stage likely for a case received ageDays ago.
func (g *seeder) stageFor(ageDays float64) article23.Stage {
	type w struct {
		stage  article23.Stage
		weight int
	}
	var table []w
	switch {
	case ageDays < 3:
		return article23.StageReceived
	case ageDays < 25:
		table = []w{{article23.StageReceived, 70}, {article23.StageNotAccepted, 10}, {article23.StageAccepted, 20}}
	case ageDays < 70:
		table = []w{{article23.StageReceived, 5}, {article23.StageAccepted, 50}, {article23.StageCommitteeHeld, 25},
			{article23.StageNotAccepted, 15}, {article23.StageWithdrawn, 5}}
	case ageDays < 130:
		table = []w{{article23.StageCommitteeHeld, 35}, {article23.StageFeedbackGiven, 30}, {article23.StageClosed, 20},
			{article23.StageNotAccepted, 10}, {article23.StageWithdrawn, 5}}
	default:
		table = []w{{article23.StageClosed, 75}, {article23.StageFeedbackGiven, 5}, {article23.StageNotAccepted, 12},
			{article23.StageWithdrawn, 8}}
	}
	n := g.rnd.IntN(100)
	for _, e := range table {
		if n < e.weight {
			return e.stage
		}
		n -= e.weight
	}
	return table[0].stage
}

// clocksFor draws the clocks a case in its stage would have.
func (g *seeder) clocksFor(c article23.Case) []article23.Clock {
	decision := g.clock(article23.ClockDecision, c.ReceivedOn, 15, c.Stage != article23.StageReceived && c.Stage != article23.StageWithdrawn)
	if c.Stage == article23.StageWithdrawn {
		decision.State = article23.ClockCancelled
	}
	clocks := []article23.Clock{decision}
	if c.Stage == article23.StageReceived || c.Stage == article23.StageNotAccepted || c.Stage == article23.StageWithdrawn {
		return clocks
	}
	decided := addWorkdays(c.ReceivedOn, decision.WorkdaysUsed)
	held := c.Stage != article23.StageAccepted
	fed := c.Stage == article23.StageFeedbackGiven || c.Stage == article23.StageClosed
	feedback := g.clock(article23.ClockFeedback, decided, 60, fed)
	capClock := g.clock(article23.ClockCap, decided, 90, false)
	if feedback.State != article23.ClockRunning {
		capClock.State, capClock.BreachedAt, capClock.WorkdaysUsed = article23.ClockCancelled, nil, 0
	}
	return append(clocks, g.clock(article23.ClockCommittee, decided, 30, held), feedback, capClock)
}

// clock draws one clock: met (5% breached) when done, else running, or breached once past due.
func (g *seeder) clock(name article23.ClockName, start string, workdays int, done bool) article23.Clock {
	due := addWorkdays(start, workdays)
	k := article23.Clock{Name: name, Start: start, Workdays: workdays, Due: due, DeadlineAt: endOf(due),
		State: article23.ClockRunning, CountFrom: article23.CountFromDecision, CalendarVersion: "seed", Provisional: false}
	switch {
	case done && g.rnd.IntN(20) == 0:
		k.State, k.WorkdaysUsed = article23.ClockBreached, workdays+1+g.rnd.IntN(5)
		k.BreachedAt = &k.DeadlineAt
	case done:
		k.State, k.WorkdaysUsed = article23.ClockMet, workdays/3+g.rnd.IntN(workdays-workdays/3+1)
		k.MetOn = addWorkdays(start, k.WorkdaysUsed)
	case k.DeadlineAt.Before(g.now):
		k.State, k.WorkdaysUsed = article23.ClockBreached, workdays+1
		k.BreachedAt = &k.DeadlineAt
	}
	return k
}
