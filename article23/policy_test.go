package article23

import (
	"errors"
	"testing"
)

func TestDefaultPolicyIsArticle23(t *testing.T) {
	p := DefaultPolicy()
	if err := p.Validate(); err != nil {
		t.Fatalf("default policy invalid: %v", err)
	}
	want := map[ClockName]int{ClockDecision: 15, ClockCommittee: 30, ClockFeedback: 60, ClockCap: 90}
	for n, wd := range want {
		if p.Workdays(n) != wd {
			t.Errorf("%s: %d working days, Article 23 says %d", n, p.Workdays(n), wd)
		}
	}
	if p.CountFrom != CountFromDecision || p.AllowSupplement {
		t.Errorf("default readings changed: %+v", p)
	}
}

func TestPolicyValidateRefusesLaxerThanArticle23(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Policy)
		want string
	}{
		{"decision 16", func(p *Policy) { p.DecisionWorkdays = 16 }, "decision_workdays"},
		{"cap 91", func(p *Policy) { p.CapWorkdays = 91 }, "cap_workdays"},
		{"feedback over cap", func(p *Policy) { p.FeedbackWorkdays = 60; p.CapWorkdays = 50 }, "cap_workdays"},
		{"committee after feedback", func(p *Policy) { p.CommitteeWorkdays = 30; p.FeedbackWorkdays = 20 }, "feedback_workdays"},
		{"count from nowhere", func(p *Policy) { p.CountFrom = "filing" }, "count_from"},
		{"reminder 0", func(p *Policy) { p.ReminderWorkdays = []int{0} }, "reminder_workdays"},
		{"supplement window too long", func(p *Policy) { p.AllowSupplement = true; p.SupplementWindowWorkdays = 15 }, "supplement_window_workdays"},
		{"hours backwards", func(p *Policy) { p.WorkingHoursStart = "18:00"; p.WorkingHoursEnd = "09:00" }, "working_hours_end"},
		{"hours malformed", func(p *Policy) { p.WorkingHoursStart = "9am" }, "working_hours_start"},
		{"routing unknown", func(p *Policy) { p.Routing = "lottery" }, "routing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := DefaultPolicy()
			tt.edit(&p)
			err := p.Validate()
			var pe *PolicyError
			if !errors.As(err, &pe) || pe.Field != tt.want {
				t.Fatalf("want an error about field %s, got %v", tt.want, err)
			}
		})
	}
	strict := DefaultPolicy()
	strict.DecisionWorkdays, strict.FeedbackWorkdays = 10, 45
	if err := strict.Validate(); err != nil {
		t.Errorf("a stricter institute policy must be allowed: %v", err)
	}
}

func TestStagesAndClocks(t *testing.T) {
	open := map[Stage]bool{StageReceived: true, StageAwaitingSupplement: true, StageAccepted: true, StageCommitteeHeld: true}
	for _, s := range Stages {
		if !s.Valid() || s.Open() != open[s] {
			t.Errorf("stage %s: valid %v open %v", s, s.Valid(), s.Open())
		}
	}
	if Stage("pending").Valid() || ClockName("x").Valid() || Role("system").Valid() || MemberKind("vip").Valid() || FeedbackManner("fax").Valid() {
		t.Error("unknown values accepted")
	}
	c := Case{Clocks: []Clock{{Name: ClockDecision, Due: "2026-12-18"}}}
	if k, ok := c.Clock(ClockDecision); !ok || k.Due != "2026-12-18" {
		t.Error("Clock lookup")
	}
	if _, ok := c.Clock(ClockCap); ok {
		t.Error("missing clock found")
	}
}
