package web

import (
	"net/http"
	"net/url"

	"github.com/cicpa/weiquan/wire"
)

// inboxPage is a secretary's work list as the API orders it: what is overdue first (most
// overdue first), then by the next due date.
type inboxPage struct {
	Rows []inboxRow
	Tab  string // all, mine, unassigned
	Tabs []string
	Next string // the next page's cursor
}

// inboxRow is one task with the colour of its deadline: late, soon (due within five working
// days) or ok.
type inboxRow struct {
	wire.Task
	Status string
}

// inboxTabs are the inbox's views and the API filter each one sets.
var inboxTabs = []struct{ name, param string }{{"all", ""}, {"mine", "mine"}, {"unassigned", "unassigned"}}

func (c *Console) handleInbox(w http.ResponseWriter, r *http.Request, s *session) {
	p := inboxPage{Tab: "all"}
	q := url.Values{"limit": {"200"}}
	tab := r.URL.Query().Get("tab")
	if r.URL.Query().Get("mine") == "true" { // the old link
		tab = "mine"
	}
	for _, t := range inboxTabs {
		p.Tabs = append(p.Tabs, t.name)
		if t.name == tab && t.param != "" {
			p.Tab = t.name
			q.Set(t.param, "true")
		}
	}
	if cur := r.URL.Query().Get("cursor"); cur != "" {
		q.Set("cursor", cur)
	}
	var tasks wire.Tasks
	if err := c.get(r, s, "/api/v1/tasks", q, &tasks); err != nil {
		c.apiFailure(w, r, s, err)
		return
	}
	for _, t := range tasks.Cases {
		p.Rows = append(p.Rows, inboxRow{Task: t, Status: taskStatus(t)})
	}
	p.Next = tasks.Next
	c.render(w, http.StatusOK, "inbox", c.newView(r, s, "inbox.title", p))
}

// taskStatus colours a task by its clock: overdue, due within five working days, on track.
func taskStatus(t wire.Task) string {
	switch {
	case t.Overdue || t.OverdueWorkdays != nil:
		return "late"
	case t.RemainingWorkdays != nil && *t.RemainingWorkdays <= 5:
		return "soon"
	}
	return "ok"
}

// TabURL is the inbox's address for tab.
func (p inboxPage) TabURL(tab string) string {
	if tab == "all" {
		return "/inbox"
	}
	return "/inbox?tab=" + tab
}

// Here is the address of this view of the inbox, where a claim comes back to.
func (p inboxPage) Here() string { return p.TabURL(p.Tab) }

// NextURL is the next page of this view.
func (p inboxPage) NextURL() string {
	q := url.Values{"cursor": {p.Next}}
	if p.Tab != "all" {
		q.Set("tab", p.Tab)
	}
	return "/inbox?" + q.Encode()
}

// Deadline says how the task's deadline stands, in words: overdue by n working days, due
// today, or n working days left.
func (row inboxRow) Deadline(v *view) string {
	switch {
	case row.OverdueWorkdays != nil && *row.OverdueWorkdays > 0:
		return v.T("inbox.overdue_by", *row.OverdueWorkdays)
	case row.Overdue || row.OverdueWorkdays != nil:
		return v.T("status.late")
	case row.RemainingWorkdays == nil:
		return ""
	case *row.RemainingWorkdays == 0:
		return v.T("inbox.due_today")
	}
	return v.T("inbox.remaining", *row.RemainingWorkdays)
}
