package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/cicpa/weiquan/auth"
)

// routes registers every console page. GET pages read; POST forms carry a form token and
// become one API call each.
func (c *Console) routes() {
	m := c.mux
	m.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(staticFS())))
	m.HandleFunc("GET /{$}", c.open(c.handleHome))
	m.HandleFunc("GET /signin", c.open(c.handleSignin))
	m.HandleFunc("POST /signin", c.form(c.handleDevSignin))
	m.HandleFunc("POST /signout", c.form(c.handleSignout))
	m.HandleFunc("GET /signin/oidc", c.open(c.handleOIDCStart))
	m.HandleFunc("GET "+c.callbackPath(), c.open(c.handleOIDCCallback))
	m.HandleFunc("GET /cases", c.signedIn(c.handleCases))
	m.HandleFunc("GET /cases/new", c.signedIn(c.handleNewCase))
	m.HandleFunc("GET /paper", c.signedIn(c.handleNewCase))
	m.HandleFunc("POST /cases", c.form(c.handleCreateCase))
	m.HandleFunc("GET /cases/{number}", c.signedIn(c.handleCase))
	m.HandleFunc("GET /cases/{number}/withdraw", c.signedIn(c.handleWithdrawConfirm))
	m.HandleFunc("GET /cases/{number}/attachments/{id}", c.signedIn(c.handleDownload))
	m.HandleFunc("POST /cases/{number}/attachments", c.form(c.handleUpload))
	m.HandleFunc("GET /cases/{number}/documents/{id}", c.signedIn(c.handleLetter))
	m.HandleFunc("GET /cases/{number}/deadlines.ics", c.signedIn(c.handleDeadlinesICS))
	m.HandleFunc("POST /cases/{number}/subscription", c.form(c.handleSubscribe))
	m.HandleFunc("POST /calendar/subscription/revoke", c.form(c.handleUnsubscribe))
	m.HandleFunc("POST /cases/{number}/documents/{id}/served", c.form(c.handleMarkServed))
	m.HandleFunc("POST /cases/{number}/{action}", c.form(c.handleAction))
	m.HandleFunc("POST /cases/{number}/extensions/{id}/decision", c.form(c.handleExtensionDecision))
	m.HandleFunc("POST /escalations/{number}/{id}/acknowledgement", c.form(c.handleAcknowledge))
	m.HandleFunc("GET /inbox", c.signedIn(c.handleInbox))
	m.HandleFunc("GET /notifications", c.signedIn(c.handleNotifications))
	m.HandleFunc("POST /notifications/{id}/read", c.form(c.handleMarkRead))
	m.HandleFunc("GET /dashboard", c.signedIn(c.handleDashboard))
	m.HandleFunc("GET /reports/compliance", c.signedIn(c.handleCompliance))
	m.HandleFunc("GET /reports/compliance.csv", c.signedIn(c.handleComplianceCSV))
	m.HandleFunc("GET /calendar", c.signedIn(c.handleCalendar))
	m.HandleFunc("POST /calendar", c.form(c.handleLoadYear))
	m.HandleFunc("POST /calendar/notice", c.form(c.handleNotice))
	m.HandleFunc("GET /admin/staff", c.signedIn(c.handleStaff))
	m.HandleFunc("POST /admin/staff", c.form(c.handleAddStaff))
	m.HandleFunc("POST /admin/staff/{id}", c.form(c.handleUpdateStaff))
	m.HandleFunc("POST /admin/staff/{id}/active", c.form(c.handleStaffActive))
	m.HandleFunc("GET /admin/settings", c.signedIn(c.handleSettings))
	m.HandleFunc("POST /admin/settings", c.form(c.handleSaveSettings))
	m.HandleFunc("/", c.open(func(w http.ResponseWriter, r *http.Request, s *session) {
		c.fail(w, r, s, http.StatusNotFound, "error.not_found")
	}))
}

// pageFunc is a page handler with the request's session.
type pageFunc func(w http.ResponseWriter, r *http.Request, s *session)

// open serves a page to anyone.
func (c *Console) open(h pageFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r = consolePage(r)
		h(w, r, c.session(w, r))
	}
}

// consolePage marks r as one console page: the API charges its rate limit once for all the
// calls the page makes in process. Only the console's own routes mark; requests it forwards
// to the API (/api/…) are an outside client's and are never marked.
func consolePage(r *http.Request) *http.Request {
	return r.WithContext(auth.WithConsolePage(r.Context(), new(auth.ConsolePage)))
}

// signedIn sends a visitor without a session to the sign-in page, and back afterwards.
func (c *Console) signedIn(h pageFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r = consolePage(r)
		s := c.session(w, r)
		if !s.SignedIn() {
			c.toSignin(w, r)
			return
		}
		h(w, r, s)
	}
}

func (c *Console) toSignin(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, "/signin?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
}

type nonceKey struct{}

// formNonce is the verified nonce of the posted form.
func formNonce(r *http.Request) string { n, _ := r.Context().Value(nonceKey{}).(string); return n }

// Form posts are bounded before they are read: an upload carries at most the API's per-case
// attachment total plus overhead, any other form a few hundred KiB (the longest is a pasted
// notice), and a post without a session (sign-in) a few KiB.
const (
	maxUpload     = 101 << 20
	maxForm       = 512 << 10
	maxAnonymous  = 16 << 10
	uploadPostfix = "/attachments" // POST /cases/{number}/attachments
)

// uploads are the other forms that carry files: a new case with its attachments, a year file.
var uploads = map[string]bool{"/cases": true, "/calendar": true}

// form checks a POST's form token against the session and refuses it (403) without one.
// Forms other than sign-in need a signed-in session, checked before the body is read, and
// only the forms that carry files may be large: nobody makes the console read (or spool to
// disk) a large body it will refuse.
func (c *Console) form(h pageFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r = consolePage(r)
		s := c.session(w, r)
		upload := uploads[r.URL.Path] || strings.HasSuffix(r.URL.Path, uploadPostfix)
		limit := int64(maxForm)
		switch {
		case !s.SignedIn() && r.URL.Path != "/signin":
			c.toSignin(w, r)
			return
		case !s.SignedIn():
			limit = maxAnonymous
		case upload:
			limit = maxUpload
		}
		multipart := strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data")
		if r.ContentLength > limit {
			c.fail(w, r, s, http.StatusRequestEntityTooLarge, "error.bad_form")
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		var err error
		if multipart {
			err = r.ParseMultipartForm(32 << 20)
		} else {
			err = r.ParseForm()
		}
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			c.fail(w, r, s, http.StatusRequestEntityTooLarge, "error.bad_form")
			return
		}
		if err != nil {
			c.fail(w, r, s, http.StatusBadRequest, "error.bad_form")
			return
		}
		nonce, ok := s.checkForm(r.PostFormValue("csrf"))
		if !ok {
			c.fail(w, r, s, http.StatusForbidden, "error.csrf")
			return
		}
		h(w, r.WithContext(context.WithValue(r.Context(), nonceKey{}, nonce)), s)
	}
}

// redirect answers a successful post: see the page again, with a message saying what was done.
func redirect(w http.ResponseWriter, r *http.Request, path, done string) {
	if done != "" {
		sep := "?"
		if strings.Contains(path, "?") {
			sep = "&"
		}
		path += sep + "done=" + done
	}
	http.Redirect(w, r, path, http.StatusSeeOther)
}
