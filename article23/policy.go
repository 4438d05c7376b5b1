package article23

import (
	"errors"
	"fmt"
	"regexp"
)

// CountFrom says what the committee, feedback and cap periods count from. Article 23 does not
// say; the default reading is the acceptance decision ("对于受理的" opens that clause).
type CountFrom string

// Readings of the start of the 30/60/90 working-day periods.
const (
	CountFromDecision CountFrom = "decision"
	CountFromReceipt  CountFrom = "receipt"
)

// Routing is how a new case finds its secretary.
type Routing string

// Routing rules: the case waits in the institute's queue until a secretary claims it (the
// default), or goes to the institute's active secretaries in turn.
const (
	RoutingUnassigned Routing = "unassigned"
	RoutingRoundRobin Routing = "round_robin"
)

// Policy is an institute's reading of Article 23 (Art. 28 lets local institutes set their own
// measures). It is pinned into a case at intake, so a later policy change never moves the
// deadlines of cases already received.
type Policy struct {
	Version                  int       `json:"version"`
	DecisionWorkdays         int       `json:"decision_workdays"`
	CommitteeWorkdays        int       `json:"committee_workdays"`
	FeedbackWorkdays         int       `json:"feedback_workdays"`
	CapWorkdays              int       `json:"cap_workdays"`
	CountFrom                CountFrom `json:"count_from"`
	ReminderWorkdays         []int     `json:"reminder_workdays"`
	EscalateAfterWorkdays    int       `json:"escalate_after_workdays"`
	AllowSupplement          bool      `json:"allow_supplement"`
	SupplementWindowWorkdays int       `json:"supplement_window_workdays"`
	WorkingHoursStart        string    `json:"working_hours_start"`
	WorkingHoursEnd          string    `json:"working_hours_end"`
	// Routing applies at intake only; "" (cases pinned before routing existed) reads as
	// RoutingUnassigned.
	Routing Routing `json:"routing,omitempty"`
}

// DefaultPolicy is Article 23 as written, with the product's default readings.
func DefaultPolicy() Policy {
	return Policy{
		Version:                  1,
		DecisionWorkdays:         15,
		CommitteeWorkdays:        30,
		FeedbackWorkdays:         60,
		CapWorkdays:              90,
		CountFrom:                CountFromDecision,
		ReminderWorkdays:         []int{5, 1},
		EscalateAfterWorkdays:    5,
		AllowSupplement:          false,
		SupplementWindowWorkdays: 5,
		WorkingHoursStart:        "09:00",
		WorkingHoursEnd:          "18:00",
		Routing:                  RoutingUnassigned,
	}
}

var clockTime = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)

// PolicyError is one field of a policy that is not usable. Field is the JSON name.
type PolicyError struct {
	Field  string
	Detail string
	Format string // Detail's format and arguments, to say it in another language
	Args   []any
}

func (e *PolicyError) Error() string { return e.Field + " " + e.Detail }

// Validate reports every way p breaks Article 23 or is not usable, each a *PolicyError,
// joined in one error. Article 23 is a ceiling: an institute may be stricter, never laxer.
func (p Policy) Validate() error {
	var errs []error
	check := func(ok bool, field, format string, args ...any) {
		if !ok {
			errs = append(errs, &PolicyError{Field: field, Detail: fmt.Sprintf(format, args...), Format: format, Args: args})
		}
	}
	check(p.Version > 0, "version", "must be positive")
	check(p.DecisionWorkdays >= 1 && p.DecisionWorkdays <= 15, "decision_workdays", "must be 1–15 (Article 23), got %d", p.DecisionWorkdays)
	check(p.CommitteeWorkdays >= 1 && p.CommitteeWorkdays <= 30, "committee_workdays", "must be 1–30, got %d", p.CommitteeWorkdays)
	check(p.FeedbackWorkdays >= p.CommitteeWorkdays && p.FeedbackWorkdays <= 60, "feedback_workdays", "must be between committee_workdays and 60, got %d", p.FeedbackWorkdays)
	check(p.CapWorkdays >= p.FeedbackWorkdays && p.CapWorkdays <= 90, "cap_workdays", "must be between feedback_workdays and 90, got %d", p.CapWorkdays)
	check(p.CountFrom == CountFromDecision || p.CountFrom == CountFromReceipt, "count_from", "must be %q or %q, got %q", CountFromDecision, CountFromReceipt, p.CountFrom)
	check(len(p.ReminderWorkdays) <= 5, "reminder_workdays", "at most 5 reminders, got %d", len(p.ReminderWorkdays))
	for _, r := range p.ReminderWorkdays {
		check(r >= 1 && r <= 10, "reminder_workdays", "must each be 1–10, got %d", r)
	}
	check(p.EscalateAfterWorkdays >= 1 && p.EscalateAfterWorkdays <= 30, "escalate_after_workdays", "must be 1–30, got %d", p.EscalateAfterWorkdays)
	check(!p.AllowSupplement || (p.SupplementWindowWorkdays >= 1 && p.SupplementWindowWorkdays < p.DecisionWorkdays),
		"supplement_window_workdays", "must be 1–%d when supplements are allowed", p.DecisionWorkdays-1)
	check(clockTime.MatchString(p.WorkingHoursStart), "working_hours_start", "must be HH:MM, got %q", p.WorkingHoursStart)
	check(clockTime.MatchString(p.WorkingHoursEnd) && p.WorkingHoursStart < p.WorkingHoursEnd,
		"working_hours_end", "must be HH:MM after working_hours_start, got %q", p.WorkingHoursEnd)
	check(p.Routing == "" || p.Routing == RoutingUnassigned || p.Routing == RoutingRoundRobin,
		"routing", "must be %q or %q, got %q", RoutingUnassigned, RoutingRoundRobin, p.Routing)
	return errors.Join(errs...)
}

// Workdays returns the length of clock n under p.
func (p Policy) Workdays(n ClockName) int {
	switch n {
	case ClockDecision:
		return p.DecisionWorkdays
	case ClockCommittee:
		return p.CommitteeWorkdays
	case ClockFeedback:
		return p.FeedbackWorkdays
	case ClockCap:
		return p.CapWorkdays
	}
	return 0
}
