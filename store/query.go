package store

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/cicpa/weiquan/article23"
)

// CaseView is one case with its log and attachments.
type CaseView struct {
	Case        article23.Case
	Events      []article23.Event
	Attachments []Attachment
}

// CaseSummary is a case as lists show it.
type CaseSummary struct {
	Number       string              `json:"number"`
	Institute    string              `json:"institute"`
	Applicant    article23.Applicant `json:"applicant"`
	Counterparty string              `json:"counterparty"`
	Category     string              `json:"category"`
	Stage        article23.Stage     `json:"stage"`
	Secretary    string              `json:"secretary,omitempty"`
	ReceivedOn   string              `json:"received_on"`
	Breached     bool                `json:"breached"`                // some clock of the case is breached
	NextClock    article23.ClockName `json:"next_clock,omitempty"`    // the running clock due soonest
	NextDeadline *time.Time          `json:"next_deadline,omitempty"` // its deadline; nil when no clock runs
	UpdatedAt    time.Time           `json:"updated_at"`
}

// CaseFilter selects cases. Zero fields do not filter. Institutes nil means every institute;
// an empty non-nil slice means none (a caller whose scope is empty sees nothing).
type CaseFilter struct {
	Institutes        []string
	Stage             article23.Stage
	Secretary         string
	ApplicantMemberNo string
	Breached          *bool
	Open              *bool      // in an open stage (still in someone's hands)
	DueBefore         *time.Time // some running clock's deadline_at is before this instant
	Query             string     // full text over summary, counterparty and applicant name
	Cursor            string     // CasePage.Next of the previous page
	Limit             int        // default 50, at most 500
}

// CasePage is one page of cases, soonest running deadline first, then by number; cases with
// no running clock come last. Next is "" on the last page.
type CasePage struct {
	Cases []CaseSummary
	Next  string
}

type summaryRow struct {
	Number, Institute, ApplicantMemberNo, ApplicantName, ApplicantKind string
	Counterparty, Category, Stage, Secretary, ReceivedOn, NextClock    string
	IsBreached                                                         bool
	SortDeadlineAt, UpdatedAt                                          time.Time
}

var summaryColumns = []string{"number", "institute", "applicant_member_no", "applicant_name", "applicant_kind",
	"counterparty", "category", "stage", "secretary", "received_on", "next_clock", "is_breached", "sort_deadline_at", "updated_at"}

// summarySelect selects the summary columns of cases, each renamed with prefix.
func summarySelect(prefix string) string {
	sel := ""
	for i, c := range summaryColumns {
		if i > 0 {
			sel += ", "
		}
		sel += "cases." + c + " AS " + prefix + c
	}
	return sel
}

func (r summaryRow) toSummary() CaseSummary {
	s := CaseSummary{
		Number: r.Number, Institute: r.Institute,
		Applicant:    article23.Applicant{MemberNo: r.ApplicantMemberNo, Name: r.ApplicantName, Kind: article23.MemberKind(r.ApplicantKind)},
		Counterparty: r.Counterparty, Category: r.Category, Stage: article23.Stage(r.Stage), Secretary: r.Secretary,
		ReceivedOn: r.ReceivedOn, Breached: r.IsBreached, NextClock: article23.ClockName(r.NextClock), UpdatedAt: r.UpdatedAt.UTC(),
	}
	if d := r.SortDeadlineAt.UTC(); d.Before(noDeadline) {
		s.NextDeadline = &d
	}
	return s
}

// inInstitutes restricts a query to institutes (see CaseFilter for nil versus empty).
func inInstitutes(column string, institutes []string) func(*gorm.DB) *gorm.DB {
	return func(q *gorm.DB) *gorm.DB {
		switch {
		case institutes == nil:
			return q
		case len(institutes) == 0:
			return q.Where("1 = 0")
		}
		return q.Where(column+" IN ?", institutes)
	}
}

// Case returns the case numbered number with its log and attachments, or ErrNotFound: its
// head (CaseHead) and the rest.
func (s *Store) Case(ctx context.Context, number string) (CaseView, error) {
	c, _, err := s.CaseHead(ctx, number)
	if err != nil {
		return CaseView{}, err
	}
	db := s.db.WithContext(ctx)
	var clocks []clockRow
	var escs []escalationRow
	var events []eventRow
	for _, q := range []struct {
		dest  any
		order string
	}{{&clocks, "position"}, {&escs, "id"}, {&events, "seq"}} {
		if err := db.Where("case_number = ?", number).Order(q.order).Find(q.dest).Error; err != nil {
			return CaseView{}, wrap("case "+number, err)
		}
	}
	view := CaseView{Case: c}
	for _, k := range clocks {
		view.Case.Clocks = append(view.Case.Clocks, k.toClock())
	}
	for _, e := range escs {
		view.Case.Escalations = append(view.Case.Escalations, e.toEscalation())
	}
	for _, e := range events {
		view.Events = append(view.Events, e.toEvent())
	}
	atts, err := s.Attachments(ctx, number)
	view.Attachments = atts
	return view, err
}

// CaseHead is the case as an action reads it before it is taken: the case with its
// extensions, without its clocks, escalations, log and attachments, and the seq of its last
// recorded event. Two queries where Case makes six.
func (s *Store) CaseHead(ctx context.Context, number string) (article23.Case, int64, error) {
	db := s.db.WithContext(ctx)
	var row caseRow
	if err := db.Where("number = ?", number).Take(&row).Error; err != nil {
		return article23.Case{}, 0, wrap("case "+number, err)
	}
	var exts []extensionRow
	if err := db.Where("case_number = ?", number).Order("id").Find(&exts).Error; err != nil {
		return article23.Case{}, 0, wrap("case "+number, err)
	}
	c := row.toCase()
	for _, e := range exts {
		c.Extensions = append(c.Extensions, e.toExtension())
	}
	return c, row.LastSeq, nil
}

// ListCases returns one page of the cases f selects, ordered by (soonest running deadline,
// number) with an opaque keyset cursor, so every page costs the same however deep.
func (s *Store) ListCases(ctx context.Context, f CaseFilter) (CasePage, error) {
	limit := pageLimit(f.Limit)
	q := s.db.WithContext(ctx).Model(&caseRow{}).Select(summaryColumns).Scopes(inInstitutes("institute", f.Institutes))
	for _, eq := range [][2]string{{"stage", string(f.Stage)}, {"secretary", f.Secretary}, {"applicant_member_no", f.ApplicantMemberNo}} {
		if eq[1] != "" {
			q = q.Where(eq[0]+" = ?", eq[1])
		}
	}
	if f.Breached != nil {
		q = q.Where("is_breached = ?", *f.Breached)
	}
	if f.Open != nil {
		q = q.Where("is_open = ?", *f.Open)
	}
	if f.DueBefore != nil {
		q = q.Where("sort_deadline_at < ?", f.DueBefore.UTC()) // sort_deadline_at is the soonest running deadline
	}
	if f.Query != "" {
		q = s.matchText(q, f.Query)
	}
	if f.Cursor != "" {
		at, number, err := decodeCursor(f.Cursor)
		if err != nil {
			return CasePage{}, fmt.Errorf("list cases: %w", err)
		}
		q = q.Where("(sort_deadline_at, number) > (?, ?)", at, number)
	}
	var rows []summaryRow
	if err := q.Order("sort_deadline_at, number").Limit(limit + 1).Scan(&rows).Error; err != nil {
		return CasePage{}, wrap("list cases", err)
	}
	page := CasePage{Cases: make([]CaseSummary, 0, min(len(rows), limit))}
	for i, r := range rows {
		if i == limit {
			last := rows[limit-1]
			page.Next = encodeCursor(last.SortDeadlineAt, last.Number)
			break
		}
		page.Cases = append(page.Cases, r.toSummary())
	}
	return page, nil
}

// pageLimit is a list's page size: n, 50 when unset, at most 500.
func pageLimit(n int) int {
	if n <= 0 {
		return 50
	}
	return min(n, 500)
}

type cursor struct {
	At     int64  `json:"t"` // sort_deadline_at in Unix microseconds
	Number string `json:"n"`
}

func encodeCursor(at time.Time, number string) string {
	b, _ := json.Marshal(cursor{At: at.UnixMicro(), Number: number})
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s string) (time.Time, string, error) {
	var c cursor
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	if err != nil || c.Number == "" {
		return time.Time{}, "", fmt.Errorf("invalid cursor %q", s)
	}
	return time.UnixMicro(c.At).UTC(), c.Number, nil
}

// OpenCaseNumbers returns up to limit numbers of open cases greater than after ("" for the
// first page), in number order: the calendar reload's keyset pages over every open case.
func (s *Store) OpenCaseNumbers(ctx context.Context, after string, limit int) ([]string, error) {
	numbers := []string{}
	err := s.db.WithContext(ctx).Table("cases").Where("is_open AND number > ?", after).
		Order("number").Limit(limit).Pluck("number", &numbers).Error
	return numbers, wrap("open case numbers", err)
}

// CountOpenCases counts the open cases.
func (s *Store) CountOpenCases(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Table("cases").Where("is_open").Count(&n).Error
	return n, wrap("count open cases", err)
}

// CasesWithRunningClocksSpanning returns, in number order, the cases with a running clock
// whose counting window (start, due] may hold a day of first..last ("YYYY-MM-DD"): started
// before last and due on or after first. Only such a clock can move when those days change.
func (s *Store) CasesWithRunningClocksSpanning(ctx context.Context, first, last string) ([]string, error) {
	numbers := []string{}
	err := s.db.WithContext(ctx).Table("clocks").Distinct("case_number").
		Where("state = 'running' AND start_on < ? AND due_on >= ?", last, first).
		Order("case_number").Pluck("case_number", &numbers).Error
	return numbers, wrap("running clocks spanning "+first+"–"+last, err)
}
