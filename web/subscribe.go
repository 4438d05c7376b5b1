package web

import (
	"html/template"
	"net/http"
	"net/url"
	"strings"
)

// subscription is what the subscription page shows: the feed URLs of the caller's new feed
// token, for a calendar application to fetch without the session.
type subscription struct {
	Case                   string // the case the page was asked from
	CaseURL, FeedURL       string
	CaseWebcal, FeedWebcal template.URL // the same as webcal://, which opens a calendar application
}

// handleSubscribe makes the caller a new feed token (revoking the previous one) and shows
// the subscription URLs of the case and of all the caller's open cases.
func (c *Console) handleSubscribe(w http.ResponseWriter, r *http.Request, s *session) {
	number := r.PathValue("number")
	res := c.call(r, s, apiCall{method: http.MethodPost, path: "/api/v1/calendar/feed-token"})
	var tok struct{ Deadlines, Case string }
	if !res.OK() || res.decode(&tok) != nil {
		c.apiFailure(w, r, s, res.problem())
		return
	}
	base := publicBase(r)
	sub := subscription{Case: number, CaseURL: base + strings.Replace(tok.Case, "{number}", url.PathEscape(number), 1), FeedURL: base + tok.Deadlines}
	sub.CaseWebcal, sub.FeedWebcal = webcal(sub.CaseURL), webcal(sub.FeedURL)
	c.render(w, http.StatusOK, "subscribe", c.newView(r, s, "subscribe.title", sub))
}

// handleUnsubscribe revokes the caller's feed token and goes back to the case.
func (c *Console) handleUnsubscribe(w http.ResponseWriter, r *http.Request, s *session) {
	res := c.call(r, s, apiCall{method: http.MethodDelete, path: "/api/v1/calendar/feed-token"})
	if !res.OK() {
		c.apiFailure(w, r, s, res.problem())
		return
	}
	back := "/cases"
	if n := r.PostFormValue("case"); n != "" {
		back = "/cases/" + url.PathEscape(n)
	}
	redirect(w, r, back, "unsubscribed")
}

// publicBase is the scheme and host the request came to, as a calendar application must
// reach the console: https behind a TLS-terminating proxy that says so.
func publicBase(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// webcal is u with the webcal scheme, which calendar applications register for.
func webcal(u string) template.URL {
	_, rest, _ := strings.Cut(u, "://")
	return template.URL("webcal://" + rest) // built here from the API's path, not from input
}
