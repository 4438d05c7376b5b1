package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/calendar"
	"github.com/cicpa/weiquan/wire"
)

// casePage is one case with what the viewer may do on it now.
type casePage struct {
	Case        wire.Case
	Clocks      []clockRow
	Events      []eventRow
	Today       string
	Staff       bool // the institute's secretary or supervisor: the stage's action forms
	Supervisor  bool
	Secretary   bool         // the viewer is a secretary: they may claim a case in the queue
	Colleagues  []wire.Staff // whom the case can be handed to: the institute's other active secretaries
	Owner       bool         // the applicant member
	Pending     *article23.Extension
	Escalations []article23.Escalation // neither acknowledged nor resolved
	Cap         *wire.Due              // the latest feedback date the rules allow
	Manners     []article23.FeedbackManner
	Letters     []wire.Document // the written notices issued so far
	LettersOff  bool            // the API could not list them (letters not configured)
	Withdrawal  *withdrawal     // the member's withdrawal, from the log
	Calendar    string          // the console's path to the .ics of the case's deadlines
}

// withdrawal is when and why the member withdrew.
type withdrawal struct{ On, Reason string }

// withdrawalOf finds the withdrawal in the case's log.
func withdrawalOf(k wire.Case) *withdrawal {
	for _, e := range k.Events {
		if e.Type == article23.EventWithdrawn {
			var d article23.EventData
			_ = json.Unmarshal(e.Data, &d) // written by the workflow from the same struct
			return &withdrawal{On: calendar.DateOf(e.At).String(), Reason: d.Reason}
		}
	}
	return nil
}

// clockRow is a deadline as the page shows it.
type clockRow struct {
	wire.Clock
	Status string // late, soon, ok, met, cancelled
	Text   string // why the due date falls where it does, in the page's language
}

// eventRow is one line of the timeline.
type eventRow struct {
	article23.Event
	When   string
	Who    string // the actor's display name; "" for the system, or when only the role is known
	Detail string // a hand-over: from whom to whom
}

// Show reports whether the action form named a fits the case's current stage (article23's
// stage × action table) and the viewer.
func (p casePage) Show(a string) bool {
	st := p.Case.Stage
	switch a {
	case "decision":
		return p.Staff && article23.Fits(st, article23.ActionDecide)
	case "supplement-request":
		return p.Staff && article23.Fits(st, article23.ActionRequestSupplement) && p.Case.Policy.AllowSupplement && p.Case.Supplement == nil
	case "supplement-received":
		return p.Staff && article23.Fits(st, article23.ActionReceiveSupplement)
	case "committee-meeting":
		return p.Staff && article23.Fits(st, article23.ActionRecordCommittee)
	case "feedback":
		return p.Staff && article23.Fits(st, article23.ActionRecordFeedback)
	case "extensions":
		return p.Staff && article23.Fits(st, article23.ActionRequestExtension) && p.Pending == nil && p.Cap != nil
	case "closure":
		return p.Staff && article23.Fits(st, article23.ActionClose)
	case "claim":
		return p.Staff && p.Secretary && article23.Fits(st, article23.ActionClaim) && p.Case.Secretary == ""
	case "assignment":
		return p.Staff && article23.Fits(st, article23.ActionReassign) && len(p.Colleagues) > 0
	case "withdrawal":
		return p.Owner && article23.Fits(st, article23.ActionWithdraw)
	case "extension-decision":
		return p.Supervisor && article23.Fits(st, article23.ActionDecideExtension) && p.Pending != nil
	}
	return false
}

func (c *Console) handleCase(w http.ResponseWriter, r *http.Request, s *session) {
	c.renderCase(w, r, s, r.PathValue("number"), http.StatusOK, nil, "")
}

// renderCase shows the case; p, when set, is the problem of the form just posted, and
// field the field a refusal without one belongs to.
func (c *Console) renderCase(w http.ResponseWriter, r *http.Request, s *session, number string, status int, p *wire.Problem, field string) {
	var k wire.Case
	if err := c.get(r, s, casePath(number), nil, &k); err != nil {
		c.apiFailure(w, r, s, err)
		return
	}
	page := c.casePage(r, s, k)
	v := c.newView(r, s, "case.title", page)
	if p != nil {
		v.Form = r.PostForm
		c.showProblem(v, p, field)
	}
	c.render(w, status, "case", v)
}

func (c *Console) casePage(r *http.Request, s *session, k wire.Case) casePage {
	staff := (s.Is("secretary") || s.Is("supervisor")) && s.Institute == k.Institute
	p := casePage{Case: k, Today: c.today(), Staff: staff, Supervisor: s.Is("supervisor"), Secretary: s.Is("secretary"),
		Owner: s.Is("member") && s.MemberNo == k.Applicant.MemberNo, Pending: k.PendingExtension(),
		Manners: []article23.FeedbackManner{article23.MannerLetter, article23.MannerMeeting, article23.MannerPhone, article23.MannerEmail}}
	lang := language(r)
	for _, ck := range k.Clocks {
		if ck.Name == article23.ClockCap {
			continue // a limit on extensions, not a deadline anyone works to; the extension form shows it
		}
		p.Clocks = append(p.Clocks, clockRow{Clock: ck, Status: clockStatus(ck), Text: c.explanation(r, s, ck, lang)})
	}
	if staff && article23.Fits(k.Stage, article23.ActionReassign) {
		p.Colleagues = c.colleagues(r, s, k.Secretary)
	}
	p.Events = c.timeline(k, p.Colleagues, lang)
	p.Withdrawal, p.Calendar = withdrawalOf(k), "/cases/"+url.PathEscape(k.Number)+"/deadlines.ics"
	for _, e := range k.Escalations {
		if e.AcknowledgedBy == nil && e.ResolvedAt == nil {
			p.Escalations = append(p.Escalations, e)
		}
	}
	letters, ok := c.letters(r, s, k.Number)
	p.Letters, p.LettersOff = letters, !ok
	if fb := k.Clock(article23.ClockFeedback); staff && fb != nil && fb.State == article23.ClockRunning {
		p.Cap = c.capDate(r, s, fb.Start, k.Policy.CapWorkdays, lang)
	}
	return p
}

// explanation is the API's explanation of a deadline; in English it asks the calendar
// route for the same count in English.
func (c *Console) explanation(r *http.Request, s *session, k wire.Clock, lang string) string {
	if lang == "zh" || k.Start == "" {
		return k.Explanation
	}
	var d wire.Due
	q := url.Values{"from": {k.Start}, "workdays": {strconv.Itoa(k.Workdays)}, "lang": {lang}}
	if err := c.get(r, s, "/api/v1/calendar/due", q, &d); err != nil {
		return k.Explanation
	}
	return d.Text
}

// capDate is the latest feedback due date an extension may reach: the cap counted from the
// feedback clock's start.
func (c *Console) capDate(r *http.Request, s *session, start string, workdays int, lang string) *wire.Due {
	if workdays <= 0 {
		workdays = article23.DefaultPolicy().CapWorkdays
	}
	var d wire.Due
	q := url.Values{"from": {start}, "workdays": {strconv.Itoa(workdays)}, "lang": {lang}}
	if err := c.get(r, s, "/api/v1/calendar/due", q, &d); err != nil {
		return nil
	}
	return &d
}

// Left says how many working days are left, that it is due today, or by how many it is
// overdue; "" when the API did not count them.
func (k clockRow) Left(v *view) string {
	switch n := k.RemainingWorkdays; {
	case n == nil:
		return ""
	case *n < 0:
		return v.T("inbox.overdue_by", -*n)
	case *n == 0:
		return v.T("inbox.due_today")
	}
	return v.T("case.remaining", *k.RemainingWorkdays)
}

func clockStatus(k wire.Clock) string {
	switch {
	case k.State == article23.ClockBreached || k.Overdue:
		return "late"
	case k.State == article23.ClockMet:
		return "met"
	case k.State == article23.ClockCancelled:
		return "cancelled"
	case k.RemainingWorkdays != nil && *k.RemainingWorkdays <= 5:
		return "soon"
	}
	return "ok"
}

// handleWithdrawConfirm asks the member to confirm the withdrawal before it is posted.
func (c *Console) handleWithdrawConfirm(w http.ResponseWriter, r *http.Request, s *session) {
	var k wire.Case
	if err := c.get(r, s, casePath(r.PathValue("number")), nil, &k); err != nil {
		c.apiFailure(w, r, s, err)
		return
	}
	c.render(w, http.StatusOK, "withdraw", c.newView(r, s, "withdraw.title", k))
}

// localTime writes an instant as people in Asia/Shanghai read it, its date as localDate
// writes dates: 2026年12月7日 09:58 in Chinese, 2026-12-07 09:58 otherwise.
func localTime(lang string, t time.Time) string {
	t = t.In(calendar.Shanghai())
	return localDate(lang, t.Format(time.DateOnly)) + " " + t.Format("15:04")
}
