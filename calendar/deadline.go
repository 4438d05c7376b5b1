package calendar

import (
	"fmt"
	"time"
)

// Deadline is the result of counting working days from Start.
type Deadline struct {
	Start       Date      `json:"start"`
	Workdays    int       `json:"workdays"` // negative for Before
	Due         Date      `json:"due"`
	DeadlineAt  time.Time `json:"deadline_at"` // Due.End(): 24:00 of Due, Asia/Shanghai
	Provisional bool      `json:"provisional"` // a day in between lies in a year with no published schedule
	Unverified  bool      `json:"unverified"`  // a day in between lies in an official-unverified year
	Version     string    `json:"calendar_version"`
}

// Count is a number of working days.
type Count struct {
	Workdays    int    `json:"workdays"`
	Overdue     bool   `json:"overdue,omitempty"` // Remaining only: the deadline instant has passed
	Provisional bool   `json:"provisional"`
	Unverified  bool   `json:"unverified"`
	Version     string `json:"calendar_version"`
}

// Due returns the deadline n working days after start. The day of start is not counted
// (Civil Code art. 201): the due date is the n-th working day after start, whatever kind of
// day start is, and the period ends at 24:00 Asia/Shanghai of the due date (DeadlineAt).
// n == 0 returns start itself, even when start is not a working day. n < 0, n > MaxWorkdays
// and dates outside Range are errors. Provisional and Unverified cover the days in (start, due].
// It is O(1) and allocates nothing.
func (c *Calendar) Due(start Date, n int) (Deadline, error) {
	if err := checkWorkdays(n); err != nil {
		return Deadline{}, err
	}
	i, err := c.index(start)
	if err != nil {
		return Deadline{}, err
	}
	j := i
	if n > 0 {
		k := int(c.cum[i]) + n // the due date is the k-th working day of the calendar
		if k > len(c.pos) {
			return Deadline{}, fmt.Errorf("%w: %d working days after %s is past %s", ErrOutOfRange, n, start, c.last())
		}
		j = int(c.pos[k-1])
	}
	return c.deadline(start, n, i, j), nil
}

// Before returns the n-th working day before due, for reminders such as "5 working days
// before the deadline". The result is in Deadline.Due (Start is due, Workdays is -n): the
// working day b with exactly n working days in (b, due], so Due(b, n) gives back due when
// due is a working day. n == 0 returns due itself.
func (c *Calendar) Before(due Date, n int) (Deadline, error) {
	if err := checkWorkdays(n); err != nil {
		return Deadline{}, err
	}
	i, err := c.index(due)
	if err != nil {
		return Deadline{}, err
	}
	j := i
	if n > 0 {
		k := int(c.cum[i]) - n
		if k < 1 {
			return Deadline{}, fmt.Errorf("%w: %d working days before %s is before %s", ErrOutOfRange, n, due, c.first)
		}
		j = int(c.pos[k-1])
	}
	d := c.deadline(due, -n, i, j)
	d.Provisional, d.Unverified = c.statusOver(j, i)
	return d, nil
}

func (c *Calendar) deadline(start Date, n, i, j int) Deadline {
	due := c.first.AddDays(j)
	prov, unv := c.statusOver(i, j)
	return Deadline{
		Start: start, Workdays: n, Due: due, DeadlineAt: due.End(),
		Provisional: prov, Unverified: unv, Version: c.version,
	}
}

func checkWorkdays(n int) error {
	if n < 0 || n > MaxWorkdays {
		return fmt.Errorf("%w: %d, want 0…%d", ErrWorkdays, n, MaxWorkdays)
	}
	return nil
}

func (c *Calendar) last() Date { _, l := c.Range(); return l }

// WorkdaysBetween counts the working days in (a, b]; it is negative, -(working days in
// (b, a]), when b is before a. Both dates must be in Range.
func (c *Calendar) WorkdaysBetween(a, b Date) (Count, error) {
	i, err := c.index(a)
	if err != nil {
		return Count{}, err
	}
	j, err := c.index(b)
	if err != nil {
		return Count{}, err
	}
	lo, hi := min(i, j), max(i, j)
	prov, unv := c.statusOver(lo, hi)
	return Count{Workdays: int(c.cum[j] - c.cum[i]), Provisional: prov, Unverified: unv, Version: c.version}, nil
}

// Remaining counts the working days left at the instant now before the deadline of due
// (24:00 of due, Asia/Shanghai). With today = DateOf(now) it is WorkdaysBetween(today, due):
// the working days after today up to and including due, so today itself is never counted.
//   - today before due: > 0 when a working day remains (1 on the working day before a working due date);
//   - today == due: 0, the deadline is tonight at 24:00 and Overdue is false;
//   - today after due: Overdue is true and Workdays is minus the working days in (due, today],
//     i.e. -1 on the first working day after due; it is 0 on a weekend right after due.
func (c *Calendar) Remaining(now time.Time, due Date) (Count, error) {
	n, err := c.WorkdaysBetween(DateOf(now), due)
	if err != nil {
		return Count{}, err
	}
	n.Overdue = !now.Before(due.End())
	return n, nil
}
