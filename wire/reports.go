package wire

import (
	"time"

	"github.com/cicpa/weiquan/article23"
)

// Compliance is GET /reports/compliance.
type Compliance struct {
	From string          `json:"from"`
	To   string          `json:"to"`
	Rows []ComplianceRow `json:"rows"`
}

// ComplianceRow is one institute's figures for one stage's deadlines due in the period.
type ComplianceRow struct {
	Institute string              `json:"institute"`
	Clock     article23.ClockName `json:"clock"`
	OnTime    int64               `json:"on_time"` // met, judged by the act's stated date
	Late      int64               `json:"late"`    // breached
	Open      int64               `json:"open"`    // still running
	// OnTimeRate is on_time ÷ (on_time + late), 0–1; nil when none finished.
	OnTimeRate *float64 `json:"on_time_rate"`
	// MedianWorkdaysUsed and P90WorkdaysUsed are over met and breached clocks' workdays_used
	// (median: mean of the middle values; p90: nearest rank); nil when none finished.
	MedianWorkdaysUsed *float64 `json:"median_workdays_used"`
	P90WorkdaysUsed    *float64 `json:"p90_workdays_used"`
	// Extensions counts approved extensions; only feedback deadlines are extended.
	Extensions int64 `json:"extensions"`
	// LateEntries counts clocks met on time by the act's stated date whose act was entered
	// after the due date: back-dating shows here.
	LateEntries     int64  `json:"late_entries"`
	InstituteName   string `json:"institute_name"`
	InstituteNameEn string `json:"institute_name_en"`
}

// Overview is GET /reports/overview: a dashboard in one call.
type Overview struct {
	Year        int                 `json:"year"`
	DueWithin   int                 `json:"due_within"`
	DueBefore   time.Time           `json:"due_before"`
	Totals      Figures             `json:"totals"`
	Institutes  []InstituteOverview `json:"institutes"`
	Months      []MonthOverview     `json:"months"`
	Escalations []EscalationGroup   `json:"escalations"`
	Extensions  []ExtensionTask     `json:"extensions"`
}

// Figures are the counts now and the year's figures (clocks due in the year; the cap is no
// stage). OnTimeRate is 0–1.
type Figures struct {
	Open        int64    `json:"open"`
	Breached    int64    `json:"breached"`
	DueSoon     int64    `json:"due_soon"`
	OnTime      int64    `json:"on_time"`
	Late        int64    `json:"late"`
	OnTimeRate  *float64 `json:"on_time_rate"`
	Extensions  int64    `json:"extensions"`
	LateEntries int64    `json:"late_entries"`
}

// InstituteOverview is one institute's line of the national table.
type InstituteOverview struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	NameEn string `json:"name_en"`
	Figures
	MedianDecisionWorkdays *float64 `json:"median_decision_workdays"`
}

// MonthOverview is one month of the year: each stage's figures, by clock name, and the
// month's breaches (late clocks), approved extensions and late entries over the stages.
type MonthOverview struct {
	Month       string                  `json:"month"`
	Stages      map[string]StageFigures `json:"stages"`
	Late        int64                   `json:"late"`
	Extensions  int64                   `json:"extensions"`
	LateEntries int64                   `json:"late_entries"`
}

// StageFigures are one stage's figures of a month.
type StageFigures struct {
	OnTime     int64    `json:"on_time"`
	Late       int64    `json:"late"`
	Open       int64    `json:"open"`
	OnTimeRate *float64 `json:"on_time_rate"`
}

// EscalationGroup is one case's open escalations: the highest level, the clocks concerned,
// the earliest raised, and each escalation the caller may acknowledge.
type EscalationGroup struct {
	Case          Summary                `json:"case"`
	InstituteName string                 `json:"institute_name"`
	HighestLevel  int                    `json:"highest_level"`
	Clocks        []article23.ClockName  `json:"clocks"`
	RaisedAt      time.Time              `json:"raised_at"`
	Escalations   []article23.Escalation `json:"escalations"`
}

// Counts is GET /reports/counts.
type Counts struct {
	DueBefore time.Time         `json:"due_before"`
	Rows      []InstituteCounts `json:"rows"`
}

// InstituteCounts are one institute's open cases now.
type InstituteCounts struct {
	Institute string `json:"institute"`
	Open      int64  `json:"open"`     // cases in an open stage
	Breached  int64  `json:"breached"` // open cases with a breached clock
	DueSoon   int64  `json:"due_soon"` // open cases not breached with a running deadline before the cutoff
}
