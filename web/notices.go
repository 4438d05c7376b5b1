package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/cicpa/weiquan/wire"
)

// The case's written notices and the person's in-app notifications, both read through the
// API: GET /api/v1/cases/{n}/documents and GET /api/v1/notifications.

// letters lists the case's notices; ok is false when the API cannot (letters not configured),
// which the case page says rather than failing.
func (c *Console) letters(r *http.Request, s *session, number string) (docs []wire.Document, ok bool) {
	var l wire.Documents
	if err := c.get(r, s, casePath(number, "documents"), nil, &l); err != nil {
		var p *wire.Problem
		if !errors.As(err, &p) || p.Status >= 500 && p.Code != "letters_unavailable" {
			c.log.Error("web: letters", "case", number, "error", err)
		}
		return nil, false
	}
	return l.Documents, true
}

// handleLetter passes a notice's PDF through from the API.
func (c *Console) handleLetter(w http.ResponseWriter, r *http.Request, s *session) {
	c.passThrough(w, r, s, casePath(r.PathValue("number"), "documents", url.PathEscape(r.PathValue("id"))))
}

// handleDeadlinesICS hands the case's deadlines to the viewer's calendar application.
func (c *Console) handleDeadlinesICS(w http.ResponseWriter, r *http.Request, s *session) {
	c.passThrough(w, r, s, casePath(r.PathValue("number"), "deadlines.ics"))
}

// passThrough copies a download from the API: its bytes and the headers that describe them.
func (c *Console) passThrough(w http.ResponseWriter, r *http.Request, s *session, path string) {
	res := c.call(r, s, apiCall{method: http.MethodGet, path: path})
	if !res.OK() {
		c.apiFailure(w, r, s, res.problem())
		return
	}
	for _, h := range []string{"Content-Type", "Content-Disposition", "Content-Length", "ETag", "Cache-Control"} {
		if v := res.Header.Get(h); v != "" {
			w.Header().Set(h, v)
		}
	}
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(res.Body)
}

// handleMarkServed records the date a notice was served (staff).
func (c *Console) handleMarkServed(w http.ResponseWriter, r *http.Request, s *session) {
	number, id := r.PathValue("number"), r.PathValue("id")
	path := casePath(number, "documents", url.PathEscape(id), "served")
	res := c.postJSON(r, s, path, formNonce(r), wire.ServedRequest{ServedOn: r.PostFormValue("served_on")})
	if !res.OK() {
		c.formFailure(w, r, s, res.problem(), func(p *wire.Problem) { c.renderCase(w, r, s, number, statusOf(p), p, "served_on") })
		return
	}
	redirect(w, r, "/cases/"+url.PathEscape(number), "served")
}

// unread is the signed-in person's unread notifications, for the header's badge; 0 when
// the API does not answer, so a page never fails for its badge.
func (c *Console) unread(r *http.Request, s *session) int {
	var n wire.Notifications
	if !s.SignedIn() || c.get(r, s, "/api/v1/notifications", url.Values{"limit": {"0"}}, &n) != nil {
		return 0
	}
	return n.Unread
}

// handleNotifications shows the person's in-app notifications, newest first.
func (c *Console) handleNotifications(w http.ResponseWriter, r *http.Request, s *session) {
	var n wire.Notifications
	if err := c.get(r, s, "/api/v1/notifications", nil, &n); err != nil {
		c.apiFailure(w, r, s, err)
		return
	}
	v := c.newView(r, s, "notifications.title", n)
	v.Unread = n.Unread
	c.render(w, http.StatusOK, "notifications", v)
}

// handleMarkRead marks a notification read and opens its case (or the list again).
func (c *Console) handleMarkRead(w http.ResponseWriter, r *http.Request, s *session) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		c.fail(w, r, s, http.StatusNotFound, "error.not_found")
		return
	}
	path := "/api/v1/notifications/" + strconv.FormatInt(id, 10) + "/read"
	if res := c.call(r, s, apiCall{method: http.MethodPost, path: path}); !res.OK() {
		c.apiFailure(w, r, s, res.problem())
		return
	}
	if next := safeNext(r.PostFormValue("next")); next != "" {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	redirect(w, r, "/notifications", "read")
}
