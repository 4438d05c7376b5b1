package web

import (
	"time"

	"github.com/cicpa/weiquan/article23"
)

// overviewDoc is GET /reports/overview: a dashboard in one call.
type overviewDoc struct {
	Year        int                  `json:"year"`
	DueWithin   int                  `json:"due_within"`
	Totals      figuresDoc           `json:"totals"`
	Institutes  []instituteLineDoc   `json:"institutes"`
	Months      []monthDoc           `json:"months"`
	Escalations []escalationGroupDoc `json:"escalations"`
	Extensions  []struct {
		Case      summaryDoc          `json:"case"`
		Extension article23.Extension `json:"extension"`
	} `json:"extensions"`
}

// figuresDoc are the counts now and the year's figures; OnTimeRate is 0–1.
type figuresDoc struct {
	Open        int64    `json:"open"`
	Breached    int64    `json:"breached"`
	DueSoon     int64    `json:"due_soon"`
	OnTime      int64    `json:"on_time"`
	Late        int64    `json:"late"`
	OnTimeRate  *float64 `json:"on_time_rate"`
	Extensions  int64    `json:"extensions"`
	LateEntries int64    `json:"late_entries"`
}

type instituteLineDoc struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	NameEn string `json:"name_en"`
	figuresDoc
	MedianDecision *float64 `json:"median_decision_workdays"`
}

type stageDoc struct {
	OnTime     int64    `json:"on_time"`
	Late       int64    `json:"late"`
	Open       int64    `json:"open"`
	OnTimeRate *float64 `json:"on_time_rate"`
}

type monthDoc struct {
	Month       string              `json:"month"`
	Stages      map[string]stageDoc `json:"stages"` // by stage (clock name)
	Late        int64               `json:"late"`
	Extensions  int64               `json:"extensions"`
	LateEntries int64               `json:"late_entries"`
}

type escalationGroupDoc struct {
	Case          summaryDoc             `json:"case"`
	InstituteName string                 `json:"institute_name"`
	HighestLevel  int                    `json:"highest_level"`
	Clocks        []article23.ClockName  `json:"clocks"`
	RaisedAt      time.Time              `json:"raised_at"`
	Escalations   []article23.Escalation `json:"escalations"`
}
